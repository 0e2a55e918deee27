"""Inspections (R-PM-2): every item filled on site, flagged lines become repairs, both
sides sign, PM.REPORT runs 3 working days from the end and the report meets it."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from tests import factories

from aftersales.maintenance import checklists, inspections, plans
from aftersales.maintenance.models import Inspection, InspectionItem
from aftersales.maintenance.tests.helpers import make_checklist, make_contract

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
# Friday 25 September 2026, 16:00: the next working days are the 28th, 29th and 30th,
# then the National Day holiday (1-7 October).
END = dt.datetime(2026, 9, 25, 16, 0, tzinfo=SH)
SIGNATURE = factories.drawn_signature()


@pytest.fixture
def inspection(users, company_a):
    make_checklist(users.manager)
    with time_machine.travel(END - dt.timedelta(hours=2), tick=False):
        return inspections.inspection_start(actor=users.tech, equipment=company_a.equipment)


def fill(inspection, actor, **by_code):
    rows = {}
    for row in inspection.items.select_related("item"):
        value = by_code.get(row.item.code, {"result": "ok"})
        if row.item.kind == "measure" and "measurement" not in value:
            value = {"measurement": Decimal("220"), **value}
        rows[row.pk] = value
    return inspections.inspection_record(actor=actor, inspection=inspection, rows=rows)


def sign_both(inspection, actor):
    inspections.inspection_sign(
        actor=actor, inspection=inspection, signer="technician", signature=SIGNATURE
    )
    return inspections.inspection_sign(
        actor=actor, inspection=inspection, signer="customer", signature=SIGNATURE, signed_by="王工"
    )


def test_the_inspection_gets_every_item_of_the_checklist(inspection):
    codes = list(inspection.items.values_list("item__code", flat=True))
    assert codes == list("ABCDEFG") and inspection.number.startswith("XJ-2026-")


def test_a_measurement_out_of_range_and_a_failed_item_are_flagged(users, inspection):
    fill(inspection, users.tech, D={"measurement": Decimal("236.5")}, G={"result": "failed"})
    flagged = InspectionItem.objects.filter(inspection=inspection, flagged=True)
    assert sorted(flagged.values_list("item__code", "result")) == [("D", "failed"), ("G", "failed")]


def test_a_measurement_that_is_not_a_number_is_refused_and_nothing_is_written(users, inspection):
    row = inspection.items.get(item__code="D")
    with factories.refused(f"item-{row.pk}"):
        inspections.inspection_record(
            actor=users.tech, inspection=inspection, rows={row.pk: {"measurement": "abc"}}
        )
    assert not InspectionItem.objects.filter(inspection=inspection).exclude(result="").exists()


def test_signing_needs_every_item_and_each_side_signs_once(users, inspection):
    fill(inspection, users.tech, E={"result": ""})
    with factories.refused("items"):
        inspections.inspection_sign(
            actor=users.tech, inspection=inspection, signer="technician", signature=SIGNATURE
        )
    fill(inspection, users.tech)
    inspections.inspection_sign(
        actor=users.tech, inspection=inspection, signer="technician", signature=SIGNATURE
    )
    with factories.refused(conflict="已经签过字"):
        inspections.inspection_sign(
            actor=users.tech, inspection=inspection, signer="technician", signature=SIGNATURE
        )
    with factories.refused(conflict="已签字"):
        fill(inspection, users.tech, A={"result": "failed"})


def test_the_report_is_due_three_working_days_after_the_second_signature(users, inspection):
    fill(inspection, users.tech)
    with time_machine.travel(END, tick=False):
        done = sign_both(inspection, users.tech)
    assert done.status == "finished" and done.finished_at == END
    limit = done.obligations.get(rule="PM.REPORT")
    # Friday 16:00 + 3 working days: Monday, Tuesday, Wednesday 30 September (to the end
    # of the working day, as every working_days limit), before the National Day holiday.
    assert limit.due_at == dt.datetime(2026, 9, 30, 18, 0, tzinfo=SH)
    assert limit.responsible == users.tech
    with time_machine.travel(dt.datetime(2026, 9, 29, 10, 0, tzinfo=SH), tick=False):
        reported = inspections.inspection_report_issue(
            actor=users.tech, inspection=done, findings="系统运行正常", advice="建议升级固件"
        )
    assert reported.status == "reported"
    assert reported.obligations.get(rule="PM.REPORT").state == "met"


def test_a_failed_item_becomes_a_request_on_the_unit_linked_both_ways(users, company_a, inspection):
    fill(inspection, users.tech, D={"measurement": Decimal("198")})
    row = inspection.items.get(item__code="D")
    with time_machine.travel(END, tick=False):
        request = inspections.inspection_item_raise(actor=users.tech, row=row, severity="P2")
    assert request.channel == "inspection" and request.equipment == company_a.equipment
    assert inspection.number in request.description and "198" in request.description
    assert request.inspection_items.get() == row
    with factories.refused(conflict="已转为服务请求"):
        inspections.inspection_item_raise(actor=users.tech, row=row)


def test_an_item_that_passed_does_not_become_a_request(users, inspection):
    fill(inspection, users.tech)
    with factories.refused(conflict="才能转为维修"):
        inspections.inspection_item_raise(actor=users.tech, row=inspection.items.first())


def test_another_technician_cannot_fill_or_sign(users, inspection):
    other = factories.make_user("tech9", "technician")
    with factories.refused("technician"):
        fill(inspection, other)


def test_the_signed_visit_of_a_plan_is_done(users, company_a):
    make_checklist(users.manager)
    contract = make_contract(company_a.equipment)
    plan = plans.maintenance_plan_generate(
        actor=users.manager, contract=contract, quarter=plans.Quarter(2026, 4)
    )
    visit = plan.visits.get()
    made = inspections.inspection_start(
        actor=users.tech, equipment=company_a.equipment, visit=visit
    )
    fill(made, users.tech)
    sign_both(made, users.tech)
    visit.refresh_from_db()
    assert visit.status == "done"


def test_a_checklist_in_use_changes_as_a_new_version(users, inspection):
    template = inspection.template
    items = [
        {"code": "A", "text": "检查机房温度", "kind": "measure", "unit": "℃", "low": 10, "high": 30}
    ]
    newer = checklists.checklist_save(
        actor=users.manager, template=template, name=template.name, items=items
    )
    template.refresh_from_db()
    assert newer.pk != template.pk and newer.version == 2 and not template.is_current
    assert template.items.count() == 7 and newer.items.count() == 1
    again = checklists.checklist_save(
        actor=users.manager, template=newer, name=newer.name, items=items * 1
    )
    assert again.pk == newer.pk  # not used yet: changed in place


def test_a_second_inspection_of_the_unit_in_progress_is_refused(users, company_a, inspection):
    with factories.refused(conflict="进行中的巡检"):
        inspections.inspection_start(actor=users.tech, equipment=company_a.equipment)
    assert Inspection.objects.count() == 1


def test_an_out_of_range_number_fails_the_item_even_when_ticked_as_passed(users, inspection):
    """Found by a trial: 236.5 V ticked 合格 was shown as passed with a warning."""
    fill(inspection, users.tech, D={"result": "ok", "measurement": Decimal("236.5")})
    row = inspection.items.get(item__code="D")
    assert (row.result, row.flagged) == ("failed", True)
    fill(inspection, users.tech, D={"result": "ok", "measurement": Decimal("-0")})
    row.refresh_from_db()
    assert (
        row.measurement == 0 and not row.measurement.is_signed() and row.result == "failed"
    )  # 0 V is below 210 V


def test_signing_in_either_order_leaves_both_signatures_valid(users, company_a, inspection):
    """Found by a trial: the technician's signature showed as 'changed since signed' once
    the customer signed after him (the customer's name was part of what he signed)."""
    fill(inspection, users.tech)
    signed = sign_both(inspection, users.tech)
    assert inspections.changed_since_signed(signed) == []
    Inspection.objects.filter(pk=signed.pk).update(
        equipment=factories.make_equipment(company_a.customer, serial_number="OTHER-1")
    )
    signed.refresh_from_db()
    assert sorted(inspections.changed_since_signed(signed)) == ["customer", "technician"]


def test_the_oldest_fitting_checklist_is_used_and_another_may_be_chosen_before_recording(
    users, inspection
):
    """Found by a trial: a new checklist for every model silently replaced the A–G one;
    the A–G one stays the default, and the technician may choose the other."""
    short = checklists.checklist_save(
        actor=users.manager,
        template=None,
        name="简易检查",
        items=[{"code": "1", "text": "外观检查", "kind": "check"}],
    )
    assert inspection.template.name == "季度检查维护"
    changed = inspections.inspection_checklist_change(
        actor=users.tech, inspection=inspection, template=short
    )
    assert list(changed.items.values_list("item__code", flat=True)) == ["1"]
    fill(changed, users.tech)
    with factories.refused(conflict="检查表"):
        inspections.inspection_checklist_change(
            actor=users.tech, inspection=changed, template=inspection.template
        )
