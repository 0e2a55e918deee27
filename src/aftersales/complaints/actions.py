"""Corrective and preventive actions, regional warnings and external complaints
(R-CP-6, R-CP-7).

An action has an owner and an agreed date, kept as CP.CAPA (due at the end of
that working day); the owner reports it done, quality verifies it. An upheld
complaint closes only when its actions are verified. A regional warning tells
every other service team of a problem to prevent. A complaint that reached a
regulator or an association carries that body's reference and due date
(CP.EXTERNAL).

The life of an action (``ACTION_LIFE``): to do → done (its owner, meeting CP.CAPA) →
verified effective (quality); not effective sends it back to do, with a new CP.CAPA.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role
from aftersales.calendars.periods import day_start
from aftersales.common.audit import save_audited
from aftersales.common.exceptions import ConflictError
from aftersales.common.lifecycle import Lifecycle
from aftersales.common.words import labelled
from aftersales.complaints.models import (
    Complaint,
    CorrectiveAction,
    External,
    RegionalWarning,
    Step,
)
from aftersales.complaints.services import _not_involved, _step, _text
from aftersales.obligations import services as obligations
from aftersales.obligations.notices import notify

ActionStatus = CorrectiveAction.Status
ACTION_LIFE = Lifecycle(
    "complaints.correctiveaction",
    {
        ActionStatus.OPEN: {ActionStatus.DONE},
        ActionStatus.DONE: {ActionStatus.VERIFIED, ActionStatus.OPEN},  # OPEN: not effective
        ActionStatus.VERIFIED: set(),
    },
)


def action_transition(
    action: CorrectiveAction, to: str, *, actor: User, note: str = "", reason: str = ""
) -> None:
    """The one way an action's status changes (409 unless ACTION_LIFE allows it)."""
    ACTION_LIFE.move(action, to, actor=actor, note=note, reason=reason)


@transaction.atomic
def action_create(
    *,
    actor: User,
    complaint: Complaint,
    kind: str,
    description: str,
    owner: User,
    due_on: dt.date,
) -> CorrectiveAction:
    """An action on an upheld complaint, with its owner and agreed date (CP.CAPA)."""
    if kind not in CorrectiveAction.Kind.values:
        raise ValidationError({"kind": _("Choose corrective or preventive.")})
    description = _text(description, "description", _("Describe the action."))
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": _("The agreed date cannot be in the past.")})
    if not owner.is_active or owner.is_external:
        raise ValidationError({"owner": _("Choose an active member of staff.")})
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    _not_involved(complaint, owner, "owner")
    if complaint.decision != "upheld" or complaint.status == Complaint.Status.CLOSED:
        raise ConflictError(_("Actions follow an upheld complaint that is still open."))
    action = CorrectiveAction(
        complaint=complaint, kind=kind, description=description, owner=owner, due_on=due_on
    )
    save_audited(action, actor=actor, reason="created")
    obligations.obligation_open(
        actor=actor, target=action, rule="CP.CAPA", started_at=day_start(due_on), responsible=owner
    )
    _step(
        complaint,
        Step.Kind.ACTION,
        actor=actor,
        text=labelled(owner, _("%(what)s (by %(due)s)") % {"what": description, "due": due_on}),
    )
    return action


def _action(action: CorrectiveAction) -> CorrectiveAction:
    return (
        CorrectiveAction.objects.select_for_update().select_related("complaint").get(pk=action.pk)
    )


@transaction.atomic
def action_done(*, actor: User, action: CorrectiveAction, note: str) -> CorrectiveAction:
    """The owner reports the action done (meets CP.CAPA)."""
    note = _text(note, "note", _("Say what was done."), limit=500)
    action = _action(action)
    _not_involved(action.complaint, actor, "note")
    if action.owner_id != actor.pk and not actor.has_role(Role.SERVICE_MANAGER):
        raise ValidationError({"note": _("The owner of the action reports it done.")})
    if action.done_at:
        raise ConflictError(_("The action is already reported done."))
    now = timezone.now()
    action.done_at, action.done_note = now, note[:500]
    action_transition(action, ActionStatus.DONE, actor=actor, note=action.done_note, reason="done")
    obligations.obligations_meet(actor=actor, target=action, at=now)
    return action


