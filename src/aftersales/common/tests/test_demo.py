import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from tests import factories

from aftersales.accounts.models import User
from aftersales.customers.models import Customer, Equipment
from aftersales.customers.warranty import WarrantyStatus
from aftersales.demo import PASSWORD, load_demo

pytestmark = pytest.mark.django_db

DEMO_ACCOUNTS = {
    "admin": [],
    "agent": ["agent"],
    "tech": ["technician"],
    "tech2": ["technician"],
    "manager": ["service_manager"],
    "vp": ["sales_vp"],
    "gm": ["general_manager"],
    "warehouse": ["warehouse"],
    "finance": ["finance"],
    "quality": ["quality"],
    "customer_a": ["customer"],
    "customer_b": ["customer"],
}


def test_demo_data_is_refused_outside_demo_mode(settings):
    settings.DEMO = False
    with pytest.raises(ImproperlyConfigured):
        load_demo()
    with pytest.raises(CommandError):
        call_command("load_demo")
    assert not User.objects.exists()


def test_the_demo_has_every_account_with_its_roles_and_password(settings):
    settings.DEMO = True
    load_demo()
    for username, roles in DEMO_ACCOUNTS.items():
        user = User.objects.get(username=username)
        assert user.check_password(PASSWORD)
        assert user.role_codes == roles
    assert User.objects.get(username="admin").is_superuser


def test_the_demo_customers_are_two_different_companies(settings):
    settings.DEMO = True
    load_demo()
    a = User.objects.get(username="customer_a").customer_id_scope
    b = User.objects.get(username="customer_b").customer_id_scope
    assert a and b and a != b


def test_the_demo_has_equipment_in_every_warranty_state(settings):
    settings.DEMO = True
    load_demo()
    seen = {unit.warranty_status for unit in Equipment.objects.all()}
    assert seen == set(WarrantyStatus)
    assert Customer.objects.filter(is_key_customer=True).exists()


def test_the_demo_is_loaded_only_into_an_empty_database(settings):
    settings.DEMO = True
    call_command("load_demo", "--if-empty")
    count = Customer.objects.count()
    call_command("load_demo", "--if-empty")
    assert Customer.objects.count() == count
    with pytest.raises(CommandError):
        call_command("load_demo")


def test_the_demo_has_requests_at_different_steps(settings):
    from aftersales.service.models import ServiceRequest, WorkOrder

    settings.DEMO = True
    load_demo()
    statuses = set(ServiceRequest.objects.values_list("status", flat=True))
    assert {"new", "replied", "onsite", "resolved", "closed"} <= statuses
    assert WorkOrder.objects.filter(technician__username="tech").exists()


def test_the_demo_has_stock_a_kit_per_technician_and_something_to_reorder(settings):
    from aftersales.parts import selectors
    from aftersales.parts.models import Location, Movement

    settings.DEMO = True
    load_demo()
    kits = Location.objects.filter(kind="kit").values_list("holder__username", flat=True)
    assert set(kits) == {"tech", "tech2"}
    assert [item.code for item in selectors.to_reorder()] == ["P-BAT-12V"]
    used = Movement.objects.get(kind="issue")
    assert used.work_order.technician.username == "tech" and used.location.code == "KIT-TECH"
    on_hand: dict[int, object] = {}
    for balance in selectors.balances_for(User.objects.get(username="warehouse")):
        on_hand[balance.item_id] = on_hand.get(balance.item_id, 0) + balance.quantity
    rows = selectors.reconciliation(used.month)
    assert rows and all(row.closing_qty == on_hand[row.item_id] for row in rows)


def test_the_demo_has_backup_units_lent_in_repair_and_one_to_buy(settings):
    from aftersales.parts import selectors
    from aftersales.parts.models import BackupUnit

    settings.DEMO = True
    load_demo()
    statuses = dict(BackupUnit.objects.values_list("serial_number", "status"))
    assert statuses == {
        "BK-NVR-01": "lent",
        "BK-NVR-02": "available",
        "BK-NVR-03": "in_repair",
        "BK-UPS-01": "available",
    }
    assert [need.to_buy for need in selectors.backup_needs()] == [1, 0]  # one NVR short
    lent = BackupUnit.objects.get(serial_number="BK-NVR-01").loans.get()
    assert lent.service_request.severity == "P1"
    assert lent.service_request.obligations.get(rule="SR.SPARE").state == "met"


