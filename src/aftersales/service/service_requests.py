"""Service requests from the call to the customer's confirmation (R-SR-1, R-SR-2, R-SR-3, R-SR-4,
R-SR-5, R-SR-9, R-SR-10).

The life of a request (``REQUEST_LIFE``; every move is a row of the timeline):

==========  ================================================================
new         replied, responded, on site, quoting, resolved, cancelled
replied     responded, on site, quoting, resolved, cancelled
responded   on site, quoting, resolved, cancelled
on site     quoting, resolved, cancelled
quoting     responded (quote accepted), on site, closed (refused), cancelled
resolved    closed (the customer confirmed), responded (reopened: not fixed)
closed      —
cancelled   —
==========  ================================================================

Time limits go through the obligations services: SR.REPLY, SR.RESPOND and
SR.RESOLVE start at intake; going on site starts SR.ARRIVE; SR.RESOLVE
("fault cleared and confirmed") is met when the customer confirms.
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
from aftersales.common.lifecycle import Lifecycle
from aftersales.common.validation import check_past
from aftersales.customers.models import Customer, Equipment, ProductModel, Site
from aftersales.customers.selectors import retirement
from aftersales.customers.warranty import WarrantyStatus
from aftersales.delivery import webhooks
from aftersales.obligations import services as obligations
from aftersales.operations import roster
from aftersales.service import signals, telling
from aftersales.service.models import (
    Call,
    Channel,
    Charge,
    Confirmation,
    ServiceRequest,
    StatusChange,
)
from aftersales.service.numbering import formatted, next_number

Status = ServiceRequest.Status


def _log(request: Any, before: str, to: str, actor: Any, note: str, at: dt.datetime) -> None:
    StatusChange.objects.create(
        request=request, at=at, actor=actor, from_status=before, to_status=to, note=note[:500]
    )


REQUEST_LIFE = Lifecycle(
    "service.servicerequest",
    {
        Status.NEW: {
            Status.REPLIED,
            Status.RESPONDED,
            Status.ONSITE,
            Status.QUOTING,
            Status.RESOLVED,
            Status.CANCELLED,
        },
        Status.REPLIED: {
            Status.RESPONDED,
            Status.ONSITE,
            Status.QUOTING,
            Status.RESOLVED,
            Status.CANCELLED,
        },
        Status.RESPONDED: {Status.ONSITE, Status.QUOTING, Status.RESOLVED, Status.CANCELLED},
        Status.ONSITE: {Status.QUOTING, Status.RESOLVED, Status.CANCELLED},
        # Back to where the quote found it once accepted: a request priced before anyone
        # answered with a plan still waits for that plan (SR.RESPOND).
        Status.QUOTING: {
            Status.NEW,
            Status.REPLIED,
            Status.RESPONDED,
            Status.ONSITE,
            Status.CLOSED,
            Status.CANCELLED,
        },
        Status.RESOLVED: {Status.CLOSED, Status.RESPONDED},  # reopened if the fault returns
        Status.CLOSED: set(),
        Status.CANCELLED: set(),
    },
    log=_log,
)
FINISHED = (Status.CLOSED, Status.CANCELLED)

# The limits that start at intake (policies.md, "starts at: intake").
INTAKE_RULES = ("SR.REPLY", "SR.RESPOND", "SR.RESOLVE")


def service_request_transition(
    request: ServiceRequest, to: str, *, actor: User | None, note: str = ""
) -> None:
    """The one way a request's status changes: refused (409) unless REQUEST_LIFE allows
    it, saved with its audit row and written to the timeline."""
    REQUEST_LIFE.move(request, to, actor=actor, note=note)


def log_note(request: ServiceRequest, actor: User | None, note: str) -> None:
    """A line on the request's timeline that is not a status change."""
    _log(request, request.status, request.status, actor, note, timezone.now())


def locked(request: ServiceRequest) -> ServiceRequest:
    return ServiceRequest.objects.select_for_update().get(pk=request.pk)


def meet(request: ServiceRequest, rule: str, *, actor: User | None, at: dt.datetime) -> None:
    obligations.obligations_meet(actor=actor, target=request, at=at, rule=rule)


def check_open(request: ServiceRequest) -> None:
    if request.status in FINISHED:
        raise ConflictError(
            _("The request is %(status)s.") % {"status": request.get_status_display()}
        )


