"""Work orders: dispatch, the visit on site, completion and filing (R-WO-1, R-WO-2, R-WO-3, R-WO-4,
R-WO-5, R-WO-7).

The life of a work order (``ORDER_LIFE``):

==========  =========================================================
open        completed (every required field filled and signed), void
completed   —  (filing is a date on the completed order)
void        —  (it keeps its number, which is never given again)
==========  =========================================================

Each order takes the next gapless number of its year's series (R-WO-2). The
first order of a request starts WO.PAPERS; completion meets it and starts
WO.FILE (and WO.FAULT_REPORT after an on-site repair of a P1/P2 fault).
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
from aftersales.common.signatures import check_signature, digest
from aftersales.delivery import webhooks
from aftersales.obligations import services as obligations
from aftersales.operations import comp_time
from aftersales.service import telling
from aftersales.service.charges import check_priced
from aftersales.service.models import Result, ServiceRequest, WorkOrder
from aftersales.service.numbering import formatted, next_number
from aftersales.service.service_requests import (
    check_open,
    check_reviewed,
    locked,
    log_note,
    meet,
    service_request_transition,
)

Status = WorkOrder.Status
# A request in one of these states moves on site when its technician arrives.
BEFORE_SITE = (
    ServiceRequest.Status.NEW,
    ServiceRequest.Status.REPLIED,
    ServiceRequest.Status.RESPONDED,
)

ORDER_LIFE = Lifecycle(
    "service.workorder",
    {
        Status.OPEN: {Status.COMPLETED, Status.VOID},
        Status.COMPLETED: set(),
        Status.VOID: set(),
    },
)


def work_order_transition(
    order: WorkOrder, to: str, *, actor: User | None, note: str = "", reason: str = ""
) -> None:
    """The one way an order's status changes (409 unless ORDER_LIFE allows it)."""
    ORDER_LIFE.move(order, to, actor=actor, note=note, reason=reason)


def check_technician(technician: User) -> None:
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
    request = locked(service_request)
    check_open(request)
    check_technician(technician)
    check_reviewed(request)
    check_priced(request)
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
    _tell_technician(
        actor,
        technician,
        order,
        _("New job %(order)s: %(request)s（%(customer)s）%(severity)s")
        % {
            "order": order.number,
            "request": request.number,
            "customer": request.customer,
            "severity": request.get_severity_display(),
        },
    )
    if planned_arrival is not None:
        # R-WO-1: the customer is told when the technician will arrive.
        telling.tell_arrival(actor, request, planned_arrival)
        log_note(
            request,
            actor,
            _("%(tech)s assigned; customer told the planned arrival %(at)s")
            % {
                "tech": technician,
                "at": timezone.localtime(planned_arrival).strftime("%Y-%m-%d %H:%M"),
            },
        )
    # The first assignee owns the limits nobody owned yet (R-WO-1).
    obligations.obligations_reassign(
        actor=actor,
        target=request,
        from_user=None,
        to_user=technician,
        rules=("SR.RESPOND", "SR.RESOLVE", "SR.ARRIVE"),
    )
    obligations.obligation_open(
        actor=actor,
        target=request,
        rule="WO.PAPERS",
        severity=request.severity,
        started_at=request.received_at,
        responsible=technician,
        once=True,
    )
    return order


def _tell_technician(actor: User | None, technician: User, order: WorkOrder, text: str) -> None:
    """The technician hears of a job given or taken away (the bell, and their channels)."""
    from aftersales.obligations.notices import notify

    notify(users=[technician], message=text, url=order.get_absolute_url(), exclude=actor)


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


@transaction.atomic
def work_order_void(*, actor: User | None, work_order: WorkOrder, reason: str) -> WorkOrder:
    """Void a spoiled order (作废): it keeps its number, which is never given again."""
    if not reason or not reason.strip():
        raise ValidationError({"reason": _("Say why the order is void.")})
    order = WorkOrder.objects.select_for_update().get(pk=work_order.pk)
    if order.status == Status.VOID:
        raise ConflictError(_("The order is already void."))
    if order.status == Status.COMPLETED:
        raise ConflictError(_("A completed order cannot be voided."))
    order.void_reason = reason.strip()[:300]
    order.voided_at = timezone.now()
    work_order_transition(
        order, Status.VOID, actor=actor, note=order.void_reason, reason=f"void: {reason}"
    )
    _tell_technician(
        actor,
        order.technician,
        order,
        _("%(order)s is void: %(reason)s") % {"order": order.number, "reason": order.void_reason},
    )
    return order


