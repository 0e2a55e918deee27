import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from tests import factories

from aftersales.calendars.models import Calendar
from aftersales.calendars.services import exception_add
from aftersales.obligations import policies, services
from aftersales.obligations.models import Notification, Obligation, Policy
from aftersales.obligations.sweep import obligations_sweep

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
State = Obligation.State


def at(text):
    return dt.datetime.fromisoformat(text).replace(tzinfo=SH)


@pytest.fixture
def record(db):
    return factories.make_customer("时限测试客户")


def _open(record, rule, severity="", start="2026-09-21T09:00", **kw):
    return services.obligation_open(
        actor=None, target=record, rule=rule, severity=severity, started_at=at(start), **kw
    )


def test_opening_computes_due_and_warning_from_the_policy(record):
    ob = _open(record, "SR.RESPOND", "P3", start="2026-09-18T16:00")
    assert ob.state == State.RUNNING
    assert ob.due_at == at("2026-09-20T11:00")  # 2 h Friday, 2 h on the make-up Sunday
    assert ob.warn_at == at("2026-09-20T10:12")  # 80 % of 4 working hours


def test_a_rule_that_does_not_apply_to_the_severity_opens_nothing(record):
    assert _open(record, "SR.ARRIVE", "CONSULT") is None


def test_an_unknown_rule_is_a_validation_error(record):
    with factories.refused("rule"):
        _open(record, "SR.NONSENSE")


def test_the_same_rule_cannot_run_twice_on_one_record(record):
    _open(record, "CP.CONTACT")
    with factories.refused(conflict="此记录上的"):
        _open(record, "CP.CONTACT")


def test_depot_repair_scales_with_the_number_of_units(record):
    ob = _open(record, "DEPOT.REPAIR", start="2026-09-21T10:00", factor=2)  # 11-20 units
    assert ob.due_at == at("2026-09-23T18:00")


def test_pause_time_is_working_time_and_moves_the_due_time(record):
    ob = _open(record, "CP.INVESTIGATE", start="2026-09-21T09:00")  # 8 working hours
    assert ob.due_at == at("2026-09-21T18:00")
    services.obligation_pause(
        actor=None, obligation=ob, reason="等客户报价确认", at=at("2026-09-21T10:00")
    )
    ob = services.obligation_resume(actor=None, obligation=ob, at=at("2026-09-22T10:00"))
    assert ob.paused_seconds == 8 * 3600  # Mon 10-12, 13-18, Tue 9-10
    assert ob.due_at == at("2026-09-22T18:00")


def test_pausing_over_a_night_and_weekend_costs_only_working_time(record):
    ob = _open(record, "CP.INVESTIGATE", start="2026-09-25T16:00")  # Friday, 09-25 is off
    # 09-25 is Mid-Autumn (a day off): the clock starts Monday 09:00.
    assert ob.due_at == at("2026-09-28T18:00")
    services.obligation_pause(actor=None, obligation=ob, at=at("2026-09-28T17:00"))
    ob = services.obligation_resume(actor=None, obligation=ob, at=at("2026-09-29T09:30"))
    assert ob.paused_seconds == 1.5 * 3600
    assert ob.due_at == at("2026-09-29T10:30")


def test_natural_time_limits_pause_in_elapsed_time(record):
    ob = _open(record, "SR.REPLY", "P1", start="2026-10-01T10:00")  # 10 minutes, a holiday
    services.obligation_pause(actor=None, obligation=ob, at=at("2026-10-01T10:02"))
    ob = services.obligation_resume(actor=None, obligation=ob, at=at("2026-10-01T10:07"))
    assert ob.due_at == at("2026-10-01T10:15")


def test_met_exactly_at_the_due_time_is_met(record):
    ob = _open(record, "CP.CONTACT", start="2026-09-21T09:00")
    ob = services.obligation_meet(actor=None, obligation=ob, at=at("2026-09-21T13:00"))
    assert ob.state == State.MET and ob.breach_minutes is None


def test_met_a_minute_late_is_met_late_with_the_breach_size(record):
    ob = _open(record, "CP.INVESTIGATE", start="2026-09-21T09:00")
    ob = services.obligation_meet(actor=None, obligation=ob, at=at("2026-09-22T09:01"))
    assert ob.state == State.MET_LATE
    assert ob.breach_minutes == 1  # 18:00 to 09:01 the next day is one working minute


def test_met_while_paused_is_met(record):
    ob = _open(record, "SR.QUOTE", "P1")
    services.obligation_pause(actor=None, obligation=ob, at=at("2026-09-21T10:00"))
    ob = services.obligation_meet(actor=None, obligation=ob, at=at("2026-09-30T10:00"))
    assert ob.state == State.MET


