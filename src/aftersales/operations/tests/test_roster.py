"""The duty roster (R-OP-1): shifts, overlaps, qualification, gaps across a holiday week
with a make-up workday, swaps, who is on duty now, and what the roster drives (the
SR.REPLY owner, the dispatch suggestion, the manager on call)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from tests import factories

from aftersales.accounts.roles import Role
from aftersales.calendars.models import Calendar
from aftersales.obligations.models import Notification, Obligation
from aftersales.obligations.sweep import obligations_sweep
from aftersales.operations import roster
from aftersales.operations.models import DutyGroup, Shift, ShiftSwap

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def at(text):
    return dt.datetime.fromisoformat(text).replace(tzinfo=SH)


def group(name, kind, cover, *members):
    made = DutyGroup.objects.create(
        name=name, kind=kind, cover=cover, calendar=Calendar.objects.get(code="standard")
    )
    made.members.set(members)
    return made


@pytest.fixture
def hotline(users):
    agent2 = factories.make_user("agent2", Role.AGENT, full_name="值班坐席")
    return group("热线", DutyGroup.Kind.HOTLINE, DutyGroup.Cover.ALWAYS, users.agent, agent2)


@pytest.fixture
def managers(users):
    return group("值班经理", DutyGroup.Kind.MANAGERS, DutyGroup.Cover.OFF_HOURS, users.manager)


def plan(actor, grp, person, start, end):
    return roster.shift_add(
        actor=actor, group=grp, person=person, starts_at=at(start), ends_at=at(end)
    )


@time_machine.travel(at("2026-09-22T10:00"), tick=False)
def test_one_person_cannot_stand_two_shifts_at_once_even_in_two_groups(users, hotline):
    other = group("夜班热线", DutyGroup.Kind.HOTLINE, DutyGroup.Cover.ALWAYS, users.agent)
    plan(users.manager, hotline, users.agent, "2026-09-28T08:00", "2026-09-28T20:00")
    with factories.refused("person"):
        plan(users.manager, other, users.agent, "2026-09-28T19:00", "2026-09-29T08:00")
    plan(users.manager, other, users.agent, "2026-09-28T20:00", "2026-09-29T08:00")  # meets
    assert Shift.objects.count() == 2


@time_machine.travel(at("2026-09-22T10:00"), tick=False)
def test_a_shift_is_refused_for_someone_not_in_the_group_or_backwards(users, hotline):
    with factories.refused("person"):
        plan(users.manager, hotline, users.tech, "2026-09-28T08:00", "2026-09-28T20:00")
    with factories.refused("ends_at"):
        plan(users.manager, hotline, users.agent, "2026-09-28T20:00", "2026-09-28T08:00")
    with factories.refused("ends_at"):
        plan(users.manager, hotline, users.agent, "2026-09-28T08:00", "2026-09-30T08:00")
    assert not Shift.objects.exists()


def test_off_hours_cover_across_the_national_day_week_with_its_make_up_workday(users, managers):
    """2026-10-05..07 are holidays, 10-08/09 working days, Saturday 10-10 a make-up
    workday, Sunday 10-11 a rest day (the standard calendar, 09:00–18:00). Nights
    18:00–09:00 covered every day: the gaps are the holidays' and the Sunday's
    daytime, not the make-up Saturday's."""
    with time_machine.travel(at("2026-09-22T10:00"), tick=False):
        day = dt.date(2026, 10, 4)
        while day <= dt.date(2026, 10, 11):
            plan(
                users.manager,
                managers,
                users.manager,
                f"{day}T18:00",
                f"{day + dt.timedelta(days=1)}T09:00",
            )
            day += dt.timedelta(days=1)
    found = roster.gaps(at("2026-10-05T09:00"), at("2026-10-12T09:00"))
    assert [(g.starts_at, g.ends_at) for g in found] == [
        (at("2026-10-05T09:00"), at("2026-10-05T18:00")),
        (at("2026-10-06T09:00"), at("2026-10-06T18:00")),
        (at("2026-10-07T09:00"), at("2026-10-07T18:00")),
        (at("2026-10-11T09:00"), at("2026-10-11T18:00")),
    ]


