"""Returns and exchanges (退换货, R-RT-1, R-RT-2, R-RT-3), as the regulations write them:

- 第十七条: within 7 days of purchase, a quality problem not caused by people
  (非人为因素) may be returned or exchanged;
- 第十八条: the purchase proof and the intact original packaging are checked;
- 第十九条: once approved, the customer chooses refund or an exchange for the
  same model;
- 行为规范 11: every return needs the general manager's approval (RT.DECIDE);
  without it the customer bears the costs;
- 开箱验收: a delivery with damaged or missing items is not signed for and is
  replaced.

The life of a return (``RETURN_LIFE``):

==========  ======================================================
requested   approved, refused (the general manager, meeting RT.DECIDE)
approved    done (refunded, or the new unit accepted at unpacking)
refused     —
done        —
==========  ======================================================
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role
from aftersales.common.audit import save_audited
from aftersales.common.exceptions import ConflictError
from aftersales.common.lifecycle import Lifecycle
from aftersales.common.validation import check_past
from aftersales.customers.models import Customer, Equipment
from aftersales.customers.services import equipment_exchange, equipment_retire
from aftersales.obligations import services as obligations
from aftersales.returns.models import ReturnRequest, UnpackingInspection
from aftersales.service.numbering import formatted, next_number

Status = ReturnRequest.Status

RETURN_LIFE = Lifecycle(
    "returns.returnrequest",
    {
        Status.REQUESTED: {Status.APPROVED, Status.REFUSED},
        Status.APPROVED: {Status.DONE},
        Status.REFUSED: set(),
        Status.DONE: set(),
    },
)


def may_decide(user: User) -> bool:
    """Only the general manager approves or refuses a return (行为规范 11)."""
    return user.has_role(Role.GENERAL_MANAGER) or user.is_superuser


def return_request_transition(
    request: ReturnRequest, to: str, *, actor: User | None, note: str = ""
) -> None:
    """The one way a return's status changes (409 unless RETURN_LIFE allows it)."""
    RETURN_LIFE.move(request, to, actor=actor, note=note, reason=to)


def _window_days() -> int:
    """RT.WINDOW in whole days (7 by default; the policy row may say otherwise)."""
    window = obligations.policy_duration("RT.WINDOW")
    return window.days if window is not None else 7


@transaction.atomic
def return_request_create(
    *,
    actor: User,
    customer: Customer,
    equipment: Equipment,
    kind: str,
    purchased_on: dt.date | None = None,
    problem: str,
    caused_by_misuse: bool,
    proof_checked: bool,
    packaging_intact: bool,
    requested_at: dt.datetime | None = None,
) -> ReturnRequest:
    """Record a return or exchange request, refusing it with the rule when it does not
    qualify; a qualifying one waits for the general manager (RT.DECIDE). The purchase
    date is the sales record's when the unit has one, else the one given."""
    now = timezone.now()
    requested_at = requested_at or now
    errors: dict[str, Any] = {}
    if equipment.customer_id != customer.pk:
        errors["equipment"] = _("The unit belongs to another customer.")
    if kind not in ReturnRequest.Kind.values:
        errors["kind"] = _("Choose refund or exchange.")
    if not problem.strip():
        errors["problem"] = _("Describe the quality problem.")
    try:
        check_past(requested_at, "requested_at")
    except ValidationError as error:
        errors.update(error.message_dict)
    if equipment.purchased_on is not None:
        # The sales record knows the day (R-CUS-6): what was typed does not count.
        purchased_on = equipment.purchased_on
    if purchased_on is None:
        errors["purchased_on"] = _("Give the purchase date: the unit has no sales record.")
        raise ValidationError(errors)
    days = (timezone.localtime(requested_at).date() - purchased_on).days
    window = _window_days()
    if days < 0:
        errors["purchased_on"] = _("The purchase date is after the request.")
    elif days > window:
        errors["purchased_on"] = _(
            "Bought %(days)s days ago. 第十七条: a return or exchange is accepted only within "
            "%(window)s days of purchase."
        ) % {"days": days, "window": window}
    if caused_by_misuse:
        errors["caused_by_misuse"] = _(
            "第十七条: only a quality problem not caused by people (非人为因素) is returned or "
            "exchanged; a misuse fault is repaired under the warranty rules."
        )
    if not proof_checked:
        errors["proof_checked"] = _("第十八条: the purchase proof must be checked.")
    if not packaging_intact:
        errors["packaging_intact"] = _("第十八条: the original packaging must be intact.")
    if errors:
        raise ValidationError(errors)
    year = timezone.localtime(requested_at).year
    request = ReturnRequest(
        number=formatted("TH", year, next_number(f"TH-{year}")),
        kind=kind,
        customer=customer,
        equipment=equipment,
        requested_at=requested_at,
        purchased_on=purchased_on,
        problem=problem.strip(),
        proof_checked=True,
        packaging_intact=True,
        created_by=actor,
    )
    save_audited(request, actor=actor, reason="requested")
    obligations.obligation_open(
        actor=actor, target=request, rule="RT.DECIDE", started_at=requested_at
    )
    return request