def _digits(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit())[-11:]


@transaction.atomic
def service_request_create(
    *,
    actor: User | None,
    customer: Customer,
    channel: str,
    severity: str,
    caller_name: str,
    caller_phone: str,
    description: str,
    serial_number: str = "",
    received_at: dt.datetime | None = None,
    product_model: ProductModel | None = None,
    purchased_on: dt.date | None = None,
    site: Site | None = None,
    reply_to: str = "",
) -> ServiceRequest:
    """Record a call (R-SR-1), decide the warranty from the equipment (R-SR-6),
    and start the intake time limits (R-SR-3). The same caller about the same unit
    while a request is open is added to that request as a further call; another
    caller's request for the unit is recorded and linked to it (R-SR-10). The request
    returned says which (``joined``). The caller is told the new request's number: by
    e-mail to ``reply_to`` (a request that came by mail), else by SMS to a mobile."""
    from aftersales.service.charges import needs_price

    now = timezone.now()
    if actor is not None and actor.is_external:
        # A customer reports through the portal, now: the channel and the time are
        # facts the system records, not the customer's to choose.
        channel, received_at = Channel.WEB, now
    received_at = received_at or now
    check_past(received_at, "received_at", grace=dt.timedelta(minutes=1))
    errors: dict[str, Any] = {}
    equipment = None
    if serial_number:
        equipment = Equipment.objects.filter(
            serial_number__iexact=serial_number.strip(), customer=customer
        ).first()
        if equipment is None:  # one answer, so no one learns another company's serials
            errors["serial_number"] = _("This customer has no equipment with this serial number.")
        elif equipment.retired_on is not None:
            errors["serial_number"] = retirement(equipment)
    if len(description) > 4000:
        errors["description"] = _("At most %(limit)d characters; this has %(n)d.") % {
            "limit": 4000,
            "n": len(description),
        }
    if site is not None and site.customer_id != customer.pk:
        errors["site"] = _("The site is another customer's.")
    elif site is not None and equipment is not None and equipment.site_id not in (None, site.pk):
        errors["site"] = _(
            "This unit is recorded at %(site)s. If it has moved, change its site on the "
            "equipment page first, or leave this empty."
        ) % {"site": equipment.site}
    if purchased_on is not None and not (
        dt.date(2000, 1, 1) <= purchased_on <= timezone.localtime(received_at).date()
    ):
        errors["purchased_on"] = _("Give a purchase date between 2000 and the day of the call.")
    if errors:
        raise ValidationError(errors)
    open_request = (
        ServiceRequest.objects.select_for_update()
        .filter(equipment=equipment)
        .exclude(status__in=FINISHED)
        .order_by("received_at")
        .first()
        if equipment is not None
        else None
    )
    # A repair done and waiting for the caller's word is no longer being worked on: a
    # fault reported then is a new request (linked to it), not a call lost on the old.
    if (
        open_request is not None
        and open_request.status != Status.RESOLVED
        and _digits(open_request.caller_phone) == _digits(caller_phone)
    ):
        service_request_add_call(
            actor=actor,
            request=open_request,
            at=received_at,
            channel=channel,
            caller_name=caller_name,
            caller_phone=caller_phone,
            description=description,
        )
        open_request.joined = True  # type: ignore[attr-defined]
        return open_request
    year = timezone.localtime(received_at).year
    request = ServiceRequest(
        number=formatted("BX", year, next_number(f"BX-{year}")),
        customer=customer,
        equipment=equipment,
        channel=channel,
        severity=severity,
        caller_name=caller_name,
        caller_phone=caller_phone,
        description=description,
        received_at=received_at,
        created_by=actor,
        product_model=product_model or (equipment.product_model if equipment else None),
        purchased_on=purchased_on,
        site=site or (equipment.site if equipment else None),
        duplicate_of=open_request,
        warranty_status=(
            equipment.warranty_status_on(timezone.localtime(received_at).date())
            if equipment is not None
            else WarrantyStatus.UNKNOWN
        ),
    )
    request.needs_review = equipment is not None and not equipment.installed_by_us
    if request.warranty_status == WarrantyStatus.UNKNOWN:
        request.charge = Charge.UNDECIDED  # never printed as free
    save_audited(request, actor=actor, reason="received")
    _log(
        request,
        "",
        Status.NEW,
        actor,
        f"{request.get_channel_display()} · {request.get_severity_display()}",
        now,
    )
    # SR.REPLY belongs to the agent who took the call; a request nobody took (the
    # portal, the mailbox) is the hotline agent's on duty (R-OP-1). The others belong to
    # nobody until someone is assigned, so their warnings reach the service manager.
    agent = actor if actor is not None and not actor.is_external else roster.agent_on_duty(now)
    for rule in INTAKE_RULES:
        obligations.obligation_open(
            actor=actor,
            target=request,
            rule=rule,
            severity=severity,
            started_at=received_at,
            responsible=agent if rule == "SR.REPLY" else None,
        )
    if request.warranty_status == WarrantyStatus.OUT_OF_WARRANTY:
        needs_price(request, actor=actor, at=received_at)
    webhooks.request_created(request)
    telling.tell_received(actor, request, email=reply_to)
    request.joined = False  # type: ignore[attr-defined]
    return request


