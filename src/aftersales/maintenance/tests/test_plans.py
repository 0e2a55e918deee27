"""Quarterly maintenance plans (R-PM-1): visits on working days spread over the quarter,
one per period, re-runnable, confirmed by the customer, moved with a reason."""

import datetime as dt

import pytest
from tests import factories

from aftersales.maintenance import plans
from aftersales.maintenance.models import MaintenancePlan, PlannedVisit
from aftersales.maintenance.tests.helpers import make_contract

pytestmark = pytest.mark.django_db
Q4 = plans.Quarter(2026, 4)


def days(plan):
    return [v.planned_on for v in plan.visits.order_by("planned_on")]


def test_a_monthly_contract_gets_one_visit_a_month_on_the_middle_working_day(users, company_a):
    contract = make_contract(company_a.equipment, visits=12)
    plan = plans.maintenance_plan_generate(actor=users.manager, contract=contract, quarter=Q4)
    # October 2026: 1-7 National Day off, Saturday 10 a make-up working day; 18 working
    # days (8, 9, 10, 12-16, 19-23, 26-30), the 9th of them is the 19th. Without the
    # make-up day it would be the 20th.
    assert days(plan) == [dt.date(2026, 10, 19), dt.date(2026, 11, 16), dt.date(2026, 12, 16)]
    assert list(plan.visits.order_by("period").values_list("period", flat=True)) == [10, 11, 12]
    assert plan.status == "proposed" and plan.quarter == "2026Q4"


def test_a_quarterly_contract_gets_one_visit_in_the_middle_of_the_quarter(users, company_a):
    contract = make_contract(company_a.equipment, visits=4)
    plan = plans.maintenance_plan_generate(actor=users.manager, contract=contract, quarter=Q4)
    # 62 working days (October 18, November 21, December 23): the 31st is November 18.
    assert days(plan) == [dt.date(2026, 11, 18)]


def test_generating_twice_adds_nothing_and_keeps_a_moved_visit(users, company_a):
    contract = make_contract(company_a.equipment, visits=12)
    plan = plans.maintenance_plan_generate(actor=users.manager, contract=contract, quarter=Q4)
    first = plan.visits.get(period=10)
    plans.maintenance_visit_move(
        actor=users.manager, visit=first, planned_on=dt.date(2026, 10, 22), reason="客户要求"
    )
    again = plans.maintenance_plan_generate(actor=users.manager, contract=contract, quarter=Q4)
    assert again.pk == plan.pk and MaintenancePlan.objects.count() == 1
    assert PlannedVisit.objects.count() == 3
    moved = PlannedVisit.objects.get(pk=first.pk)
    assert moved.planned_on == dt.date(2026, 10, 22) and moved.moved_from == dt.date(2026, 10, 19)
    assert moved.history.first().history_change_reason == "moved: 客户要求"


def test_a_contract_ending_mid_quarter_gets_only_its_periods(users, company_a):
    contract = make_contract(company_a.equipment, visits=12, ends=dt.date(2026, 11, 10))
    plan = plans.maintenance_plan_generate(actor=users.manager, contract=contract, quarter=Q4)
    # November's period is cut to 2-10 November: 7 working days (2-6, 9, 10), the 4th
    # is the 5th.
    assert days(plan) == [dt.date(2026, 10, 19), dt.date(2026, 11, 5)]


def test_a_plan_for_a_contract_that_has_ended_is_refused(users, company_a):
    contract = make_contract(
        company_a.equipment, starts=dt.date(2025, 1, 1), ends=dt.date(2026, 6, 30)
    )
    with factories.refused("contract"):
        plans.maintenance_plan_generate(actor=users.manager, contract=contract, quarter=Q4)
    assert not MaintenancePlan.objects.exists()


def test_the_quarter_is_read_in_both_spellings_and_bounded():
    assert plans.parse_quarter("2026Q4") == plans.parse_quarter("2026-q4") == Q4
    for bad in ["2026Q5", "1999Q1", "2101Q1", "Q4", "", "2026Q4; drop"]:
        with factories.refused("quarter"):
            plans.parse_quarter(bad)


def test_the_quarter_run_makes_every_contracts_plan_in_a_few_statements(
    users, django_assert_max_num_queries
):
    contracts = []
    for n in range(30):
        unit = factories.make_equipment(serial_number=f"PM-{n:03d}")
        contracts.append(make_contract(unit, visits=12))
    with django_assert_max_num_queries(12):
        made = plans.maintenance_plans_generate(actor=None, contracts=contracts, quarter=Q4)
    assert len(made) == 30 and PlannedVisit.objects.count() == 90


def test_the_customer_confirms_in_the_portal_and_staff_record_who_confirmed(users, company_a):
    contract = make_contract(company_a.equipment)
    plan = plans.maintenance_plan_generate(actor=users.manager, contract=contract, quarter=Q4)
    with factories.refused("confirmed_by"):
        plans.maintenance_plan_confirm(actor=users.manager, plan=plan)
    plans.maintenance_plan_confirm(actor=company_a.user, plan=plan)
    plan.refresh_from_db()
    assert plan.status == "confirmed" and plan.confirmed_by and plan.confirmed_at
    with factories.refused(conflict=str(plan)):
        plans.maintenance_plan_confirm(actor=users.manager, plan=plan, confirmed_by="王")


def test_a_visit_moves_only_within_the_contract_and_with_a_reason(users, company_a):
    contract = make_contract(company_a.equipment)
    plan = plans.maintenance_plan_generate(actor=users.manager, contract=contract, quarter=Q4)
    visit = plan.visits.get()
    with factories.refused("reason", "planned_on"):
        plans.maintenance_visit_move(
            actor=users.manager, visit=visit, planned_on=dt.date(2027, 2, 1), reason=" "
        )
    plans.maintenance_visit_cancel(actor=users.manager, visit=visit, reason="客户停产")
    with factories.refused(conflict=str(PlannedVisit.Status.CANCELLED.label)):
        plans.maintenance_visit_move(
            actor=users.manager, visit=visit, planned_on=dt.date(2026, 11, 20), reason="改期"
        )


def test_the_scheduled_run_plans_every_running_contract_in_chunks_and_again_adds_nothing(
    users,
):
    for n in range(9):
        make_contract(factories.make_equipment(serial_number=f"QR-{n}"), visits=12)
    ended = make_contract(
        factories.make_equipment(serial_number="QR-old"),
        starts=dt.date(2025, 1, 1),
        ends=dt.date(2025, 12, 31),
    )
    assert plans.quarter_plans_generate(actor=None, quarter=Q4, chunk=4) == 9
    assert plans.quarter_plans_generate(actor=None, quarter=Q4, chunk=4) == 9
    assert PlannedVisit.objects.count() == 27
    assert not MaintenancePlan.objects.filter(contract=ended).exists()
