"""Tracked time limits: open, pause, resume, meet, cancel, recompute.

Every feature that has a time limit calls these; none counts time itself.
Each service is one transaction, locks the row it changes, refuses a move
the transitions map does not allow (409), and writes an ObligationEvent.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import Department, User
from aftersales.common.exceptions import ConflictError
from aftersales.obligations.clock import clock_for, schedule, working_minutes
from aftersales.obligations.models import Obligation, ObligationEvent, Policy

State = Obligation.State

TRANSITIONS: dict[str, set[str]] = {
    State.RUNNING: {State.PAUSED, State.MET, State.MET_LATE, State.BREACHED, State.CANCELLED},
    State.PAUSED: {State.RUNNING, State.MET, State.MET_LATE, State.CANCELLED},
    State.BREACHED: {State.MET_LATE, State.CANCELLED},
    State.MET: set(),
    State.MET_LATE: set(),
    State.CANCELLED: set(),
}


def policy_for(rule: str, severity: str = "") -> Policy | None:
    """The policy of a rule for a severity; None where the rule does not apply ("—")."""
    rows = list(
        Policy.objects.filter(rule=rule, severity__in=[severity, ""]).select_related("calendar")
    )
    if not rows:
        if not Policy.objects.filter(rule=rule).exists():
            raise ValidationError({"rule": _("Unknown rule code %(rule)s.") % {"rule": rule}})
        return None
    exact = [row for row in rows if row.severity == severity]
    return (exact or rows)[0]


def _event(
    obligation: Obligation,
    *,
    actor: User | None,
    kind: str,
    at: dt.datetime,
    from_state: str = "",
    note: str = "",
) -> None:
    ObligationEvent.objects.create(
        obligation=obligation,
        at=at,
        actor=actor,
        kind=kind,
        from_state=from_state,
        to_state=obligation.state,
        note=note[:300],
    )


def _move(
    obligation: Obligation,
    to: str,
    *,
    actor: User | None,
    kind: str,
    at: dt.datetime,
    note: str = "",
) -> None:
    current = obligation.state
    if to not in TRANSITIONS[current]:
        raise ConflictError(
            _("A time limit that is %(state)s cannot be %(action)s.")
            % {"state": obligation.get_state_display(), "action": kind}
        )
    obligation.state = to
    obligation.save()
    _event(obligation, actor=actor, kind=kind, at=at, from_state=current, note=note)


def _locked(obligation: Obligation) -> Obligation:
    return (
        Obligation.objects.select_for_update()
        .select_related("policy__calendar")
        .get(pk=obligation.pk)
    )


@transaction.atomic
def obligation_open(
    *,
    actor: User | None,
    target: models.Model,
    rule: str,
    severity: str = "",
    started_at: dt.datetime | None = None,
    responsible: User | None = None,
    department: Department | None = None,
    factor: int = 1,
) -> Obligation | None:
    """Start tracking ``rule`` on ``target``; None when the rule does not apply to the severity."""
    policy = policy_for(rule, severity)
    if policy is None:
        return None
    if factor < 1:
        raise ValidationError({"factor": _("The factor must be at least 1.")})
    content_type = ContentType.objects.get_for_model(target)
    if Obligation.objects.filter(
        content_type=content_type,
        object_id=target.pk,
        rule=rule,
        state__in=Obligation.OPEN_STATES,
    ).exists():
        raise ConflictError(_("%(rule)s is already running on this record.") % {"rule": rule})
    now = timezone.now()
    obligation = Obligation(
        content_type=content_type,
        object_id=target.pk,
        rule=rule,
        severity=severity,
        policy=policy,
        started_at=started_at or now,
        responsible=responsible,
        department=department,
        factor=factor,
    )
    schedule(obligation, policy)
    obligation.save()
    _event(obligation, actor=actor, kind="opened", at=now)
    return obligation


@transaction.atomic
def obligation_pause(
    *, actor: User | None, obligation: Obligation, reason: str = "", at: dt.datetime | None = None
) -> Obligation:
    """Stop the clock (waiting on the customer); the time paused does not count."""
    obligation = _locked(obligation)
    at = at or timezone.now()
    if obligation.state != State.RUNNING:
        raise ConflictError(_("Only a running time limit can be paused."))
    obligation.paused_at = at
    obligation.due_at = None
    obligation.warn_at = None
    _move(obligation, State.PAUSED, actor=actor, kind="paused", at=at, note=reason)
    return obligation


@transaction.atomic
def obligation_resume(
    *, actor: User | None, obligation: Obligation, at: dt.datetime | None = None
) -> Obligation:
    """Restart the clock; the due time moves by the working time spent paused."""
    obligation = _locked(obligation)
    at = at or timezone.now()
    if obligation.state != State.PAUSED:
        raise ConflictError(_("Only a paused time limit can be resumed."))
    _account_pause(obligation, at)
    _move(obligation, State.RUNNING, actor=actor, kind="resumed", at=at)
    return obligation


def _account_pause(obligation: Obligation, at: dt.datetime) -> None:
    assert obligation.paused_at is not None
    paused = clock_for(obligation.policy).working_seconds_between(obligation.paused_at, at)
    obligation.paused_seconds += max(paused, 0)
    obligation.paused_at = None
    schedule(obligation, obligation.policy)


@transaction.atomic
def obligation_meet(
    *, actor: User | None, obligation: Obligation, at: dt.datetime | None = None
) -> Obligation:
    """Record that what the rule asks for happened. On or before the due time it is met."""
    obligation = _locked(obligation)
    at = at or timezone.now()
    if obligation.state not in Obligation.OPEN_STATES:
        raise ConflictError(
            _("A time limit that is %(state)s cannot be met.")
            % {"state": obligation.get_state_display()}
        )
    if obligation.state == State.PAUSED:
        _account_pause(obligation, at)
    assert obligation.due_at is not None
    late = at > obligation.due_at
    obligation.met_at = at
    obligation.next_escalation_at = None
    if late:
        obligation.breach_minutes = working_minutes(obligation.policy, obligation.due_at, at)
    _move(obligation, State.MET_LATE if late else State.MET, actor=actor, kind="met", at=at)
    return obligation


def obligations_meet(
    *, actor: User | None, target: models.Model, at: dt.datetime, rule: str | None = None
) -> None:
    """Meet what is still open on ``target`` (only ``rule``'s, when given)."""
    from aftersales.obligations.selectors import obligations_of

    open_ = obligations_of(target).filter(state__in=Obligation.OPEN_STATES)
    for obligation in open_.filter(rule=rule) if rule else open_:
        obligation_meet(actor=actor, obligation=obligation, at=at)


@transaction.atomic
def obligation_cancel(
    *, actor: User | None, obligation: Obligation, reason: str, at: dt.datetime | None = None
) -> Obligation:
    """The rule no longer applies; the reason is required and kept."""
    if not reason or not reason.strip():
        raise ValidationError({"reason": _("Say why the time limit no longer applies.")})
    obligation = _locked(obligation)
    at = at or timezone.now()
    obligation.cancel_reason = reason.strip()[:300]
    obligation.next_escalation_at = None
    _move(obligation, State.CANCELLED, actor=actor, kind="cancelled", at=at, note=reason)
    return obligation


def obligations_recompute(
    *, policy: Policy | None = None, calendar_id: int | None = None, chunk: int = 2000
) -> int:
    """New due and warning times for running obligations after their policy or calendar changed."""
    qs = Obligation.objects.filter(state=State.RUNNING).select_related("policy__calendar")
    if policy is not None:
        qs = qs.filter(policy=policy)
    if calendar_id is not None:
        qs = qs.filter(policy__calendar_id=calendar_id)
    changed = 0
    batch: list[Obligation] = []
    for obligation in qs.order_by("pk").iterator(chunk_size=chunk):
        schedule(obligation, obligation.policy)
        batch.append(obligation)
        if len(batch) >= chunk:
            changed += _save_schedules(batch)
            batch = []
    return changed + _save_schedules(batch)


@transaction.atomic
def _save_schedules(batch: list[Obligation]) -> int:
    Obligation.objects.bulk_update(batch, ["due_at", "warn_at"])
    return len(batch)


@transaction.atomic
def policy_update(*, actor: User | None, policy: Policy, **fields: Any) -> Policy:
    """Change a time limit; running obligations under it get new due times."""
    from aftersales.calendars.engine import CalendarError, check_amount
    from aftersales.calendars.forms import engine_error_message
    from aftersales.common.audit import save_audited

    for name, value in fields.items():
        setattr(policy, name, value)
    try:
        check_amount(policy.amount, policy.unit)
    except CalendarError as error:
        raise ValidationError({"amount": engine_error_message(error)}) from error
    save_audited(policy, actor=actor, reason="updated")
    transaction.on_commit(lambda: _recompute_later(policy_id=policy.pk))
    return policy


def _recompute_later(**kwargs: Any) -> None:
    from aftersales.obligations.tasks import recompute_obligations

    recompute_obligations(**kwargs)


@transaction.atomic
def notifications_mark_read(*, actor: User, ids: list[int] | None = None) -> int:
    """Mark the actor's notifications read (all of them when no ids are given)."""
    from aftersales.obligations.models import Notification

    qs = Notification.objects.filter(user=actor, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


@transaction.atomic
def policy_set_ladder(
    *, actor: User | None, policy: Policy, steps: list[dict[str, Any]]
) -> list[Any]:
    """Replace the ladder after the breach: steps numbered 2, 3, … in the order given.

    Each step is ``{"role", "delay_amount", "delay_unit", "delay_calendar"}``; a
    later step may not come before an earlier one in the ladder's order, but
    its delay is counted from the due time like every other (policies.md).
    """
    from aftersales.accounts.roles import Role
    from aftersales.calendars.engine import CalendarError, check_amount
    from aftersales.calendars.forms import engine_error_message
    from aftersales.common.audit import save_audited
    from aftersales.obligations.models import EscalationStep

    if not steps:
        raise ValidationError({"steps": _("The ladder needs at least one step after the breach.")})
    made = []
    policy.steps.all().delete()
    for number, step in enumerate(steps, start=2):
        if step["role"] not in Role.values:
            raise ValidationError({"steps": _("Unknown role %(role)s.") % {"role": step["role"]}})
        try:
            check_amount(step["delay_amount"], step["delay_unit"])
        except CalendarError as error:
            raise ValidationError({"steps": engine_error_message(error)}) from error
        row = EscalationStep(policy=policy, step=number, **step)
        save_audited(row, actor=actor, reason="ladder set")
        made.append(row)
    save_audited(policy, actor=actor, reason="ladder changed")
    return made