def test_illegal_moves_are_conflicts_and_change_nothing(record):
    ob = _open(record, "CP.CONTACT")
    with factories.refused(conflict="只有已暂停的时限才能恢复"):
        services.obligation_resume(actor=None, obligation=ob)
    services.obligation_cancel(actor=None, obligation=ob, reason="投诉已撤回")
    for action in (services.obligation_meet, services.obligation_resume, services.obligation_pause):
        with factories.refused(conflict="时限"):
            action(actor=None, obligation=ob)
    with factories.refused(conflict="的时限不能执行"):
        services.obligation_cancel(actor=None, obligation=ob, reason="again")
    ob.refresh_from_db()
    assert ob.state == State.CANCELLED and ob.cancel_reason == "投诉已撤回"
    assert [e.kind for e in ob.events.all()] == ["opened", "cancelled"]


def test_cancelling_needs_a_reason(record):
    ob = _open(record, "CP.CONTACT")
    with factories.refused("reason"):
        services.obligation_cancel(actor=None, obligation=ob, reason="  ")
    ob.refresh_from_db()
    assert ob.state == State.RUNNING


def test_every_move_is_recorded_with_its_actor(record, users):
    ob = services.obligation_open(actor=users.agent, target=record, rule="CP.CONTACT")
    services.obligation_meet(actor=users.tech, obligation=ob)
    events = list(ob.events.values_list("kind", "actor__username", "from_state", "to_state"))
    assert events == [("opened", "agent", "", "running"), ("met", "tech", "running", "met")]


# --- the sweep and the ladder -----------------------------------------------------


def _sweep(when):
    return obligations_sweep(now=at(when))


def _told(ob, step):
    return sorted(
        Notification.objects.filter(obligation=ob, step=step).values_list(
            "user__username", flat=True
        )
    )


def test_the_ladder_step_by_step_each_step_once(record, users):
    ob = _open(record, "CP.INVESTIGATE", start="2026-09-21T09:00", responsible=users.tech)
    assert _sweep("2026-09-21T15:00") == {"breached": 0, "warned": 0, "escalated": 0}
    assert _sweep("2026-09-21T16:25")["warned"] == 1  # 80 % of 8 h = 6.4 h → 16:24
    assert _told(ob, 1) == ["tech"]
    assert _sweep("2026-09-21T17:00") == {"breached": 0, "warned": 0, "escalated": 0}
    assert _sweep("2026-09-21T18:00")["breached"] == 1
    assert _told(ob, 2) == ["manager", "tech"]
    ob.refresh_from_db()
    assert ob.state == State.BREACHED and ob.escalation_step == 2
    assert ob.next_escalation_at == at("2026-09-22T18:00")  # + 8 working hours
    assert _sweep("2026-09-22T17:59")["escalated"] == 0
    # + 8 working hours (VP) and + 24 hours (GM) both fall on Tuesday 18:00:
    # the ladder is climbed one rung at a time, in order, in the same sweep.
    assert _sweep("2026-09-22T18:00")["escalated"] == 2
    assert _told(ob, 3) == ["vp"] and _told(ob, 4) == ["gm"]
    ob.refresh_from_db()
    assert ob.escalation_step == 4 and ob.next_escalation_at is None
    steps = list(ob.events.filter(kind="escalated").values_list("note", flat=True))
    assert steps == ["step 3", "step 4"]
    assert _sweep("2026-09-30T18:00") == {"breached": 0, "warned": 0, "escalated": 0}
    assert Notification.objects.filter(obligation=ob).count() == 5


def test_a_p1_breach_reaches_the_vice_president_at_once(record, users):
    ob = _open(record, "SR.RESPOND", "P1", start="2026-09-21T09:00")  # 30 minutes
    result = _sweep("2026-09-21T09:31")
    assert result["breached"] == 1 and result["escalated"] == 1
    assert _told(ob, 3) == ["vp"]
    assert _told(ob, 4) == []


def test_no_progress_on_a_complaint_goes_to_the_general_manager_at_once(record, users):
    ob = _open(record, "CP.PROGRESS", start="2026-09-21T09:00")
    _sweep("2026-09-24T09:00")
    assert _told(ob, 4) == ["gm"]


def test_a_met_obligation_is_left_alone(record, users):
    ob = _open(record, "CP.CONTACT", start="2026-09-21T09:00")
    services.obligation_meet(actor=None, obligation=ob, at=at("2026-09-21T10:00"))
    assert _sweep("2026-09-30T10:00") == {"breached": 0, "warned": 0, "escalated": 0}


def test_a_paused_obligation_does_not_breach(record, users):
    ob = _open(record, "CP.CONTACT", start="2026-09-21T09:00")
    services.obligation_pause(actor=None, obligation=ob, at=at("2026-09-21T10:00"))
    assert _sweep("2026-09-30T10:00")["breached"] == 0


