"""Rules: R-CUS-1 (customers), R-CUS-3 (equipment), R-CUS-5 (warranty and contracts)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from tests import factories

from aftersales.customers import services
from aftersales.customers.models import Customer, Equipment
from aftersales.customers.warranty import WarrantyStatus

pytestmark = pytest.mark.django_db


def test_creating_a_customer_records_who_created_it(users):
    customer = services.customer_create(actor=users.agent, name="丙公司", region="华南")
    record = customer.history.get()
    assert record.history_user == users.agent
    assert record.history_type == "+"


def test_updating_a_customer_keeps_old_and_new_values(users):
    customer = services.customer_create(actor=users.agent, name="丙公司", region="华南")
    services.customer_update(actor=users.manager, customer=customer, region="华北")
    latest, first = customer.history.order_by("-history_id")[:2]
    delta = latest.diff_against(first)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("region", "华南", "华北")]
    assert latest.history_user == users.manager


def test_a_duplicate_customer_name_is_a_field_error_and_writes_nothing(users):
    services.customer_create(actor=users.agent, name="丙公司")
    with pytest.raises(ValidationError) as error:
        services.customer_create(actor=users.agent, name="丙公司")
    assert "name" in error.value.message_dict
    assert Customer.objects.filter(name="丙公司").count() == 1


def test_equipment_derives_its_warranty_and_maintenance_dates(users):
    unit = factories.make_equipment(
        accepted_on=dt.date(2025, 3, 15), warranty_months=12, maintenance_months=24
    )
    assert unit.warranty_until == dt.date(2026, 3, 14)
    assert unit.maintenance_until == dt.date(2028, 3, 14)


def test_changing_the_acceptance_date_moves_the_warranty(users):
    unit = factories.make_equipment(accepted_on=dt.date(2025, 3, 15))
    services.equipment_update(actor=users.agent, equipment=unit, accepted_on=dt.date(2025, 6, 1))
    unit.refresh_from_db()
    assert unit.warranty_until == dt.date(2026, 5, 31)


def test_a_duplicate_serial_number_is_refused(users):
    factories.make_equipment(serial_number="DUP-1")
    with pytest.raises(ValidationError) as error:
        factories.make_equipment(serial_number="DUP-1")
    assert "serial_number" in error.value.message_dict
    assert Equipment.objects.filter(serial_number="DUP-1").count() == 1


def test_acceptance_before_delivery_is_refused_on_the_acceptance_field(users):
    with pytest.raises(ValidationError) as error:
        factories.make_equipment(delivered_on=dt.date(2026, 2, 1), accepted_on=dt.date(2026, 1, 1))
    assert list(error.value.message_dict) == ["accepted_on"]
    assert not Equipment.objects.exists()


@pytest.mark.parametrize("months", [121, 1000])
def test_absurd_warranty_months_are_refused(users, months):
    with pytest.raises(ValidationError) as error:
        factories.make_equipment(warranty_months=months)
    assert "warranty_months" in error.value.message_dict


def test_a_site_of_another_customer_is_refused(users):
    other = factories.make_customer()
    site = services.site_create(actor=users.agent, customer=other, name="机房")
    with pytest.raises(ValidationError) as error:
        factories.make_equipment(factories.make_customer(), site=site)
    assert "site" in error.value.message_dict


def test_a_current_contract_puts_out_of_warranty_equipment_under_maintenance(users):
    today = timezone.localdate()
    unit = factories.make_equipment(accepted_on=today - dt.timedelta(days=800), warranty_months=12)
    assert unit.warranty_status == WarrantyStatus.OUT_OF_WARRANTY
    services.contract_create(
        actor=users.manager,
        customer=unit.customer,
        number="WB-1",
        starts_on=today - dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=355),
        equipment=[unit],
    )
    assert Equipment.objects.get(pk=unit.pk).warranty_status == WarrantyStatus.MAINTENANCE_CONTRACT


def test_a_contract_cannot_cover_another_customers_equipment(users):
    unit = factories.make_equipment()
    with pytest.raises(ValidationError) as error:
        services.contract_create(
            actor=users.manager,
            customer=factories.make_customer(),
            number="WB-2",
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 12, 31),
            equipment=[unit],
        )
    assert "equipment" in error.value.message_dict


def test_a_contract_ending_before_it_starts_is_refused(users):
    with pytest.raises(ValidationError) as error:
        services.contract_create(
            actor=users.manager,
            customer=factories.make_customer(),
            number="WB-3",
            starts_on=dt.date(2026, 5, 1),
            ends_on=dt.date(2026, 4, 30),
        )
    assert "ends_on" in error.value.message_dict


def test_an_unknown_product_model_text_joins_the_catalogue_once(users):
    first = services.product_model_for_text(actor=users.agent, text="XY-900")
    again = services.product_model_for_text(actor=users.agent, text="xy-900")
    assert first == again
    assert first.history.get().history_user == users.agent