@transaction.atomic
def work_order_replace(
    *,
    actor: User,
    work_order: WorkOrder,
    reason: str,
    technician: User | None = None,
    planned_arrival: dt.datetime | None = None,
) -> WorkOrder:
    """Void a spoiled order and issue its replacement (to the same technician unless
    another is named): the new order has the next number and records which it replaces.
    It keeps the arrival the customer was told unless a new one is given (and told)."""
    if planned_arrival is not None and planned_arrival < timezone.now() - dt.timedelta(minutes=5):
        raise ValidationError({"planned_arrival": _("The planned arrival is in the past.")})
    void = work_order_void(actor=actor, work_order=work_order, reason=reason)
    new = work_order_create(
        actor=actor,
        service_request=void.service_request,
        technician=technician or void.technician,
        replaces=void,
        planned_arrival=planned_arrival or void.planned_arrival,
    )
    still_on_it = (
        WorkOrder.objects.filter(
            service_request=void.service_request, technician=void.technician, status=Status.OPEN
        )
        .exclude(pk=new.pk)
        .exists()
    )
    if new.technician_id != void.technician_id and not still_on_it:
        # The request's limits the first technician owned follow the job to the new one.
        obligations.obligations_reassign(
            actor=actor,
            target=void.service_request,
            from_user=void.technician,
            to_user=new.technician,
        )
    return new


def _open_order(order: WorkOrder) -> WorkOrder:
    locked_order = (
        WorkOrder.objects.select_for_update().select_related("service_request").get(pk=order.pk)
    )
    if locked_order.status != Status.OPEN:
        raise ConflictError(
            _("The order is %(status)s.") % {"status": locked_order.get_status_display()}
        )
    return locked_order


@transaction.atomic
def work_order_arrive(
    *, actor: User, work_order: WorkOrder, at: dt.datetime | None = None
) -> WorkOrder:
    """The technician is on site (meets SR.ARRIVE)."""
    order = _open_order(work_order)
    at = at or timezone.now()
    if order.arrived_at is not None:
        raise ConflictError(_("Arrival is already recorded."))
    order.arrived_at = at
    save_audited(order, actor=actor, reason="arrived")
    meet(order.service_request, "SR.ARRIVE", actor=actor, at=at)
    request = order.service_request
    if request.status in BEFORE_SITE:  # dispatched without 上门服务: the arrival says so
        service_request_transition(
            locked(request), ServiceRequest.Status.ONSITE, actor=actor, note=_("Technician on site")
        )
    return order


@transaction.atomic
def work_order_depart(
    *, actor: User, work_order: WorkOrder, at: dt.datetime | None = None
) -> WorkOrder:
    """The technician leaves the site (R-WO-3: arrival and departure are both on record);
    WO.FILE counts from here."""
    order = _open_order(work_order)
    at = at or timezone.now()
    if order.arrived_at is None:
        raise ConflictError(_("Record the arrival first."))
    if at < order.arrived_at:
        raise ValidationError({"departed_at": _("The departure is before the arrival.")})
    order.departed_at = at
    save_audited(order, actor=actor, reason="departed")
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
    order = _open_order(work_order)
    order.work_done, order.diagnosis, order.parts_used = work_done, diagnosis, parts_used
    order.result, order.delay_reason = result, delay_reason
    save_audited(order, actor=actor, reason="work recorded")
    return order


class Signer:
    CUSTOMER = "customer"
    TECHNICIAN = "technician"