def test_the_demo_has_a_depot_batch_in_repair_and_a_return_for_the_general_manager(settings):
    from aftersales.depot.models import RepairBatch
    from aftersales.returns.models import ReturnRequest

    settings.DEMO = True
    load_demo()
    batch = RepairBatch.objects.get()
    assert batch.units.count() == 12 and batch.units.filter(status="repaired").count() == 5
    assert batch.obligations.get(rule="DEPOT.REPAIR").state == "running"
    waiting = ReturnRequest.objects.get()
    assert waiting.status == "requested" and waiting.obligations.get(rule="RT.DECIDE")


def test_the_demo_has_a_tool_kit_per_technician_with_one_tool_lost(settings):
    from aftersales.parts.models import Tool, ToolKit

    settings.DEMO = True
    load_demo()
    assert set(ToolKit.objects.values_list("holder__username", flat=True)) == {"tech", "tech2"}
    assert list(Tool.objects.filter(status="lost").values_list("kit__code", flat=True)) == ["TK-02"]


def test_the_demo_has_complaints_at_different_steps(settings):
    from aftersales.complaints.models import Complaint

    settings.DEMO = True
    load_demo()
    assert set(Complaint.objects.values_list("status", flat=True)) == {
        "received",
        "investigating",
        "declined",
    }
    assert Complaint.objects.get(status="investigating").responsible.username == "quality"


def test_the_demo_has_visits_surveys_answers_and_a_follow_up(settings):
    from aftersales.feedback.models import Answer, QuestionSet, Visit

    settings.DEMO = True
    with factories.committed():  # the closed repair's visit leaves after commit
        load_demo()
    kinds = set(Visit.objects.values_list("kind", flat=True))
    assert {"repair", "quarterly", "follow_up"} <= kinds
    assert QuestionSet.objects.filter(status="published").count() == 2
    assert Answer.objects.filter(score__lte=2).exists()


def test_the_demo_has_a_plan_to_confirm_an_inspection_under_way_and_a_report_due(settings):
    from aftersales.maintenance.models import Inspection, MaintenancePlan

    settings.DEMO = True
    load_demo()
    customer_a = User.objects.get(username="customer_a").customer_id_scope
    assert MaintenancePlan.objects.filter(contract__customer_id=customer_a, status="proposed")
    assert MaintenancePlan.objects.filter(status="confirmed").exists()
    assert Inspection.objects.filter(status="in_progress", technician__username="tech").exists()
    signed = Inspection.objects.get(status="finished")
    assert signed.obligations.get(rule="PM.REPORT").state == "running"
    assert signed.items.filter(flagged=True).exists()


def test_the_demo_has_an_installation_to_commission_and_a_training_reported(settings):
    from aftersales.maintenance.models import Installation, TrainingSession

    settings.DEMO = True
    load_demo()
    waiting = Installation.objects.get(status="delivered")
    assert waiting.obligations.get(rule="PM.COMMISSION").state == "running"
    assert TrainingSession.objects.filter(status="reported").exists()


def test_the_demo_units_were_sold_on_orders_a_few_days_before_delivery(settings):
    from aftersales.customers.models import Equipment
    from aftersales.sales.models import SalesOrder

    settings.DEMO = True
    load_demo()
    sold = Equipment.objects.filter(sale__isnull=False).select_related("sale__line__order")
    assert sold.count() >= 10 and SalesOrder.objects.count() >= 10
    for unit in sold:
        assert unit.purchased_on == unit.sale.line.order.ordered_on
        assert unit.delivered_on - unit.purchased_on == dt.timedelta(days=5)
    # A unit with no acceptance on record stays of unknown warranty (nothing sold it).
    assert Equipment.objects.filter(accepted_on__isnull=True, sale__isnull=True).exists()