def test_a_hotline_around_the_clock_has_a_gap_wherever_no_shift_is(users, hotline):
    with time_machine.travel(at("2026-09-22T10:00"), tick=False):
        plan(users.manager, hotline, users.agent, "2026-10-01T08:00", "2026-10-01T20:00")
    found = roster.gaps(at("2026-10-01T00:00"), at("2026-10-02T00:00"), group=hotline)
    assert [(g.starts_at, g.ends_at) for g in found] == [
        (at("2026-10-01T00:00"), at("2026-10-01T08:00")),
        (at("2026-10-01T20:00"), at("2026-10-02T00:00")),
    ]


@time_machine.travel(at("2026-11-30T08:00"), tick=False)
def test_the_service_manager_is_warned_of_the_next_two_weeks_gaps(users, hotline):
    assert roster.gaps_warn() == 1  # nobody planned at all: one gap of two weeks
    notice = Notification.objects.get(user=users.manager)
    assert "热线" in notice.message and notice.url == "/duty/"


@time_machine.travel(at("2026-09-22T10:00"), tick=False)
def test_a_swap_is_asked_by_the_person_on_the_shift_and_approved_by_the_manager(users, hotline):
    agent2 = hotline.members.get(username="agent2")
    shift = plan(users.manager, hotline, users.agent, "2026-09-28T08:00", "2026-09-28T20:00")
    with factories.refused(conflict="只有"):
        roster.swap_request(actor=agent2, shift=shift, to_person=agent2, reason="替班")
    with factories.refused("to_person"):
        roster.swap_request(actor=users.agent, shift=shift, to_person=users.tech, reason="病假")
    swap = roster.swap_request(actor=users.agent, shift=shift, to_person=agent2, reason="病假")
    assert Notification.objects.filter(user=users.manager, url="/duty/swaps/").exists()
    with factories.refused(conflict="审批换班"):
        roster.swap_decide(actor=users.agent, swap=swap, approve=True)
    roster.swap_decide(actor=users.manager, swap=swap, approve=True)
    shift.refresh_from_db()
    assert shift.person == agent2
    with factories.refused(conflict="已批准"):
        roster.swap_decide(actor=users.manager, swap=swap, approve=False)


@time_machine.travel(at("2026-09-22T10:00"), tick=False)
def test_a_swap_to_someone_on_duty_then_is_refused_at_approval(users, hotline):
    agent2 = hotline.members.get(username="agent2")
    shift = plan(users.manager, hotline, users.agent, "2026-09-28T08:00", "2026-09-28T20:00")
    swap = roster.swap_request(actor=users.agent, shift=shift, to_person=agent2, reason="事假")
    plan(users.manager, hotline, agent2, "2026-09-28T12:00", "2026-09-28T22:00")
    with factories.refused("person"):
        roster.swap_decide(actor=users.manager, swap=swap, approve=True)
    assert ShiftSwap.objects.get().status == ShiftSwap.Status.REQUESTED
    assert Shift.objects.get(pk=shift.pk).person == users.agent


def test_a_request_filed_in_the_portal_gives_its_first_reply_to_the_agent_on_duty(
    users, hotline, company_a
):
    agent2 = hotline.members.get(username="agent2")
    with time_machine.travel(at("2026-09-22T10:00"), tick=False):
        plan(users.manager, hotline, agent2, "2026-09-23T20:00", "2026-09-24T08:00")
    with time_machine.travel(at("2026-09-23T23:00"), tick=False):
        from_portal = factories.make_request(company_a.customer, actor=company_a.user)
        by_phone = factories.make_request(company_a.customer, actor=users.agent)
    reply = Obligation.objects.filter(rule="SR.REPLY")
    assert reply.get(object_id=from_portal.pk).responsible == agent2
    assert reply.get(object_id=by_phone.pk).responsible == users.agent  # who took the call


