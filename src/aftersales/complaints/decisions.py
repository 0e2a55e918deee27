"""Major complaints, the decision and its approval, the reply, remedy and closure
(R-CP-4, R-CP-5, R-CP-6, R-CP-10).

A major complaint is reported up the ladder at once (the sales vice-president;
the general manager too when especially major) and gets a handling group whose
opinion is due within CP.MAJOR_OPINION. The decision is made by someone the
complaint does not name and approved by another person who is not involved
either; only then is it replied to the complainant. An upheld complaint is
remedied, and CP.FOLLOW_UP checks with the customer within a week that the
remedy worked. A complaint closes only with a recorded reply.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role
from aftersales.common.audit import save_audited
from aftersales.common.exceptions import ConflictError
from aftersales.common.words import labelled
from aftersales.complaints.models import Complaint, Decision, Step
from aftersales.complaints.services import (
    _locked,
    _meet,
    _not_involved,
    _step,
    _text,
    complaint_transition,
    report_major,
)
from aftersales.complaints.telling import tell, tell_progress
from aftersales.delivery import webhooks
from aftersales.obligations import services as obligations
from aftersales.obligations.selectors import has_obligation

Status = Complaint.Status


@transaction.atomic
def complaint_mark_major(
    *,
    actor: User,
    complaint: Complaint,
    group: Iterable[User],
    especially: bool = False,
    note: str = "",
) -> Complaint:
    """Major (重大): reported at once to the vice-president (and the general manager when
    especially major); a handling group of named people is formed (CP.MAJOR_OPINION)."""
    complaint = _locked(complaint)
    report_major(complaint, actor=actor, members=list(group), especially=especially, note=note)
    return complaint


@transaction.atomic
def complaint_group_opinion(*, actor: User, complaint: Complaint, text: str) -> Complaint:
    """The handling group's opinion (meets CP.MAJOR_OPINION)."""
    text = _text(text, "text", _("Write the group's opinion."))
    complaint = _locked(complaint)
    if not complaint.handling_group.filter(pk=actor.pk).exists():
        raise ValidationError({"text": _("Only a member of the handling group gives its opinion.")})
    _meet(complaint, "CP.MAJOR_OPINION", actor=actor, at=timezone.now())
    _step(complaint, Step.Kind.GROUP_OPINION, actor=actor, text=text)
    return complaint


@transaction.atomic
def complaint_decide(
    *,
    actor: User,
    complaint: Complaint,
    decision: str,
    text: str,
    responsibility: str = "",
    penalty: str = "",
) -> Complaint:
    """Upheld, not upheld (explained with the evidence) or re-inspection (R-CP-6), made
    by someone the complaint does not name; it waits for an approval."""
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Choose upheld, not upheld or re-inspection.")})
    text = _text(text, "text", _("Give the grounds of the decision."))
    complaint = _locked(complaint)
    _not_involved(complaint, actor, "decision")
    done = set(complaint.steps.values_list("kind", flat=True))  # type: ignore[attr-defined]
    if Step.Kind.CONTACTED not in done:
        raise ConflictError(_("Contact the complainant before deciding."))
    if not done & {Step.Kind.INVESTIGATION, Step.Kind.FINDING}:
        raise ConflictError(_("Record the investigation or what it found before deciding."))
    now = timezone.now()
    complaint.decision, complaint.decision_text = decision, text
    complaint.responsibility, complaint.penalty = responsibility.strip(), penalty.strip()
    complaint.decided_by, complaint.decided_at = actor, now
    complaint.approved_by = complaint.approved_at = None
    complaint_transition(
        complaint, Status.DECIDED, actor=actor, note=decision, reason=f"decided {decision}"
    )
    _step(complaint, Step.Kind.DECIDED, actor=actor, text=labelled(Decision(decision).label, text))
    return complaint


def _decided(complaint: Complaint) -> Complaint:
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if complaint.status != Status.DECIDED:
        raise ConflictError(
            _("%(number)s has no decision to act on.") % {"number": complaint.number}
        )
    return complaint


def approvers(complaint: Complaint) -> tuple[str, ...]:
    """Who may approve, by the ladder (R-CP-4): the service manager, the vice-president or
    the general manager; a major complaint's decision the vice-president or the general
    manager; an especially major one the general manager."""
    if complaint.is_especially_major:
        return (Role.GENERAL_MANAGER,)
    if complaint.is_major:
        return (Role.SALES_VP, Role.GENERAL_MANAGER)
    return (Role.SERVICE_MANAGER, Role.SALES_VP, Role.GENERAL_MANAGER)


def approver_names(complaint: Complaint) -> str:
    return "、".join(str(Role(role).label) for role in approvers(complaint))


def may_approve(actor: User, complaint: Complaint) -> bool:
    return actor.is_superuser or actor.has_role(*approvers(complaint))