def test_escalations_are_emailed(record, users, django_capture_on_commit_callbacks):
    users.manager.email = "manager@example.com"
    users.manager.save()
    _open(record, "CP.CONTACT", start="2026-09-21T09:00")
    with django_capture_on_commit_callbacks(execute=True):
        _sweep("2026-09-21T13:00")
    assert [m.to for m in mail.outbox] == [["manager@example.com"]]
    assert "联系投诉人时限" in mail.outbox[0].body and "CP.CONTACT" not in mail.outbox[0].body


def test_changing_a_policy_recomputes_running_due_times(
    record, users, django_capture_on_commit_callbacks
):
    ob = _open(record, "CP.INVESTIGATE", start="2026-09-21T09:00")
    policy = Policy.objects.get(rule="CP.INVESTIGATE")
    with django_capture_on_commit_callbacks(execute=True):
        policies.policy_update(actor=users.manager, policy=policy, amount=4)
    ob.refresh_from_db()
    assert ob.due_at == at("2026-09-21T14:00")
    assert policy.history.latest().history_user == users.manager


def test_a_new_holiday_moves_running_due_times(record, users, django_capture_on_commit_callbacks):
    ob = _open(record, "CP.OPINION", start="2026-09-21T10:00")  # 3 working days
    assert ob.due_at == at("2026-09-24T18:00")
    with django_capture_on_commit_callbacks(execute=True):
        exception_add(
            actor=users.manager,
            calendar=Calendar.objects.get(code="standard"),
            date=dt.date(2026, 9, 22),
            kind="day_off",
            name="停电",
        )
    ob.refresh_from_db()
    assert ob.due_at == at("2026-09-28T18:00")  # 09-25 is Mid-Autumn too


def test_a_bad_policy_amount_is_refused(users):
    policy = Policy.objects.get(rule="CP.INVESTIGATE")
    with factories.refused("amount"):
        policies.policy_update(actor=users.manager, policy=policy, amount=10**8)


def test_time_is_frozen_the_same_way_in_the_sweep_task(record, users):
    from aftersales.obligations.tasks import sweep_every_minute

    _open(record, "CP.CONTACT", start="2026-09-21T09:00")
    with time_machine.travel(at("2026-09-21T13:30"), tick=False):
        sweep_every_minute.call_local()
    assert Obligation.objects.get().state == State.BREACHED


def test_a_later_rung_never_comes_before_an_earlier_one(record, users):
    ob = _open(record, "CP.INVESTIGATE", start="2026-09-18T09:00")  # Friday, due 18:00
    _sweep("2026-09-18T18:00")
    # GM's "24 hours after" is Saturday 18:00, VP's "8 working hours" is the make-up Sunday.
    assert _sweep("2026-09-19T18:30")["escalated"] == 0
    assert _told(ob, 4) == []
    assert _sweep("2026-09-20T18:00")["escalated"] == 2
    assert _told(ob, 3) == ["vp"] and _told(ob, 4) == ["gm"]


def test_rules_added_by_a_later_version_are_loaded_and_edited_ones_left_alone(db):
    from aftersales.calendars.models import Calendar
    from aftersales.obligations.defaults import ensure_default_policies
    from aftersales.obligations.models import EscalationStep, Policy

    Policy.objects.filter(rule="SP.BACKUP_RETURN").delete()
    Policy.objects.filter(rule="CP.CONTACT").update(amount=2)  # an administrator's edit
    ensure_default_policies(Policy, EscalationStep, Calendar)
    added = Policy.objects.get(rule="SP.BACKUP_RETURN")
    assert (added.amount, added.unit) == (30, "days") and added.steps.count() == 3
    assert Policy.objects.get(rule="CP.CONTACT").amount == 2


def test_at_once_means_at_once_even_on_a_holiday(record, users):
    ob = _open(record, "CP.PROGRESS", start="2026-09-28T09:00")  # due Thu 1 October
    _sweep("2026-10-01T09:00")  # National Day
    assert _told(ob, 3) == ["vp"] and _told(ob, 4) == ["gm"]


def test_a_late_message_names_the_record_its_customer_the_limit_and_how_late(record, users):
    """Issue 15 item 2: people read words — the record, whose it is, which limit, when it
    was due and by how much it is late; never a rule code."""
    request = factories.make_request(record, actor=users.agent, received_at=at("2026-09-21T09:00"))
    ob = Obligation.objects.get(object_id=request.pk, rule="SR.REPLY")
    _sweep("2026-09-23T12:00")
    notice = Notification.objects.filter(obligation=ob, step=2).first()
    assert notice is not None
    assert request.number in notice.message and "时限测试客户" in notice.message
    assert ob.name in notice.message and "SR.REPLY" not in notice.message
    assert "已超时" in notice.message and "天" in notice.message