@transaction.atomic
def action_verify(
    *, actor: User, action: CorrectiveAction, effective: bool, note: str
) -> CorrectiveAction:
    """Quality checks the action worked; not effective sends it back to its owner."""
    note = _text(note, "note", _("Say how it was verified."), limit=500)
    if not (actor.has_role(Role.QUALITY) or actor.is_superuser):
        raise ValidationError({"note": _("Quality verifies corrective actions.")})
    action = _action(action)
    if not action.done_at:
        raise ConflictError(_("The action is not reported done yet."))
    if action.owner_id == actor.pk:
        raise ValidationError({"note": _("An action is verified by someone other than its owner.")})
    now = timezone.now()
    action.verification_note = note[:500]
    if effective:
        action.verified_by, action.verified_at, action.effective = actor, now, True
        action_transition(action, ActionStatus.VERIFIED, actor=actor, note=note, reason="verified")
        return action
    # Back to the owner, with a new limit from today.
    action.done_at, action.effective = None, False
    action_transition(action, ActionStatus.OPEN, actor=actor, note=note, reason="not effective")
    obligations.obligation_open(
        actor=actor,
        target=action,
        rule="CP.CAPA",
        started_at=day_start(max(action.due_on, timezone.localdate())),
        responsible=action.owner,
    )
    return action


@transaction.atomic
def warning_issue(
    *, actor: User, title: str, text: str, complaint: Complaint | None = None
) -> RegionalWarning:
    """区域预警: every technician and service manager is told what to prevent."""
    title = _text(title, "title", _("Give the warning a title."), limit=100)
    text = _text(text, "text", _("Say what the teams should prevent."))
    now = timezone.now()
    warning = RegionalWarning.objects.create(
        complaint=complaint, title=title[:100], text=text, issued_by=actor, issued_at=now
    )
    notify(
        users=User.objects.filter(
            is_active=True, groups__name__in=[Role.TECHNICIAN, Role.SERVICE_MANAGER]
        ).distinct(),
        message=labelled(_("Regional warning"), f"{title} — {text}"),
        exclude=actor,
    )
    if complaint is not None:
        _step(complaint, Step.Kind.WARNING, actor=actor, text=title)
    return warning


@transaction.atomic
def complaint_external(
    *, actor: User, complaint: Complaint, body: str, reference: str, due_on: dt.date
) -> Complaint:
    """The complaint reached a regulator or an association (R-CP-7): flagged and tracked
    to that body's due date (CP.EXTERNAL)."""
    if body not in External.values:
        raise ValidationError({"body": _("Choose the external body.")})
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    received = timezone.localtime(complaint.received_at).date()
    if not received <= due_on <= timezone.localdate() + dt.timedelta(days=366):
        raise ValidationError(
            {"due_on": _("The body's due date falls after the complaint and within a year.")}
        )
    if complaint.status in (Complaint.Status.CLOSED, Complaint.Status.DECLINED):
        raise ConflictError(_("The complaint is no longer open."))
    complaint.external_body, complaint.external_reference = body, reference.strip()[:100]
    complaint.external_due_on = due_on
    save_audited(complaint, actor=actor, reason="external")
    obligations.obligations_cancel(
        actor=actor, target=complaint, rule="CP.EXTERNAL", reason=_("New due date")
    )
    obligations.obligation_open(
        actor=actor,
        target=complaint,
        rule="CP.EXTERNAL",
        started_at=day_start(due_on),
        responsible=complaint.responsible,
    )
    _step(
        complaint,
        Step.Kind.EXTERNAL,
        actor=actor,
        text=f"{External(body).label} {reference.strip()} {due_on}",
    )
    return complaint
