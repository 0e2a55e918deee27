"""Service requests from intake to closure, and work orders (R-SR, R-WO).

Every time limit goes through the obligations services; statuses move only
through ``_move`` and the transitions map, which logs each change.
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
from aftersales.calendars.engine import NATURAL_UNITS
from aftersales.common.audit import save_audited
from aftersales.common.exceptions import ConflictError
from aftersales.common.validation import check_past
from aftersales.customers.models import Customer, Equipment, FaultCode
from aftersales.customers.warranty import WarrantyStatus
from aftersales.obligations import services as obligations
from aftersales.obligations.models import Obligation
from aftersales.obligations.selectors import obligations_of
from aftersales.service import signals
from aftersales.service.models import (
    Charge,
    Confirmation,
    Exclusion,
    QuoteStatus,
    Result,
    ServiceRequest,
    StatusChange,
    WorkOrder,
)
from aftersales.service.numbering import formatted, next_number

Status = ServiceRequest.Status

TRANSITIONS: dict[str, set[str]] = {
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
    Status.QUOTING: {Status.RESPONDED, Status.ONSITE, Status.CLOSED, Status.CANCELLED},
    Status.RESOLVED: {Status.CLOSED, Status.RESPONDED},  # reopened if the fault returns
    Status.CLOSED: set(),
    Status.CANCELLED: set(),
}

# The limits that start at intake (policies.md, "starts at: intake").
INTAKE_RULES = ("SR.REPLY", "SR.RESPOND", "SR.RESOLVE")


def _move(request: ServiceRequest, to: str, *, actor: User | None, note: str = "") -> None:
    if to not in TRANSITIONS[request.status]:
        raise ConflictError(
            _("A request that is %(status)s cannot become %(to)s.")
            % {"status": request.get_status_display(), "to": Status(to).label}
        )
    before = request.status
    request.status = to
    save_audited(request, actor=actor, reason=f"{before} → {to}")
    StatusChange.objects.create(
        request=request,
        at=timezone.now(),
        actor=actor,
        from_status=before,
        to_status=to,
        note=note[:500],
    )


def _locked(request: ServiceRequest) -> ServiceRequest:
    return ServiceRequest.objects.select_for_update().get(pk=request.pk)


def _meet(request: ServiceRequest, rule: str, *, actor: User | None, at: dt.datetime) -> None:
    obligations.obligations_meet(actor=actor, target=request, at=at, rule=rule)


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
) -> ServiceRequest:
    """Record a call (R-SR-1), decide the warranty from the equipment (R-SR-6),
    and start the intake time limits (R-SR-3). A request for equipment that
    already has an open request from the same customer is linked to it (R-SR-10)."""
    now = timezone.now()
    received_at = received_at or now
    check_past(received_at, "received_at", grace=dt.timedelta(minutes=1))
    equipment = None
    if serial_number:
        equipment = Equipment.objects.filter(serial_number__iexact=serial_number.strip()).first()
        if equipment is None:
            raise ValidationError({"serial_number": _("No equipment has this serial number.")})
        if equipment.customer_id != customer.pk:
            raise ValidationError(
                {"serial_number": _("This equipment belongs to another customer.")}
            )
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
        warranty_status=(
            equipment.warranty_status_on(timezone.localtime(received_at).date())
            if equipment is not None
            else WarrantyStatus.UNKNOWN
        ),
    )
    if equipment is not None:
        request.duplicate_of = (
            ServiceRequest.objects.filter(equipment=equipment)
            .exclude(status__in=[Status.CLOSED, Status.CANCELLED])
            .order_by("received_at")
            .first()
        )
    request.needs_review = equipment is not None and not equipment.installed_by_us
    save_audited(request, actor=actor, reason="received")
    StatusChange.objects.create(
        request=request, at=now, actor=actor, to_status=Status.NEW, note=f"{channel} {severity}"
    )
    for rule in INTAKE_RULES:
        obligations.obligation_open(
            actor=actor,
            target=request,
            rule=rule,
            severity=severity,
            started_at=received_at,
            responsible=actor if rule == "SR.REPLY" and actor is not None else None,
        )
    if request.warranty_status == WarrantyStatus.OUT_OF_WARRANTY:
        _needs_price(request, actor=actor, at=received_at)
    return request


def _needs_price(request: ServiceRequest, *, actor: User | None, at: dt.datetime) -> None:
    """Out of warranty: the service manager prices the job (SR.QUOTE starts, R-SR-6)."""
    request.charge = Charge.QUOTED
    save_audited(request, actor=actor, reason="pricing needed")
    if not obligations_of(request).filter(rule="SR.QUOTE").exists():
        obligations.obligation_open(
            actor=actor, target=request, rule="SR.QUOTE", severity=request.severity, started_at=at
        )


@transaction.atomic
def service_request_reply(
    *, actor: User, request: ServiceRequest, note: str = ""
) -> ServiceRequest:
    """First reply to the caller (meets SR.REPLY)."""
    request = _locked(request)
    _move(request, Status.REPLIED, actor=actor, note=note)
    _meet(request, "SR.REPLY", actor=actor, at=timezone.now())
    return request


@transaction.atomic
def service_request_respond(*, actor: User, request: ServiceRequest, plan: str) -> ServiceRequest:
    """An engineer gives the customer a plan and an arrival time (meets SR.RESPOND, and
    SR.REPLY if no reply was recorded before)."""
    if not plan.strip():
        raise ValidationError({"plan": _("Describe the plan given to the customer.")})
    request = _locked(request)
    now = timezone.now()
    _move(request, Status.RESPONDED, actor=actor, note=plan)
    _meet(request, "SR.REPLY", actor=actor, at=now)
    _meet(request, "SR.RESPOND", actor=actor, at=now)
    return request


@transaction.atomic
def service_request_resolve(
    *, actor: User, request: ServiceRequest, resolution: str
) -> ServiceRequest:
    """The fault is cleared (R-SR-5). SR.RESOLVE runs on: it is met when the
    customer confirms (``service_request_close``)."""
    if not resolution.strip():
        raise ValidationError({"resolution": _("Say how the fault was cleared.")})
    request = _locked(request)
    now = timezone.now()
    request.resolution = resolution.strip()
    _move(request, Status.RESOLVED, actor=actor, note=resolution)
    for rule in ("SR.REPLY", "SR.RESPOND"):
        _meet(request, rule, actor=actor, at=now)
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
    """The customer confirmed the fault is cleared: the request closes and
    SR.RESOLVE ("fault cleared and confirmed") is met."""
    errors = {}
    if not confirmed_by.strip():
        errors["confirmed_by"] = _("Say who at the customer confirmed it.")
    if confirmed_via not in Confirmation.values:
        errors["confirmed_via"] = _("Say how the customer confirmed it.")
    if errors:
        raise ValidationError(errors)
    request = _locked(request)
    if request.status != Status.RESOLVED:
        raise ConflictError(_("Only a resolved request can be confirmed and closed."))
    now = timezone.now()
    request.confirmed_by = confirmed_by.strip()[:50]
    request.confirmed_via = confirmed_via
    request.confirmed_at = now
    label = Confirmation(confirmed_via).label
    _move(
        request,
        Status.CLOSED,
        actor=actor,
        note=" ".join(filter(None, [f"{request.confirmed_by} · {label}", note.strip()])),
    )
    _meet(request, "SR.RESOLVE", actor=actor, at=now)
    signals.request_closed.send(sender=ServiceRequest, request=request, actor=actor, at=now)
    return request


@transaction.atomic
def service_request_reopen(*, actor: User, request: ServiceRequest, reason: str) -> ServiceRequest:
    """The customer says the fault is not cleared: back to work, SR.RESOLVE still running."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say what is still wrong.")})
    request = _locked(request)
    if request.status != Status.RESOLVED:
        raise ConflictError(_("Only a resolved request can be reopened."))
    request.resolution = ""
    _move(request, Status.RESPONDED, actor=actor, note=reason.strip())
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
def service_request_cancel(*, actor: User, request: ServiceRequest, reason: str) -> ServiceRequest:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the request is cancelled.")})
    request = _locked(request)
    _move(request, Status.CANCELLED, actor=actor, note=reason)
    for obligation in obligations_of(request).filter(state__in=Obligation.OPEN_STATES):
        obligations.obligation_cancel(
            actor=actor, obligation=obligation, reason=_("Request cancelled: %(r)s") % {"r": reason}
        )
    return request