@transaction.atomic
def service_request_add_call(
    *,
    actor: User | None,
    request: ServiceRequest,
    at: dt.datetime,
    channel: str,
    caller_name: str,
    caller_phone: str,
    description: str,
) -> Call:
    """A further call (or mail) about an open request, kept on it (R-SR-10)."""
    check_open(request)
    call = Call(
        request=request,
        at=at,
        actor=actor,
        channel=channel,
        caller_name=caller_name[:50],
        caller_phone=caller_phone[:24],
        description=description[:4000],
    )
    call.full_clean(exclude=["caller_phone"] if not caller_phone else None)
    call.save()
    return call


@transaction.atomic
def service_request_reply(
    *, actor: User, request: ServiceRequest, note: str = ""
) -> ServiceRequest:
    """First reply to the caller (meets SR.REPLY)."""
    request = locked(request)
    service_request_transition(request, Status.REPLIED, actor=actor, note=note)
    meet(request, "SR.REPLY", actor=actor, at=timezone.now())
    return request


@transaction.atomic
def service_request_respond(*, actor: User, request: ServiceRequest, plan: str) -> ServiceRequest:
    """An engineer gives the customer a plan and an arrival time (meets SR.RESPOND, and
    SR.REPLY if no reply was recorded before)."""
    if not plan.strip():
        raise ValidationError({"plan": _("Describe the plan given to the customer.")})
    request = locked(request)
    now = timezone.now()
    service_request_transition(request, Status.RESPONDED, actor=actor, note=plan)
    meet(request, "SR.REPLY", actor=actor, at=now)
    meet(request, "SR.RESPOND", actor=actor, at=now)
    return request


def check_reviewed(request: ServiceRequest) -> None:
    if request.needs_review and request.reviewed_by_id is None:
        raise ConflictError(
            _(
                "We did not install this system: the technical department must review the "
                "request first."
            )
        )


@transaction.atomic
def service_request_review(
    *, actor: User, request: ServiceRequest, accepted: bool, note: str
) -> ServiceRequest:
    """The technical department's review of a system we did not install (R-SR-9)."""
    if not actor.has_role(Role.TECHNICAL) and not actor.is_superuser:
        raise ValidationError({"accepted": _("Only the technical department reviews.")})
    if not note.strip():
        raise ValidationError({"note": _("Record the review.")})
    request = locked(request)
    if not request.needs_review or request.reviewed_by_id is not None:
        raise ConflictError(_("This request needs no review."))
    request.reviewed_by, request.review_note = actor, note.strip()[:300]
    save_audited(request, actor=actor, reason="technical review")
    if not accepted:
        from aftersales.service.corrections import _cancel

        _cancel(
            actor=actor,
            request=request,
            reason=_("Not accepted after technical review: %(n)s") % {"n": note},
        )
        request.refresh_from_db()
    return request


@transaction.atomic
def service_request_go_onsite(
    *, actor: User, request: ServiceRequest, note: str = ""
) -> ServiceRequest:
    """Remote help did not clear it: someone goes on site (R-SR-4), SR.ARRIVE starts."""
    request = locked(request)
    check_reviewed(request)
    now = timezone.now()
    service_request_transition(request, Status.ONSITE, actor=actor, note=note)
    meet(request, "SR.REPLY", actor=actor, at=now)
    assigned = request.work_orders.filter(status="open").order_by("created_at").first()
    obligations.obligation_open(
        actor=actor,
        target=request,
        rule="SR.ARRIVE",
        severity=request.severity,
        started_at=now,
        responsible=assigned.technician if assigned else None,
    )
    return request


