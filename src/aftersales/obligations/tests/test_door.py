"""The obligations services are the only door to time limits (issue 12): open once,
restart without piling up rows, hand over, and answer how long a rule allows."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from tests import factories

from aftersales.obligations import services
from aftersales.obligations.models import Notification, Obligation, ObligationEvent
from aftersales.obligations.selectors import rounds_of
from aftersales.obligations.sweep import obligations_sweep

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def at(text):
    return dt.datetime.fromisoformat(text).replace(tzinfo=SH)


@pytest.fixture
def record(db):
    return factories.make_customer("时限测试客户")


def test_open_once_does_not_open_a_rule_the_record_already_had(record):
    first = services.obligation_open(actor=None, target=record, rule="CP.OPINION", once=True)
    services.obligations_meet(actor=None, target=record, rule="CP.OPINION")
    again = services.obligation_open(actor=None, target=record, rule="CP.OPINION", once=True)
    assert first is not None and again is None
    assert Obligation.objects.filter(rule="CP.OPINION").count() == 1


def test_a_restart_keeps_one_row_and_its_rounds_in_events(record, users):
    started = at("2026-09-21T09:00")  # CP.PROGRESS: 72 hours
    services.obligation_open(actor=None, target=record, rule="CP.PROGRESS", started_at=started)
    # A step on time, then the limit breaches, then a late step.
    services.obligation_restart(
        actor=users.agent, target=record, rule="CP.PROGRESS", started_at=at("2026-09-22T09:00")
    )
    obligations_sweep(now=at("2026-09-25T09:00"))
    services.obligation_restart(
        actor=users.agent, target=record, rule="CP.PROGRESS", started_at=at("2026-09-26T09:00")
    )
    rows = Obligation.objects.filter(rule="CP.PROGRESS")
    assert rows.count() == 1
    row = rows.get()
    assert (row.state, row.round, row.escalation_step) == ("running", 3, 0)
    assert row.due_at == at("2026-09-29T09:00")
    restarts = ObligationEvent.objects.filter(obligation=row, kind="restarted")
    assert [(e.from_state, e.due_at) for e in restarts] == [
        ("running", at("2026-09-24T09:00")),
        ("breached", at("2026-09-25T09:00")),
    ]
    rounds = sorted(rounds_of(type(record), [record.pk]), key=lambda r: r.met_at or row.due_at)
    on_time = [r for r in rounds if r.met_at is not None and r.met_at <= r.due_at]
    late = [r for r in rounds if r.met_at is not None and r.met_at > r.due_at]
    assert (len(rounds), len(on_time), len(late)) == (3, 1, 1)


def test_a_restarted_limit_that_breaches_again_is_told_again(record, users):
    services.obligation_open(
        actor=None,
        target=record,
        rule="CP.PROGRESS",
        started_at=at("2026-09-21T09:00"),
        responsible=users.quality,
    )
    obligations_sweep(now=at("2026-09-24T09:00"))
    services.obligation_restart(
        actor=None, target=record, rule="CP.PROGRESS", started_at=at("2026-09-24T10:00")
    )
    obligations_sweep(now=at("2026-09-27T10:00"))
    told = Notification.objects.filter(user=users.quality, step=2)
    assert sorted(told.values_list("round", flat=True)) == [1, 2]


def test_handing_over_moves_what_the_person_is_responsible_for_with_an_event(record, users):
    other = factories.make_user("tech3", "technician")
    services.obligation_open(actor=None, target=record, rule="CP.CONTACT", responsible=users.tech)
    services.obligation_open(actor=None, target=record, rule="CP.INVESTIGATE")
    moved = services.obligations_reassign(
        actor=users.manager, target=record, from_user=users.tech, to_user=other
    )
    assert moved == 1
    assert Obligation.objects.get(rule="CP.CONTACT").responsible == other
    event = ObligationEvent.objects.get(kind="reassigned")
    assert event.actor == users.manager and "tech3" in event.note


def test_pause_resume_and_cancel_act_on_the_records_open_rules_only(record):
    services.obligation_open(actor=None, target=record, rule="CP.INVESTIGATE")
    services.obligation_open(actor=None, target=record, rule="CP.CONTACT")
    assert (
        services.obligations_pause(
            actor=None, target=record, rule="CP.INVESTIGATE", reason="等客户"
        )
        == 1
    )
    assert Obligation.objects.get(rule="CP.INVESTIGATE").state == "paused"
    assert services.obligations_resume(actor=None, target=record, rule="CP.INVESTIGATE") == 1
    assert services.obligations_cancel(actor=None, target=record, reason="撤诉") == 2
    assert set(Obligation.objects.values_list("state", flat=True)) == {"cancelled"}
    assert services.obligations_cancel(actor=None, target=record, reason="撤诉") == 0


def test_how_long_a_window_rule_allows_comes_from_its_policy():
    assert services.policy_duration("SR.REPEAT") == dt.timedelta(days=90)
    assert services.policy_duration("RT.WINDOW") == dt.timedelta(days=7)
    # FB.RETRY counts 4 working hours: from Friday 17:00, Monday 12:00.
    assert services.policy_deadline("FB.RETRY", at("2026-10-16T17:00")) == at("2026-10-19T12:00")