# --- work orders -----------------------------------------------------------------


def _check_technician(technician: User) -> None:
    if not technician.is_active:
        raise ValidationError({"technician": _("This user is inactive.")})
    if not technician.has_role(Role.TECHNICIAN):
        raise ValidationError({"technician": _("This user is not a technician.")})


@transaction.atomic
def work_order_create(
    *,
    actor: User | None,
    service_request: ServiceRequest,
    technician: User,
    replaces: WorkOrder | None = None,
    planned_arrival: dt.datetime | None = None,
) -> WorkOrder:
    """A work order with the next gapless number of this year's series (R-WO-2)."""
    request = _locked(service_request)
    if request.status in (Status.CLOSED, Status.CANCELLED):
        raise ConflictError(
            _("The request is %(status)s.") % {"status": request.get_status_display()}
        )
    _check_technician(technician)
    _check_reviewed(request)
    now = timezone.now()
    year = timezone.localtime(now).year
    series = f"WX-{year}"
    sequence = next_number(series)
    order = WorkOrder(
        number=formatted("WX", year, sequence),
        series=series,
        sequence=sequence,
        service_request=request,
        technician=technician,
        replaces=replaces,
        created_at=now,
        planned_arrival=planned_arrival,
    )
    save_audited(order, actor=actor, reason="created")
    if planned_arrival is not None:
        # R-WO-1: the customer is told when the technician will arrive.
        StatusChange.objects.create(
            request=request,
            at=now,
            actor=actor,
            from_status=request.status,
            to_status=request.status,
            note=_("%(tech)s assigned; customer told the planned arrival %(at)s")
            % {
                "tech": technician,
                "at": timezone.localtime(planned_arrival).strftime("%Y-%m-%d %H:%M"),
            },
        )
    if not obligations_of(request).filter(rule="WO.PAPERS").exists():
        obligations.obligation_open(
            actor=actor,
            target=request,
            rule="WO.PAPERS",
            severity=request.severity,
            started_at=request.received_at,
            responsible=technician,
        )
    return order