@transaction.atomic
def complaint_approve(*, actor: User, complaint: Complaint) -> Complaint:
    """Approved by someone the ladder names who is not involved: neither named nor the
    one who decided (R-CP-4, R-CP-5)."""
    complaint = _decided(complaint)
    if not may_approve(actor, complaint):
        raise ValidationError(
            {
                "approve": _("This decision is approved by: %(roles)s.")
                % {"roles": approver_names(complaint)}
            }
        )
    if complaint.decided_by_id == actor.pk:
        raise ValidationError({"approve": _("A decision is approved by someone else.")})
    _not_involved(complaint, actor, "approve")
    if complaint.approved_by_id:
        raise ConflictError(_("The decision is already approved."))
    complaint.approved_by, complaint.approved_at = actor, timezone.now()
    save_audited(complaint, actor=actor, reason="approved")
    _step(complaint, Step.Kind.APPROVED, actor=actor)
    return complaint


@transaction.atomic
def complaint_reply(*, actor: User, complaint: Complaint, text: str) -> Complaint:
    """The approved decision told to the complainant, and kept (R-CP-1, R-CP-10)."""
    text = _text(text, "text", _("Write the reply to the complainant."))
    complaint = _decided(complaint)
    if not complaint.approved_by_id:
        raise ConflictError(_("The decision must be approved before it is sent."))
    complaint.reply_text, complaint.replied_at = text, timezone.now()
    save_audited(complaint, actor=actor, reason="replied")
    tell(actor, complaint, text)
    _step(complaint, Step.Kind.REPLIED, actor=actor, text=text)
    return complaint


@transaction.atomic
def complaint_reaction(*, actor: User, complaint: Complaint, text: str) -> Complaint:
    text = _text(text, "text", _("Write how the complainant took the reply."))
    complaint = _decided(complaint)
    complaint.customer_reaction = text
    save_audited(complaint, actor=actor, reason="reaction")
    _step(complaint, Step.Kind.REACTION, actor=actor, text=text)
    return complaint


@transaction.atomic
def complaint_remedied(*, actor: User, complaint: Complaint, text: str) -> Complaint:
    """The remedy of an upheld complaint is done: CP.FOLLOW_UP starts."""
    text = _text(text, "text", _("Say what was done to remedy it."))
    complaint = _decided(complaint)
    if complaint.decision != Decision.UPHELD:
        raise ConflictError(_("Only an upheld complaint is remedied."))
    obligations.obligation_open(
        actor=actor,
        target=complaint,
        rule="CP.FOLLOW_UP",
        responsible=complaint.responsible,
        once=True,
    )
    _step(complaint, Step.Kind.REMEDIED, actor=actor, text=text)
    return complaint


@transaction.atomic
def complaint_follow_up(*, actor: User, complaint: Complaint, text: str) -> Complaint:
    """Checked with the customer that the remedy worked (meets CP.FOLLOW_UP)."""
    text = _text(text, "text", _("Write what the customer said."))
    complaint = _decided(complaint)
    if not has_obligation(complaint, "CP.FOLLOW_UP"):
        raise ConflictError(_("Record the remedy first."))
    _meet(complaint, "CP.FOLLOW_UP", actor=actor, at=timezone.now())
    _step(complaint, Step.Kind.FOLLOWED_UP, actor=actor, text=text)
    return complaint


@transaction.atomic
def complaint_close(*, actor: User, complaint: Complaint) -> Complaint:
    """Closed: only with a recorded reply, and an upheld one only after its follow-up."""
    complaint = _decided(complaint)
    _not_involved(complaint, actor, "__all__")
    if not complaint.replied_at:
        raise ValidationError({"reply": _("A complaint closes only after the reply is recorded.")})
    followed_up = has_obligation(complaint, "CP.FOLLOW_UP") and not has_obligation(
        complaint, "CP.FOLLOW_UP", open_only=True
    )
    if complaint.decision == Decision.UPHELD and not followed_up:
        raise ConflictError(_("An upheld complaint closes after the remedy is followed up."))
    if complaint.actions.filter(verified_at__isnull=True).exists():
        raise ConflictError(_("Every corrective action must be verified before closing."))
    now = timezone.now()
    complaint.closed_at = now
    complaint_transition(complaint, Status.CLOSED, actor=actor, reason="closed")
    Step.objects.create(complaint=complaint, at=now, actor=actor, kind=Step.Kind.CLOSED)
    tell_progress(actor, complaint, Step.Kind.CLOSED)
    _meet(complaint, "CP.PROGRESS", actor=actor, at=now)
    obligations.obligations_cancel(
        actor=actor, target=complaint, reason=_("Complaint closed"), at=now
    )
    webhooks.complaint_closed(complaint)
    return complaint