@transaction.atomic
def service_request_resolve(
    *, actor: User, request: ServiceRequest, resolution: str
) -> ServiceRequest:
    """The fault is cleared (R-SR-5). SR.RESOLVE runs on: it is met when the
    customer confirms (``service_request_close``)."""
    if not resolution.strip():
        raise ValidationError({"resolution": _("Say how the fault was cleared.")})
    request = locked(request)
    now = timezone.now()
    request.resolution = resolution.strip()
    service_request_transition(request, Status.RESOLVED, actor=actor, note=resolution)
    for rule in ("SR.REPLY", "SR.RESPOND"):
        meet(request, rule, actor=actor, at=now)
    return request


@transaction.atomic
def service_request_close(
    *,
    actor: User,
    request: ServiceRequest,
    confirmed_by: str,
    confirmed_via: str,
    note: str = "",
) -> ServiceRequest:
    """The customer confirmed the fault is cleared (R-SR-5): the request closes and
    SR.RESOLVE ("fault cleared and confirmed") is met."""
    errors = {}
    if not confirmed_by.strip():
        errors["confirmed_by"] = _("Say who at the customer confirmed it.")
    if confirmed_via not in Confirmation.values:
        errors["confirmed_via"] = _("Say how the customer confirmed it.")
    if errors:
        raise ValidationError(errors)
    request = locked(request)
    if request.status != Status.RESOLVED:
        raise ConflictError(_("Only a resolved request can be confirmed and closed."))
    now = timezone.now()
    request.confirmed_by = confirmed_by.strip()[:50]
    request.confirmed_via = confirmed_via
    request.confirmed_at = now
    label = Confirmation(confirmed_via).label
    service_request_transition(
        request,
        Status.CLOSED,
        actor=actor,
        note=" ".join(filter(None, [f"{request.confirmed_by} · {label}", note.strip()])),
    )
    meet(request, "SR.RESOLVE", actor=actor, at=now)
    signals.announce_closed(request=request, actor=actor, at=now)
    return request


@transaction.atomic
def service_request_reopen(*, actor: User, request: ServiceRequest, reason: str) -> ServiceRequest:
    """The customer says the fault is not cleared: back to work, SR.RESOLVE still running."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say what is still wrong.")})
    request = locked(request)
    if request.status != Status.RESOLVED:
        raise ConflictError(_("Only a resolved request can be reopened."))
    request.resolution = ""
    service_request_transition(request, Status.RESPONDED, actor=actor, note=reason.strip())
    return request


def service_request_confirm(
    *, actor: User, request: ServiceRequest, fixed: bool, note: str = ""
) -> ServiceRequest:
    """The customer's own answer in the portal: fixed closes, not fixed reopens."""
    if fixed:
        return service_request_close(
            actor=actor,
            request=request,
            confirmed_by=actor.get_full_name(),
            confirmed_via=Confirmation.PORTAL,
            note=note,
        )
    if not note.strip():
        raise ValidationError({"note": _("Say what is still wrong.")})
    return service_request_reopen(actor=actor, request=request, reason=note)


@transaction.atomic
def service_request_fault_report(
    *, actor: User, request: ServiceRequest, cause: str, prevention: str
) -> ServiceRequest:
    """故障分析报告 after an on-site P1/P2 repair (meets WO.FAULT_REPORT, R-WO-5)."""
    errors = {}
    if not cause.strip():
        errors["cause"] = _("Describe the cause.")
    if not prevention.strip():
        errors["prevention"] = _("Say how to avoid it.")
    if errors:
        raise ValidationError(errors)
    request = locked(request)
    request.fault_cause, request.fault_prevention = cause.strip(), prevention.strip()
    save_audited(request, actor=actor, reason="fault analysis report")
    log_note(request, actor, _("Fault analysis report written"))
    meet(request, "WO.FAULT_REPORT", actor=actor, at=timezone.now())
    return request


# Cancelling and reclassifying live beside; callers find them here too.
from aftersales.service.corrections import (  # noqa: E402, F401
    repair_done,
    service_request_cancel,
    service_request_set_severity,
)