def _locked(request: ReturnRequest) -> ReturnRequest:
    return ReturnRequest.objects.select_for_update().get(pk=request.pk)


@transaction.atomic
def return_request_decide(
    *, actor: User, request: ReturnRequest, approve: bool, note: str = ""
) -> ReturnRequest:
    """The general manager's decision (行为规范 11); a refusal says why. Meets RT.DECIDE."""
    if not may_decide(actor):
        raise ValidationError(
            {"approve": _("Only the general manager approves or refuses a return (行为规范 11).")}
        )
    if not approve and not note.strip():
        raise ValidationError({"note": _("Say why the return is refused.")})
    request = _locked(request)
    if request.status != Status.REQUESTED:
        raise ConflictError(_("%(n)s is already decided.") % {"n": request.number})
    now = timezone.now()
    request.decided_by, request.decided_at = actor, now
    request.decision_note = note.strip()[:300]
    return_request_transition(
        request,
        Status.APPROVED if approve else Status.REFUSED,
        actor=actor,
        note=request.decision_note,
    )
    obligations.obligations_meet(actor=actor, target=request, at=now)
    return request


@transaction.atomic
def return_request_complete(
    *,
    actor: User,
    request: ReturnRequest,
    refund_amount: Decimal | None = None,
    replacement_serial: str = "",
) -> ReturnRequest:
    """Refunded, or the new unit delivered and accepted at unpacking (第十九条)."""
    request = _locked(request)
    if request.status != Status.APPROVED:
        raise ConflictError(_("Only an approved return is carried out."))
    if request.kind == ReturnRequest.Kind.REFUND:
        if refund_amount is None or refund_amount < 0:
            raise ValidationError({"refund_amount": _("Give the amount refunded.")})
        request.refund_amount = refund_amount
        equipment_retire(
            actor=actor,
            equipment=request.equipment,
            reason=_("Returned for a refund (%(n)s)") % {"n": request.number},
        )
    else:
        if not replacement_serial.strip():
            raise ValidationError({"replacement_serial": _("Give the new unit's serial number.")})
        accepted = request.inspections.filter(outcome=UnpackingInspection.Outcome.OK).exists()
        if not accepted:
            raise ConflictError(
                _("The new unit has not passed the unpacking inspection with the customer.")
            )
        request.replacement_serial = replacement_serial.strip()[:100]
        try:
            equipment_exchange(
                actor=actor,
                old=request.equipment,
                serial_number=request.replacement_serial,
                reason=_("Exchanged (%(n)s)") % {"n": request.number},
            )
        except ValidationError as error:
            raise ValidationError({"replacement_serial": error.messages}) from error
    request.completed_at = timezone.now()
    return_request_transition(request, Status.DONE, actor=actor)
    return request


@transaction.atomic
def unpacking_record(
    *,
    actor: User,
    customer: Customer,
    outcome: str,
    note: str = "",
    signed_by: str = "",
    equipment: Equipment | None = None,
    return_request: ReturnRequest | None = None,
) -> UnpackingInspection:
    """开箱验收 with the customer: complete and undamaged is signed for; damaged or
    missing items are not, and the delivery is to be replaced."""
    errors: dict[str, Any] = {}
    if outcome not in UnpackingInspection.Outcome.values:
        errors["outcome"] = _("Choose what the inspection found.")
    elif outcome == UnpackingInspection.Outcome.OK and not signed_by.strip():
        errors["signed_by"] = _("Say who signed for the delivery.")
    elif outcome != UnpackingInspection.Outcome.OK:
        if signed_by.strip():
            errors["signed_by"] = _("Damaged or missing items are not signed for.")
        if not note.strip():
            errors["note"] = _("Say what is damaged or missing.")
    if equipment is not None and equipment.customer_id != customer.pk:
        errors["equipment"] = _("The unit belongs to another customer.")
    if return_request is not None and return_request.customer_id != customer.pk:
        errors["return_request"] = _("The exchange is another customer's.")
    if errors:
        raise ValidationError(errors)
    inspection = UnpackingInspection.objects.create(
        customer=customer,
        equipment=equipment,
        return_request=return_request,
        inspected_at=timezone.now(),
        inspector=actor,
        outcome=outcome,
        note=note.strip()[:500],
        signed_by=signed_by.strip()[:50],
        needs_replacement=outcome != UnpackingInspection.Outcome.OK,
    )
    return inspection
