"""What the customer pays (R-SR-6): free in warranty, parts at cost for misuse or an
exclusion, and out of warranty the service manager's quote, which the customer
accepts or refuses.

Out of warranty SR.QUOTE starts at intake; the quote meets it and pauses
SR.RESOLVE until the customer answers (the wait is the customer's, not ours).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role
from aftersales.common.audit import save_audited
from aftersales.common.exceptions import ConflictError
from aftersales.common.words import labelled, yuan
from aftersales.obligations import services as obligations
from aftersales.service.models import Charge, Exclusion, QuoteStatus, ServiceRequest
from aftersales.service.service_requests import (
    Status,
    check_open,
    locked,
    log_note,
    meet,
    service_request_transition,
)


def needs_price(request: ServiceRequest, *, actor: User | None, at: dt.datetime) -> None:
    """Out of warranty: the service manager prices the job (SR.QUOTE starts, R-SR-6)."""
    request.charge = Charge.QUOTED
    save_audited(request, actor=actor, reason="pricing needed")
    obligations.obligation_open(
        actor=actor,
        target=request,
        rule="SR.QUOTE",
        severity=request.severity,
        started_at=at,
        once=True,
    )


def waits_for_quote(request: ServiceRequest) -> bool:
    """Out of warranty and the customer has not accepted the price (nor was it waived)."""
    return (
        request.charge == Charge.QUOTED
        and request.quote_status != QuoteStatus.ACCEPTED
        and not request.quote_waived_reason
    )


def check_priced(request: ServiceRequest) -> None:
    """Out of warranty, nobody is sent and no order completes before the customer has
    accepted the quote, unless the service manager waived it with a reason (R-SR-6)."""
    if waits_for_quote(request):
        raise ConflictError(
            _(
                "Out of warranty: the customer must accept the quote first, or the service "
                "manager records why work starts without one."
            )
        )


@transaction.atomic
def service_request_waive_quote(
    *, actor: User, request: ServiceRequest, reason: str
) -> ServiceRequest:
    """The service manager lets work start before the quote is accepted (an emergency, a
    contract still being signed), with the reason on the timeline; SR.QUOTE stops."""
    if not actor.has_role(Role.SERVICE_MANAGER) and not actor.is_superuser:
        raise ValidationError({"reason": _("Only the service manager lets work start unquoted.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why work starts without an accepted quote.")})
    request = locked(request)
    check_open(request)
    if request.charge != Charge.QUOTED or request.quote_status == QuoteStatus.ACCEPTED:
        raise ConflictError(_("This request waits for no quote."))
    request.quote_waived_by, request.quote_waived_reason = actor, reason.strip()[:300]
    save_audited(request, actor=actor, reason="quote waived")
    obligations.obligations_cancel(
        actor=actor, target=request, rule="SR.QUOTE", reason=request.quote_waived_reason
    )
    log_note(request, actor, _("Work starts without an accepted quote: %(r)s") % {"r": reason})
    return request


@transaction.atomic
def service_request_exclude(
    *, actor: User, request: ServiceRequest, exclusion: str, note: str = ""
) -> ServiceRequest:
    """In warranty, but caused by misuse or an exclusion: parts are charged at cost."""
    if exclusion not in Exclusion.values:
        raise ValidationError({"exclusion": _("Choose one of the listed causes.")})
    if not note.strip():
        raise ValidationError({"note": _("Record what was found.")})
    request = locked(request)
    check_open(request)
    request.exclusion, request.exclusion_note = exclusion, note.strip()[:300]
    if request.charge == Charge.FREE:
        request.charge = Charge.PARTS_AT_COST
    save_audited(request, actor=actor, reason=f"exclusion: {exclusion}")
    return request


@transaction.atomic
def service_request_quote(
    *, actor: User, request: ServiceRequest, amount: Any, note: str = ""
) -> ServiceRequest:
    """The service manager prices the job and the quote goes to the customer: SR.QUOTE is
    met, SR.RESOLVE waits (paused) for the customer's answer."""
    if not actor.has_role(Role.SERVICE_MANAGER) and not actor.is_superuser:
        raise ValidationError({"amount": _("Only the service manager prices a repair.")})
    if amount is None or amount < 0:
        raise ValidationError({"amount": _("Give the price.")})
    request = locked(request)
    now = timezone.now()
    request.quote_amount, request.quote_status = amount, QuoteStatus.PENDING
    request.quote_note = note.strip()[:500]
    request.charge = Charge.QUOTED
    quoted = _("Quoted %(amount)s") % {"amount": yuan(amount)}
    service_request_transition(request, Status.QUOTING, actor=actor, note=labelled(quoted, note))
    meet(request, "SR.QUOTE", actor=actor, at=now)
    obligations.obligations_pause(
        actor=actor,
        target=request,
        rule="SR.RESOLVE",
        reason=_("Waiting for the customer to accept the quote."),
    )
    return request


@transaction.atomic
def service_request_quote_answer(
    *, actor: User, request: ServiceRequest, accepted: bool, note: str = ""
) -> ServiceRequest:
    """The customer's answer: accepted resumes SR.RESOLVE; refused closes the request."""
    request = locked(request)
    if request.status != Status.QUOTING:
        raise ConflictError(_("No quote is waiting for an answer."))
    now = timezone.now()
    if accepted:
        request.quote_status = QuoteStatus.ACCEPTED
        told = _("The customer accepted the quote")
        before = (
            request.changes.filter(to_status=Status.QUOTING)
            .order_by("-at", "-pk")
            .values_list("from_status", flat=True)
            .first()
        )
        service_request_transition(
            request,
            before if before in (Status.NEW, Status.REPLIED, Status.ONSITE) else Status.RESPONDED,
            actor=actor,
            note=labelled(told, note),
        )
        obligations.obligations_resume(actor=actor, target=request, rule="SR.RESOLVE", at=now)
        return request
    request.quote_status = QuoteStatus.REFUSED
    request.resolution = _("Quote refused by the customer.") + (f" {note}" if note else "")
    service_request_transition(request, Status.CLOSED, actor=actor, note=request.resolution)
    obligations.obligations_cancel(actor=actor, target=request, reason=_("Quote refused"), at=now)
    return request