@transaction.atomic
def work_order_sign(
    *,
    actor: User,
    work_order: WorkOrder,
    signature: str,
    signed_by: str = "",
    signer: str = Signer.CUSTOMER,
) -> WorkOrder:
    """A signature drawn on the screen (a PNG data URL): the customer's, with their name,
    or the order's technician's own beside it (双方签字确认, 001)."""
    check_signature(signature)
    order = _open_order(work_order)
    now = timezone.now()
    if signer == Signer.TECHNICIAN:
        if actor.pk != order.technician_id:
            raise ValidationError(
                {"signer": _("Only the technician of this order signs as its technician.")}
            )
        order.technician_signature, order.technician_signed_at = signature, now
        order.technician_signature_digest = digest(signed_content(order), signature)
        save_audited(order, actor=actor, reason="signed by the technician")
        return order
    if signer != Signer.CUSTOMER:
        raise ValidationError({"signer": _("Choose who signs.")})
    if not signed_by.strip():
        raise ValidationError({"signed_by": _("Who signed?")})
    order.signature, order.signed_by, order.signed_at = signature, signed_by.strip(), now
    order.signature_digest = digest(signed_content(order), signature)
    save_audited(order, actor=actor, reason="signed")
    return order


def signed_content(order: WorkOrder) -> dict[str, Any]:
    """What a signature on the order attests: the job, the unit and the record of the
    visit as the signer saw it (not who signed when: those are kept beside it)."""
    request = order.service_request
    return {
        "order": order.number,
        "request": request.number,
        "customer": request.customer_id,
        "equipment": request.equipment.serial_number if request.equipment else "",
        "arrived_at": order.arrived_at.isoformat() if order.arrived_at else "",
        "work_done": order.work_done,
        "diagnosis": order.diagnosis,
        "result": order.result,
        "parts_used": order.parts_used,
        "delay_reason": order.delay_reason,
        "signed_by": order.signed_by,
    }


def changed_since_signed(order: WorkOrder) -> list[str]:
    """Whose signature no longer matches the record ("customer", "technician"): the
    content was changed after they signed. Signatures without a digest are not judged."""
    content = signed_content(order)
    stale = []
    for who, image, kept in (
        ("customer", order.signature, order.signature_digest),
        ("technician", order.technician_signature, order.technician_signature_digest),
    ):
        if image and kept and digest(content, image) != kept:
            stale.append(who)
    return stale


def missing_for_completion(order: WorkOrder) -> dict[str, str]:
    """The fields a complete order needs that are still empty (R-WO-3, R-WO-4)."""
    missing = {}
    required = {
        "arrived_at": _("Record the arrival."),
        "work_done": _("Describe the work done."),
        "diagnosis": _("Choose hardware or software."),
        "result": _("Say whether the fault is fixed."),
        "signature": _("The customer must sign."),
        "technician_signature": _("The technician must sign beside the customer."),
    }
    for field, message in required.items():
        if not getattr(order, field):
            missing[field] = message
    for who in changed_since_signed(order):
        field = "signature" if who == "customer" else "technician_signature"
        missing[field] = _("The record changed after it was signed: sign it again.")
    if order.result == Result.NOT_FIXED and not order.delay_reason.strip():
        missing["delay_reason"] = _("An unfinished visit needs a delay reason analysis.")
    return missing


@transaction.atomic
def work_order_complete(
    *, actor: User, work_order: WorkOrder, at: dt.datetime | None = None
) -> WorkOrder:
    """Complete only when every required field is filled and signed; starts WO.FILE and,
    after an on-site repair of a P1/P2 fault, WO.FAULT_REPORT; meets WO.PAPERS."""
    order = _open_order(work_order)
    missing = missing_for_completion(order)
    if missing:
        raise ValidationError(missing)
    check_priced(order.service_request)
    at = at or timezone.now()
    order.completed_at = at
    order.departed_at = order.departed_at or at
    work_order_transition(order, Status.COMPLETED, actor=actor, reason="completed")
    request = order.service_request
    meet(request, "WO.PAPERS", actor=actor, at=at)
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
    comp_time.earn_for_order(order, actor=actor)  # work on a rest day (R-OP-2)
    webhooks.order_completed(order)
    return order


@transaction.atomic
def work_order_file(*, actor: User, work_order: WorkOrder) -> WorkOrder:
    """The signed service record is filed (meets WO.FILE, R-WO-7)."""
    order = WorkOrder.objects.select_for_update().get(pk=work_order.pk)
    if order.status != Status.COMPLETED:
        raise ConflictError(_("Only a completed order is filed."))
    if order.filed_at is not None:
        raise ConflictError(_("The order is already filed."))
    order.filed_at = timezone.now()
    save_audited(order, actor=actor, reason="filed")
    obligations.obligations_meet(actor=actor, target=order, at=order.filed_at, rule="WO.FILE")
    return order
