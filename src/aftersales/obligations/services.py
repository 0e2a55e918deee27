"""Tracked time limits: the only door through which features touch them.

A feature opens a rule on its record (once, if need be), meets it, pauses and
resumes it, restarts it, hands it to another person, or cancels what is still
open with a reason — always through these services, never by writing the rows
itself, and never counting time itself (``policy_deadline`` and
``policy_duration`` answer "how long does the rule allow"). Each service is one
transaction, locks the row it changes, refuses a move the obligation's life does
not allow (409), and writes an ObligationEvent.

The life of an obligation (the sweep moves running → breached):

=========  ===================================================================
running    paused, met, met late, breached, cancelled; running again (restart)
paused     running (resumed or restarted), met, met late, cancelled
breached   met late, cancelled; running again (restart: the late round is kept)
met        —
met late   —
cancelled  —
=========  ===================================================================

A restart (CP.PROGRESS after each step) keeps one row per rule and record: the
round that ends is an event with its due time (met, or met late), and the same
row runs again from the new start, with a new round number so its escalation
steps are told again.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import Department, User
from aftersales.common.exceptions import ConflictError
from aftersales.obligations.clock import clock_for, schedule, working_minutes
from aftersales.obligations.models import Obligation, ObligationEvent
from aftersales.obligations.policies import (  # the questions a feature may ask
    policy_deadline,
    policy_duration,
    policy_for,
)

__all__ = [
    "obligation_open",
    "obligation_restart",
    "obligations_cancel",
    "obligations_meet",
    "obligations_pause",
    "obligations_reassign",
    "obligations_reclassify",
    "obligations_resume",
    "policy_deadline",
    "policy_duration",
    "policy_for",
]

State = Obligation.State
Kind = ObligationEvent.Kind

TRANSITIONS: dict[str, set[str]] = {
    State.RUNNING: {
        State.PAUSED,
        State.MET,
        State.MET_LATE,
        State.BREACHED,
        State.CANCELLED,
        State.RUNNING,  # restarted
    },
    State.PAUSED: {State.RUNNING, State.MET, State.MET_LATE, State.CANCELLED},
    State.BREACHED: {State.MET_LATE, State.CANCELLED, State.RUNNING},  # RUNNING: restarted
    State.MET: set(),
    State.MET_LATE: set(),
    State.CANCELLED: set(),
}


def _event(
    obligation: Obligation,
    *,
    actor: User | None,
    kind: str,
    at: dt.datetime,
    from_state: str = "",
    note: str = "",
    due_at: dt.datetime | None = None,
) -> None:
    ObligationEvent.objects.create(
        obligation=obligation,
        at=at,
        actor=actor,
        kind=kind,
        from_state=from_state,
        to_state=obligation.state,
        note=note[:300],
        due_at=due_at,
    )


def _move(
    obligation: Obligation,
    to: str,
    *,
    actor: User | None,
    kind: str,
    at: dt.datetime,
    note: str = "",
    due_at: dt.datetime | None = None,
) -> None:
    current = obligation.state
    if to not in TRANSITIONS[current]:
        raise ConflictError(
            _("A time limit that is %(state)s cannot be %(action)s.")
            % {"state": obligation.get_state_display(), "action": Kind(kind).label}
        )
    obligation.state = to
    obligation.save()
    _event(obligation, actor=actor, kind=kind, at=at, from_state=current, note=note, due_at=due_at)


def _locked(obligation: Obligation) -> Obligation:
    return (
        Obligation.objects.select_for_update()
        .select_related("policy__calendar")
        .get(pk=obligation.pk)
    )


def _of(target: models.Model, rule: str | None = None) -> QuerySet[Obligation]:
    qs = Obligation.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=target.pk
    )
    return (qs.filter(rule=rule) if rule else qs).order_by("started_at", "pk")


def _open_of(target: models.Model, rule: str | None = None) -> QuerySet[Obligation]:
    return _of(target, rule).filter(state__in=Obligation.OPEN_STATES)


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
    once: bool = False,
) -> Obligation | None:
    """Start tracking ``rule`` on ``target``; None when the rule does not apply to the
    severity. A rule already running on the record is refused (409); with ``once``,
    a rule the record ever had is not opened again (and None is returned)."""
    if once and _of(target, rule).exists():
        return None
    policy = policy_for(rule, severity)
    if policy is None:
        return None
    if factor < 1:
        raise ValidationError({"factor": _("The factor must be at least 1.")})
    if _open_of(target, rule).exists():
        raise ConflictError(_("%(rule)s is already running on this record.") % {"rule": rule})
    now = timezone.now()
    obligation = Obligation(
        content_type=ContentType.objects.get_for_model(target),
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
    _event(obligation, actor=actor, kind=Kind.OPENED, at=now)
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
    _move(obligation, State.PAUSED, actor=actor, kind=Kind.PAUSED, at=at, note=reason)
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
    _move(obligation, State.RUNNING, actor=actor, kind=Kind.RESUMED, at=at)
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
    _move(obligation, State.MET_LATE if late else State.MET, actor=actor, kind=Kind.MET, at=at)
    return obligation


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
    _move(obligation, State.CANCELLED, actor=actor, kind=Kind.CANCELLED, at=at, note=reason)
    return obligation


# --- what a feature does to the limits of its record --------------------------------


@transaction.atomic
def obligations_meet(
    *,
    actor: User | None,
    target: models.Model,
    at: dt.datetime | None = None,
    rule: str | None = None,
) -> int:
    """Meet what is still open on ``target`` (only ``rule``'s, when given); how many."""
    at = at or timezone.now()
    rows = list(_open_of(target, rule))
    for obligation in rows:
        obligation_meet(actor=actor, obligation=obligation, at=at)
    return len(rows)


@transaction.atomic
def obligations_cancel(
    *,
    actor: User | None,
    target: models.Model,
    reason: str,
    at: dt.datetime | None = None,
    rule: str | None = None,
) -> int:
    """Cancel, with the reason, what is still open on ``target`` (only ``rule``'s, when
    given); how many."""
    if not reason or not reason.strip():
        raise ValidationError({"reason": _("Say why the time limit no longer applies.")})
    rows = list(_open_of(target, rule))
    for obligation in rows:
        obligation_cancel(actor=actor, obligation=obligation, reason=reason, at=at)
    return len(rows)


@transaction.atomic
def obligations_pause(
    *,
    actor: User | None,
    target: models.Model,
    rule: str,
    reason: str,
    at: dt.datetime | None = None,
) -> int:
    """Stop ``rule``'s clock on ``target`` while it runs (waiting on the customer)."""
    rows = list(_of(target, rule).filter(state=State.RUNNING))
    for obligation in rows:
        obligation_pause(actor=actor, obligation=obligation, reason=reason, at=at)
    return len(rows)


@transaction.atomic
def obligations_resume(
    *, actor: User | None, target: models.Model, rule: str, at: dt.datetime | None = None
) -> int:
    """Start ``rule``'s paused clock on ``target`` again."""
    rows = list(_of(target, rule).filter(state=State.PAUSED))
    for obligation in rows:
        obligation_resume(actor=actor, obligation=obligation, at=at)
    return len(rows)


@transaction.atomic
def obligations_reassign(
    *,
    actor: User | None,
    target: models.Model,
    from_user: User | None,
    to_user: User,
    rules: tuple[str, ...] = (),
) -> int:
    """What ``from_user`` (or nobody, when None) is responsible for on ``target`` goes to
    ``to_user`` — a technician who leaves hands over (R-WO-6), an assignee takes the
    request's limits; only ``rules`` when given. Each move is an event."""
    now = timezone.now()
    qs = _open_of(target).filter(responsible=from_user) if from_user else _open_of(target)
    if from_user is None:
        qs = qs.filter(responsible__isnull=True)
    if rules:
        qs = qs.filter(rule__in=rules)
    rows = list(qs.select_for_update())
    for obligation in rows:
        obligation.responsible = to_user
        obligation.save(update_fields=["responsible"])
        _event(
            obligation,
            actor=actor,
            kind=Kind.REASSIGNED,
            at=now,
            from_state=obligation.state,
            note=f"{from_user} → {to_user}"
            if from_user
            else _("to %(person)s") % {"person": to_user},
        )
    return len(rows)


@transaction.atomic
def obligations_reclassify(
    *, actor: User | None, target: models.Model, severity: str, reason: str
) -> int:
    """The record's severity changed: each open limit takes the policy of the new
    severity and is counted again from its own start (a limit that no longer applies
    is cancelled; one that breached but is not due under the new policy runs again).
    Each change is an event with the reason."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the severity changes.")})
    now = timezone.now()
    changed = 0
    for row in list(_open_of(target)):
        obligation = _locked(row)
        if obligation.severity == severity:
            continue
        policy = policy_for(obligation.rule, severity)
        if policy is None:
            obligation_cancel(actor=actor, obligation=obligation, reason=reason, at=now)
            changed += 1
            continue
        before, due_before = obligation.state, obligation.due_at
        obligation.severity, obligation.policy = severity, policy
        if before != State.PAUSED:
            schedule(obligation, policy)
        if before == State.BREACHED and obligation.due_at and obligation.due_at > now:
            obligation.escalation_step, obligation.next_escalation_at = 0, None
            obligation.state = State.RUNNING
        elif before == State.RUNNING:
            obligation.escalation_step = 0  # warned again under the new policy
        obligation.save()
        _event(
            obligation,
            actor=actor,
            kind=Kind.RECLASSIFIED,
            at=now,
            from_state=before,
            note=reason,
            due_at=due_before,
        )
        changed += 1
    return changed


@transaction.atomic
def obligation_restart(
    *,
    actor: User | None,
    target: models.Model,
    rule: str,
    started_at: dt.datetime | None = None,
    responsible: User | None = None,
    severity: str = "",
) -> Obligation | None:
    """Count ``rule`` on ``target`` again from ``started_at`` (now by default): the open
    row ends its round — kept as an event with its due time, on time or late — and
    runs again, for ``responsible`` when given. Without an open row the rule opens."""
    current = _open_of(target, rule).first()
    if current is None:
        return obligation_open(
            actor=actor,
            target=target,
            rule=rule,
            severity=severity,
            started_at=started_at,
            responsible=responsible,
        )
    obligation = _locked(current)
    now = timezone.now()
    start = started_at or now
    round_due, before = obligation.due_at, obligation.state
    if before == State.PAUSED:
        _account_pause(obligation, start)
        round_due = obligation.due_at
    late = before == State.BREACHED or (round_due is not None and start > round_due)
    obligation.started_at = start
    obligation.paused_seconds, obligation.paused_at = 0, None
    obligation.escalation_step, obligation.next_escalation_at = 0, None
    obligation.round += 1
    if responsible is not None:
        obligation.responsible = responsible
    schedule(obligation, obligation.policy)
    _move(
        obligation,
        State.RUNNING,
        actor=actor,
        kind=Kind.RESTARTED,
        at=start,
        note=str(_("the last round was late") if late else ""),
        due_at=round_due,
    )
    return obligation