@transaction.atomic
def work_order_void(*, actor: User | None, work_order: WorkOrder, reason: str) -> WorkOrder:
    """Void a spoiled order (作废): it keeps its number, which is never given again."""
    if not reason or not reason.strip():
        raise ValidationError({"reason": _("Say why the order is void.")})
    order = WorkOrder.objects.select_for_update().get(pk=work_order.pk)
    if order.status == WorkOrder.Status.VOID:
        raise ConflictError(_("The order is already void."))
    if order.status == WorkOrder.Status.COMPLETED:
        raise ConflictError(_("A completed order cannot be voided."))
    order.status = WorkOrder.Status.VOID
    order.void_reason = reason.strip()[:300]
    order.voided_at = timezone.now()
    save_audited(order, actor=actor, reason=f"void: {reason}")
    return order


# --- on site -------------------------------------------------------------------------

SIGNATURE_PREFIX = "data:image/png;base64,"
MAX_SIGNATURE = 300_000  # characters of data URL; a drawn name is a few kB


@transaction.atomic
def _check_reviewed(request: ServiceRequest) -> None:
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
    request = _locked(request)
    if not request.needs_review or request.reviewed_by_id is not None:
        raise ConflictError(_("This request needs no review."))
    request.reviewed_by, request.review_note = actor, note.strip()[:300]
    save_audited(request, actor=actor, reason="technical review")
    if not accepted:
        service_request_cancel(
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
    request = _locked(request)
    _check_reviewed(request)
    now = timezone.now()
    _move(request, Status.ONSITE, actor=actor, note=note)
    _meet(request, "SR.REPLY", actor=actor, at=now)
    obligations.obligation_open(
        actor=actor, target=request, rule="SR.ARRIVE", severity=request.severity, started_at=now
    )
    return request


def _own_order(actor: User, order: WorkOrder) -> WorkOrder:
    locked = (
        WorkOrder.objects.select_for_update().select_related("service_request").get(pk=order.pk)
    )
    if locked.status != WorkOrder.Status.OPEN:
        raise ConflictError(_("The order is %(status)s.") % {"status": locked.get_status_display()})
    return locked


@transaction.atomic
def work_order_arrive(
    *, actor: User, work_order: WorkOrder, at: dt.datetime | None = None
) -> WorkOrder:
    """The technician is on site (meets SR.ARRIVE)."""
    order = _own_order(actor, work_order)
    at = at or timezone.now()
    if order.arrived_at is not None:
        raise ConflictError(_("Arrival is already recorded."))
    order.arrived_at = at
    save_audited(order, actor=actor, reason="arrived")
    _meet(order.service_request, "SR.ARRIVE", actor=actor, at=at)
    return order


@transaction.atomic
def work_order_record(
    *,
    actor: User,
    work_order: WorkOrder,
    work_done: str = "",
    diagnosis: str = "",
    parts_used: str = "",
    result: str = "",
    delay_reason: str = "",
) -> WorkOrder:
    """What was done, the diagnosis, parts and result (R-WO-3, R-SR-5)."""
    order = _own_order(actor, work_order)
    order.work_done, order.diagnosis, order.parts_used = work_done, diagnosis, parts_used
    order.result, order.delay_reason = result, delay_reason
    save_audited(order, actor=actor, reason="work recorded")
    return order


@transaction.atomic
def work_order_sign(
    *, actor: User, work_order: WorkOrder, signature: str, signed_by: str
) -> WorkOrder:
    """The customer's signature drawn on the screen (a PNG data URL)."""
    if not signature.startswith(SIGNATURE_PREFIX) or len(signature) > MAX_SIGNATURE:
        raise ValidationError({"signature": _("Draw the signature on the screen.")})
    if not signed_by.strip():
        raise ValidationError({"signed_by": _("Who signed?")})
    order = _own_order(actor, work_order)
    order.signature, order.signed_by, order.signed_at = signature, signed_by.strip(), timezone.now()
    save_audited(order, actor=actor, reason="signed")
    return order


def missing_for_completion(order: WorkOrder) -> dict[str, str]:
    """The fields a complete order needs that are still empty (R-WO-3, R-WO-4)."""
    missing = {}
    required = {
        "arrived_at": _("Record the arrival."),
        "work_done": _("Describe the work done."),
        "diagnosis": _("Choose hardware or software."),
        "result": _("Say whether the fault is fixed."),
        "signature": _("The customer must sign."),
    }
    for field, message in required.items():
        if not getattr(order, field):
            missing[field] = message
    if order.result == Result.NOT_FIXED and not order.delay_reason.strip():
        missing["delay_reason"] = _("An unfinished visit needs a delay reason analysis.")
    return missing


@transaction.atomic
def work_order_complete(
    *, actor: User, work_order: WorkOrder, at: dt.datetime | None = None
) -> WorkOrder:
    """Complete only when every required field is filled and signed; starts WO.FILE and,
    after an on-site repair of a P1/P2 fault, WO.FAULT_REPORT; meets WO.PAPERS."""
    order = _own_order(actor, work_order)
    missing = missing_for_completion(order)
    if missing:
        raise ValidationError(missing)
    at = at or timezone.now()
    order.status = WorkOrder.Status.COMPLETED
    order.completed_at = at
    order.departed_at = order.departed_at or at
    save_audited(order, actor=actor, reason="completed")
    request = order.service_request
    _meet(request, "WO.PAPERS", actor=actor, at=at)
    obligations.obligation_open(
        actor=actor,
        target=order,
        rule="WO.FILE",
        severity=request.severity,
        started_at=order.departed_at,
        responsible=order.technician,
    )
    if order.result == Result.FIXED and request.severity in ("P1", "P2"):
        obligations.obligation_open(
            actor=actor,
            target=request,
            rule="WO.FAULT_REPORT",
            severity=request.severity,
            started_at=at,
            responsible=order.technician,
        )
    return order


@transaction.atomic
def work_order_file(*, actor: User, work_order: WorkOrder) -> WorkOrder:
    """The signed service record is filed (meets WO.FILE, R-WO-7)."""
    order = WorkOrder.objects.select_for_update().get(pk=work_order.pk)
    if order.status != WorkOrder.Status.COMPLETED:
        raise ConflictError(_("Only a completed order is filed."))
    if order.filed_at is not None:
        raise ConflictError(_("The order is already filed."))
    order.filed_at = timezone.now()
    save_audited(order, actor=actor, reason="filed")
    for obligation in obligations_of(order).filter(
        rule="WO.FILE", state__in=Obligation.OPEN_STATES
    ):
        obligations.obligation_meet(actor=actor, obligation=obligation, at=order.filed_at)
    return order


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
    request = _locked(request)
    request.fault_cause, request.fault_prevention = cause.strip(), prevention.strip()
    save_audited(request, actor=actor, reason="fault analysis report")
    _meet(request, "WO.FAULT_REPORT", actor=actor, at=timezone.now())
    return request


# --- warranty exclusions and quotes (R-SR-6) --------------------------------------------


@transaction.atomic
def service_request_exclude(
    *, actor: User, request: ServiceRequest, exclusion: str, note: str = ""
) -> ServiceRequest:
    """In warranty, but caused by misuse or an exclusion: parts are charged at cost."""
    if exclusion not in Exclusion.values:
        raise ValidationError({"exclusion": _("Choose one of the listed causes.")})
    if not note.strip():
        raise ValidationError({"note": _("Record what was found.")})
    request = _locked(request)
    if request.status in (Status.CLOSED, Status.CANCELLED):
        raise ConflictError(
            _("The request is %(status)s.") % {"status": request.get_status_display()}
        )
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
    request = _locked(request)
    now = timezone.now()
    request.quote_amount, request.quote_status = amount, QuoteStatus.PENDING
    request.charge = Charge.QUOTED
    _move(request, Status.QUOTING, actor=actor, note=note or str(amount))
    _meet(request, "SR.QUOTE", actor=actor, at=now)
    for obligation in obligations_of(request).filter(rule="SR.RESOLVE", state="running"):
        obligations.obligation_pause(
            actor=actor,
            obligation=obligation,
            reason=_("Waiting for the customer to accept the quote."),
        )
    return request


@transaction.atomic
def service_request_quote_answer(
    *, actor: User, request: ServiceRequest, accepted: bool, note: str = ""
) -> ServiceRequest:
    """The customer's answer: accepted resumes SR.RESOLVE; refused closes the request."""
    request = _locked(request)
    if request.status != Status.QUOTING:
        raise ConflictError(_("No quote is waiting for an answer."))
    now = timezone.now()
    if accepted:
        request.quote_status = QuoteStatus.ACCEPTED
        _move(request, Status.RESPONDED, actor=actor, note=note or _("Quote accepted"))
        for obligation in obligations_of(request).filter(rule="SR.RESOLVE", state="paused"):
            obligations.obligation_resume(actor=actor, obligation=obligation, at=now)
        return request
    request.quote_status = QuoteStatus.REFUSED
    request.resolution = _("Quote refused by the customer.") + (f" {note}" if note else "")
    _move(request, Status.CLOSED, actor=actor, note=request.resolution)
    for obligation in obligations_of(request).filter(state__in=Obligation.OPEN_STATES):
        obligations.obligation_cancel(
            actor=actor, obligation=obligation, reason=_("Quote refused"), at=now
        )
    return request


# --- a technician who leaves (R-WO-6) ---------------------------------------------------


def open_orders_of(technician: User) -> list[WorkOrder]:
    return list(WorkOrder.objects.filter(technician=technician, status=WorkOrder.Status.OPEN))


@transaction.atomic
def work_orders_hand_over(*, actor: User, from_user: User, to_user: User) -> int:
    """Give every open order of one technician to another (before they leave)."""
    _check_technician(to_user)
    if from_user.pk == to_user.pk:
        raise ValidationError({"to_user": _("Choose another technician.")})
    moved = 0
    for order in WorkOrder.objects.select_for_update().filter(
        technician=from_user, status=WorkOrder.Status.OPEN
    ):
        order.technician = to_user
        save_audited(order, actor=actor, reason=f"handed over from {from_user.username}")
        for obligation in obligations_of(order.service_request).filter(
            responsible=from_user, state__in=Obligation.OPEN_STATES
        ):
            obligation.responsible = to_user
            obligation.save(update_fields=["responsible"])
        moved += 1
    return moved


@transaction.atomic
def user_deactivate(*, actor: User, user: User) -> User:
    """Deactivate an account; refused while it still holds open work orders."""
    orders = open_orders_of(user)
    if orders:
        raise ConflictError(
            _("%(user)s still holds open work orders (%(numbers)s): hand them over first.")
            % {"user": user, "numbers": ", ".join(o.number for o in orders[:10])}
        )
    user.is_active = False
    save_audited(user, actor=actor, reason="deactivated")
    return user


# --- the same fault again: repeats (R-SR-8) and 三包 (R-SR-7) ----------------------------

REPLACE_AFTER = 3  # repaired this many times in warranty, the next failure proposes a new unit


@transaction.atomic
def service_request_set_fault(
    *, actor: User, request: ServiceRequest, fault_code: FaultCode
) -> ServiceRequest:
    """The fault found at diagnosis. The same fault on the same unit within the
    SR.REPEAT window is a repeat repair; the fourth failure of the same fault in
    warranty proposes a replacement of the same brand and model."""
    request = _locked(request)
    if request.equipment is None:
        raise ValidationError({"fault_code": _("The request names no equipment.")})
    if fault_code.product_model_id != request.equipment.product_model_id:
        raise ValidationError({"fault_code": _("This fault code is for another product model.")})
    request.fault_code = fault_code
    same = ServiceRequest.objects.filter(
        equipment=request.equipment, fault_code=fault_code, received_at__lt=request.received_at
    ).exclude(pk=request.pk)
    window = obligations.policy_for("SR.REPEAT")
    if window is not None:
        since = request.received_at - dt.timedelta(
            seconds=window.amount * NATURAL_UNITS.get(window.unit, 86400)
        )
        request.is_repeat = same.filter(received_at__gte=since).exists()
    repaired_in_warranty = same.filter(
        warranty_status=WarrantyStatus.IN_WARRANTY,
        status__in=[Status.RESOLVED, Status.CLOSED],
    ).count()
    request.replacement_proposed = (
        request.warranty_status == WarrantyStatus.IN_WARRANTY
        and repaired_in_warranty >= REPLACE_AFTER
    )
    save_audited(request, actor=actor, reason=f"fault {fault_code.code}")
    return request


@transaction.atomic
def dispatch(
    *,
    actor: User,
    service_request: ServiceRequest,
    technicians: list[User],
    planned_arrival: dt.datetime | None = None,
) -> list[WorkOrder]:
    """Assign one technician, or a team for a big job: one order each (R-WO-1)."""
    if not technicians:
        raise ValidationError({"technicians": _("Choose at least one technician.")})
    if planned_arrival is not None and planned_arrival < timezone.now() - dt.timedelta(minutes=5):
        raise ValidationError({"planned_arrival": _("The planned arrival is in the past.")})
    return [
        work_order_create(
            actor=actor,
            service_request=service_request,
            technician=technician,
            planned_arrival=planned_arrival,
        )
        for technician in technicians
    ]


# --- SR.SPARE: a spare or backup unit on site when the fault is not fixed on the spot ------


@transaction.atomic
def service_request_swap(*, actor: User, request: ServiceRequest, note: str = "") -> ServiceRequest:
    """Decided: the fault cannot be fixed on the spot; a spare part or a backup unit goes
    to the customer (R-SP-3), and SR.SPARE starts."""
    request = _locked(request)
    if request.status in (Status.CLOSED, Status.CANCELLED, Status.RESOLVED):
        raise ConflictError(_("The request is no longer being worked on."))
    obligations.obligation_open(
        actor=actor, target=request, rule="SR.SPARE", severity=request.severity
    )
    StatusChange.objects.create(
        request=request,
        at=timezone.now(),
        actor=actor,
        from_status=request.status,
        to_status=request.status,
        note=(_("Swap decided") + (f": {note.strip()}" if note.strip() else ""))[:500],
    )
    return request


def service_request_spare_on_site(
    *, actor: User | None, request: ServiceRequest, at: dt.datetime
) -> None:
    """A backup unit lent for the request, or a spare part used on its order: SR.SPARE met."""
    _meet(request, "SR.SPARE", actor=actor, at=at)
