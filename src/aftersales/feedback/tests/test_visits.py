"""Return visits: after a repair, after a depot batch, the quarterly and yearly plan,
calling, recording once, and transferring what the visit could not solve.

Rules: R-FB-1 (visit after a repair), R-FB-2 (periodic visits), R-FB-3 (the visit
record, problems transferred).
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from tests import factories

from aftersales.accounts.services import department_create, department_set_head
from aftersales.calendars.periods import quarter_of
from aftersales.customers import services as customers
from aftersales.feedback import visits
from aftersales.feedback.models import Visit
from aftersales.obligations.models import Notification

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def at(*args):
    return time_machine.travel(dt.datetime(*args, tzinfo=SH), tick=False)


def closed_request(users, company, severity="P3", when=(2026, 9, 24, 10)):
    with at(*when):
        request = factories.make_request(company.customer, actor=users.agent, severity=severity)
        return factories.close_request(request, users.agent)


def test_a_closed_repair_is_visited_within_three_days(users, company_a):
    closed = closed_request(users, company_a)
    visit = Visit.objects.get(service_request=closed)
    assert (visit.kind, visit.status, visit.customer) == ("repair", "due", company_a.customer)
    assert (visit.contact_name, visit.contact_phone) == ("刘建国", "13812345678")
    limit = visit.obligations.get(rule="FB.RETURN_VISIT")
    # 3 natural days (24x7), across the National Day eve or not.
    assert limit.due_at == dt.datetime(2026, 9, 27, 10, tzinfo=SH)
    assert visit.planned_on == dt.date(2026, 9, 27)


def test_a_consultation_has_no_return_visit_and_a_repair_only_one(users, company_a):
    closed_request(users, company_a, severity="CONSULT")
    assert not Visit.objects.exists()
    closed = closed_request(users, company_a, when=(2026, 9, 24, 11))
    assert (
        visits.visit_after_repair(actor=users.agent, request=closed, at=closed.confirmed_at) is None
    )
    assert Visit.objects.filter(service_request=closed).count() == 1


def test_not_reached_is_tried_again_after_four_working_hours_then_recorded_once(users, company_a):
    visit = Visit.objects.get(service_request=closed_request(users, company_a))
    # Thursday 24 September 16:00: 2 working hours that day, Friday 25th is the Mid-Autumn
    # holiday, then the weekend, so Monday 28th 9:00 + 2 h = 11:00.
    with at(2026, 9, 24, 16):
        visits.visit_record(actor=users.agent, visit=visit, reached=False, note="无人接听")
    visit.refresh_from_db()
    assert visit.status == "due" and visit.attempts == 1
    assert visit.next_try_at == dt.datetime(2026, 9, 28, 11, tzinfo=SH)
    with at(2026, 9, 26, 9):
        with factories.refused("score"):
            visits.visit_record(actor=users.agent, visit=visit, reached=True, score=6)
        with factories.refused("opinions"):
            visits.visit_record(actor=users.agent, visit=visit, reached=True)
        visits.visit_record(
            actor=users.agent,
            visit=visit,
            reached=True,
            opinions="维修及时",
            suggestions="希望提前电话告知到达时间",
            score=5,
        )
        visit.refresh_from_db()
        assert (visit.status, visit.attempts, visit.score, visit.done_by) == (
            "done",
            2,
            5,
            users.agent,
        )
        assert visit.obligations.get(rule="FB.RETURN_VISIT").state == "met"
        assert [t.reached for t in visit.tries.all()] == [False, True]
        with factories.refused(conflict="此回访已记录"):
            visits.visit_record(actor=users.agent, visit=visit, reached=True, score=4)
    assert visit.tries.count() == 2


def test_a_problem_transferred_late_counts_from_the_visit_record(users, company_a):
    """policies.md: FB.TRANSFER starts at the visit record, so a problem passed on two days
    after the call has no fresh 24 hours: it is already late."""
    visit = Visit.objects.get(service_request=closed_request(users, company_a))
    dept = department_create(actor=None, code="tech", name="技术部")
    with at(2026, 9, 25, 10):
        visits.visit_record(
            actor=users.agent, visit=visit, reached=True, opinions="固件有问题", score=3
        )
    with at(2026, 9, 27, 10):
        issue = visits.visit_transfer(
            actor=users.agent, visit=visit, department=dept, description="固件需升级"
        )
    limit = issue.obligations.get(rule="FB.TRANSFER")
    assert limit.started_at == dt.datetime(2026, 9, 25, 10, tzinfo=SH)
    assert limit.due_at == dt.datetime(2026, 9, 26, 10, tzinfo=SH)


def test_an_unsolved_problem_goes_to_the_department_within_24_hours(users, company_a):
    visit = Visit.objects.get(service_request=closed_request(users, company_a))
    dept = department_create(actor=None, code="tech", name="技术部")
    department_set_head(actor=None, department=dept, head=users.techdept)
    users.quality.department = dept  # a member, not the head
    users.quality.save()
    with at(2026, 9, 25, 10):
        with factories.refused("description"):
            visits.visit_transfer(actor=users.agent, visit=visit, department=dept, description="")
        issue = visits.visit_transfer(
            actor=users.agent, visit=visit, department=dept, description="客户要求升级固件"
        )
    limit = issue.obligations.get(rule="FB.TRANSFER")
    assert limit.due_at == dt.datetime(2026, 9, 26, 10, tzinfo=SH)
    assert (limit.department, limit.responsible) == (dept, users.techdept)
    # The department hears of it, head and members; nobody else.
    told = Notification.objects.filter(obligation__isnull=True)
    assert set(told.values_list("user__username", flat=True)) == {"techdept", "quality"}
    assert told.first().url == "/visits/issues/"
    with at(2026, 9, 25, 15):
        with factories.refused("answer"):  # only the department answers
            visits.issue_answer(actor=users.agent, issue=issue, answer="我来答")
        visits.issue_answer(actor=users.techdept, issue=issue, answer="已安排下周升级")
        with factories.refused(conflict="此问题已答复"):
            visits.issue_answer(actor=users.techdept, issue=issue, answer="again")
    assert issue.obligations.get(rule="FB.TRANSFER").state == "met"


@pytest.mark.parametrize(
    "day, period, first, last",
    [
        (dt.date(2026, 1, 1), "2026-Q1", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        (dt.date(2026, 5, 31), "2026-Q2", dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
        (dt.date(2026, 9, 30), "2026-Q3", dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
        (dt.date(2026, 12, 31), "2026-Q4", dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
    ],
)
def test_quarters(day, period, first, last):
    assert quarter_of(day) == (period, first, last)


@pytest.fixture
def book():
    """A: equipment in warranty; B: a maintenance contract, no warranty; C: neither;
    D: key customer, nothing covered; E: key customer in warranty; F: inactive, in warranty."""
    a = factories.make_customer("A")
    factories.make_equipment(a, accepted_on=dt.date(2026, 3, 1), warranty_months=12)
    b = factories.make_customer("B")
    customers.contract_create(
        actor=None,
        customer=b,
        number="HT-1",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2027, 12, 31),
    )
    c = factories.make_customer("C")
    factories.make_equipment(c, accepted_on=dt.date(2024, 1, 1), warranty_months=12)
    d = factories.make_customer("D", is_key_customer=True)
    e = factories.make_customer("E", is_key_customer=True)
    factories.make_equipment(e, accepted_on=dt.date(2026, 6, 1), warranty_months=24)
    f = factories.make_customer("F")
    factories.make_equipment(f, accepted_on=dt.date(2026, 6, 1), warranty_months=24)
    f.is_active = False
    f.save()
    return {"A": a, "B": b, "C": c, "D": d, "E": e, "F": f}


def planned(kind, period):
    return {
        v.customer.name: v.planned_on
        for v in Visit.objects.filter(kind=kind, period=period).select_related("customer")
    }


def test_the_plan_quarterly_for_the_covered_yearly_for_key_customers_and_idempotent(book):
    with at(2026, 10, 9, 6):
        first = visits.visits_plan()
        again = visits.visits_plan()
    quarter = planned("quarterly", "2026-Q4")
    assert set(quarter) == {"A", "B", "E"}
    assert set(planned("yearly", "2026")) == {"D"}
    assert first == {"quarterly": 3, "yearly": 1} and again == {"quarterly": 0, "yearly": 0}
    assert Visit.objects.count() == 4
    # Spread over working days from today to the quarter's end, none on a day off.
    days = list(quarter.values())
    assert len(set(days)) == 3
    assert all(dt.date(2026, 10, 9) <= d <= dt.date(2026, 12, 31) for d in days)
    assert all(d.weekday() < 5 or d == dt.date(2026, 10, 10) for d in days)
    # The next quarter brings the next round; D's yearly visit is not repeated in 2026.
    with at(2027, 1, 4, 6):
        visits.visits_plan()
    assert set(planned("quarterly", "2027-Q1")) == {"A", "B", "E"}
    assert set(planned("yearly", "2027")) == {"D"}
    assert Visit.objects.filter(kind="yearly", customer=book["D"]).count() == 2
    history = Visit.history.filter(period="2026-Q4")
    assert history.count() == 3 and {h.history_change_reason for h in history} == {"planned"}


def test_many_customers_are_spread_evenly(db):
    made = [factories.make_customer(f"客户{i:03d}") for i in range(122)]
    for customer in made:
        factories.make_equipment(customer, accepted_on=dt.date(2026, 6, 1))
    with at(2026, 10, 9, 6):
        visits.visits_plan()
    per_day = {}
    for visit in Visit.objects.filter(period="2026-Q4"):
        per_day[visit.planned_on] = per_day.get(visit.planned_on, 0) + 1
    # 61 working days from Friday 9 October to 31 December: 17 in October (with the make-up
    # Saturday 10th), 21 in November, 23 in December. 122 visits: two on each of them.
    assert set(per_day.values()) == {2} and len(per_day) == 61
    assert dt.date(2026, 10, 10) in per_day and dt.date(2026, 10, 11) not in per_day


def test_the_daily_task_runs_the_plan(book):
    from aftersales.feedback import tasks

    with at(2026, 10, 9, 6):
        assert tasks.plan_visits.call_local() == {"quarterly": 3, "yearly": 1}