def test_outside_working_hours_a_late_limit_reaches_the_manager_on_call(users, managers, company_a):
    night_manager = factories.make_user("night", Role.SERVICE_MANAGER, full_name="夜班经理")
    managers.members.add(night_manager)
    with time_machine.travel(at("2026-09-22T10:00"), tick=False):
        plan(users.manager, managers, night_manager, "2026-09-22T18:00", "2026-09-23T09:00")
    with time_machine.travel(at("2026-09-22T19:00"), tick=False):
        request = factories.make_request(company_a.customer, actor=None, severity="P1")
    with time_machine.travel(at("2026-09-22T23:30"), tick=False):
        obligations_sweep()
    told = set(
        Notification.objects.filter(obligation__object_id=request.pk).values_list(
            "user__username", flat=True
        )
    )
    assert "night" in told and "manager" not in told


def test_the_dispatch_board_suggests_only_technicians_on_call_after_hours(users):
    tech2 = factories.make_user("tech2", Role.TECHNICIAN)
    on_call = group(
        "值班技术员", DutyGroup.Kind.TECHNICIANS, DutyGroup.Cover.OFF_HOURS, users.tech, tech2
    )
    with time_machine.travel(at("2026-09-22T10:00"), tick=False):
        plan(users.manager, on_call, tech2, "2026-09-22T18:00", "2026-09-23T09:00")
    board = [users.tech, tech2]
    assert roster.technicians_available(board, at("2026-09-22T11:00")) == board  # working hours
    assert roster.technicians_available(board, at("2026-09-22T22:00")) == [tech2]


def test_who_is_on_duty_now_on_the_page_and_in_the_api(users, hotline, page, api, company_a):
    with time_machine.travel(at("2026-09-22T10:00"), tick=False):
        plan(users.manager, hotline, users.agent, "2026-09-22T12:00", "2026-09-22T20:00")
    with time_machine.travel(at("2026-09-22T13:00"), tick=False):
        body = api(users.tech).get("/api/v1/duty/now/").json()
        assert body["groups"][0]["on_duty"][0]["id"] == users.agent.pk
        assert body["groups"][0]["covered"] is True
        html = page(users.tech).get("/duty/now/").content.decode()
        assert "热线" in html and str(users.agent) in html
        assert api(company_a.user).get("/api/v1/duty/now/").status_code == 403
        assert api(users.nobody).get("/api/v1/duty/now/").status_code == 403
        assert page(company_a.user).get("/duty/now/").status_code in (403, 404)
        assert page(users.nobody).get("/duty/").status_code == 403


@time_machine.travel(at("2026-09-22T10:00"), tick=False)
def test_the_manager_plans_on_the_roster_page_and_others_may_not(users, hotline, page):
    form = {
        "add": "1",
        "group": hotline.pk,
        "person": users.agent.pk,
        "day": "2026-09-29",
        "start": "20:00",
        "end": "08:00",
        "week": "2026-09-28",
    }
    assert page(users.agent).post("/duty/", form).status_code == 403
    response = page(users.manager).post("/duty/", form)
    assert response.status_code == 302
    shift = Shift.objects.get()
    assert (shift.starts_at, shift.ends_at) == (at("2026-09-29T20:00"), at("2026-09-30T08:00"))
    again = page(users.manager).post("/duty/", form)
    assert again.status_code == 200 and "已在值班" in again.content.decode()
    assert Shift.objects.count() == 1
    week = page(users.manager).get("/duty/?week=2026-09-28").content.decode()
    kind = 'day-kind">%s<'
    assert kind % "节假日" in week and kind % "调休上班" not in week
    later = page(users.manager).get("/duty/?week=2026-10-05").content.decode()
    assert kind % "调休上班" in later
