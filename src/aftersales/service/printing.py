"""The printable work order (维修单, R-WO-2/3): what the customer signed, on paper."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Model
from django.utils.translation import gettext as _

from aftersales.common.pdf import Document, local_time, png_from_data_url
from aftersales.service.models import ServiceRequest, WorkOrder


def _label(model: type[Model], field: str) -> str:
    return str(getattr(model._meta.get_field(field), "verbose_name", field)).capitalize()


def work_order_pdf(order: WorkOrder) -> bytes:
    """One A4 page (or more, for long reports) with the order's number, the request,
    the visit, the result and the customer's drawn signature."""
    request: ServiceRequest = order.service_request
    equipment = request.equipment
    wo = WorkOrder
    sr = ServiceRequest
    doc = Document(title=order.number)
    company = getattr(settings, "COMPANY_NAME", "")
    if company:
        doc.heading(company, size=13)
    doc.heading(_("Service work order"))
    doc.set_font("cjk", size=11)
    doc.cell(0, 8, _("No. %(number)s") % {"number": order.number}, align="R")
    doc.ln(9)
    doc.set_font("cjk", size=10)
    if order.status == WorkOrder.Status.VOID:
        doc.stamp(
            _("VOID (作废): %(reason)s · %(at)s")
            % {"reason": order.void_reason, "at": local_time(order.voided_at)}
        )
        doc.ln(2)
    site = equipment.site if equipment else None
    rows: list[list[tuple[str, str]]] = [
        [
            (_("Request number"), request.number),
            (_label(sr, "severity"), request.get_severity_display()),
        ],
        [
            (_("Customer"), str(request.customer)),
            (_label(sr, "caller_name"), f"{request.caller_name} {request.caller_phone}"),
        ],
        [(_("Address"), (site.address or site.name) if site else "")],
        [
            (_("Model"), str(equipment.product_model) if equipment else ""),
            (_("Serial number"), equipment.serial_number if equipment else ""),
        ],
        [
            (_("Warranty"), request.get_warranty_status_display()),
            (_label(sr, "charge"), charge_text(request)),
        ],
        [
            (_label(sr, "received_at"), local_time(request.received_at)),
            (_label(wo, "planned_arrival"), local_time(order.planned_arrival)),
        ],
        [
            (_label(wo, "arrived_at"), local_time(order.arrived_at)),
            (_label(wo, "departed_at"), local_time(order.departed_at)),
        ],
        [
            (_("Technician"), str(order.technician)),
            (_label(wo, "completed_at"), local_time(order.completed_at)),
        ],
        [(_label(sr, "description"), request.description)],
        [
            (_label(wo, "diagnosis"), order.get_diagnosis_display()),
            (_label(wo, "result"), order.get_result_display()),
        ],
        [(_label(wo, "work_done"), order.work_done)],
        [(_label(wo, "parts_used"), _parts(order))],
    ]
    if order.delay_reason:
        rows.append([(_label(wo, "delay_reason"), order.delay_reason)])
    if order.replaces_id:
        rows.append([(_("Replaces order"), order.replaces.number)])  # type: ignore[union-attr]
    doc.fields(rows)
    doc.ln(4)
    _signature(doc, order)
    return doc.content()


def charge_text(request: ServiceRequest) -> str:
    """收费: the kind and, once quoted, the price and whether the customer accepted it."""
    text = request.get_charge_display()
    if request.quote_amount is not None:
        text += f" ¥{request.quote_amount:,.2f}"
        if request.quote_status:
            text += f"（{request.get_quote_status_display()}）"
    return text


def _parts(order: WorkOrder) -> str:
    """Parts booked from stock (net of returns), then the technician's own words."""
    used: dict[int, list] = {}
    for move in order.stock_movements.select_related("item"):  # type: ignore[attr-defined]
        line = used.setdefault(move.item_id, [move.item, 0])
        line[1] -= move.quantity
    lines = [
        f"{item.code} {item.name} × {quantity.normalize()} {item.unit}"
        for item, quantity in used.values()
        if quantity
    ]
    return "；".join([*lines, order.parts_used] if order.parts_used else lines)


def _signature(doc: Document, order: WorkOrder) -> None:
    """The customer's and the technician's signatures side by side (双方签字确认)."""
    customer = png_from_data_url(order.signature)
    technician = png_from_data_url(order.technician_signature)
    doc.signatures(
        [
            (
                _("Customer's signature"),
                customer,
                _("Signed by %(name)s at %(at)s")
                % {"name": order.signed_by, "at": local_time(order.signed_at)}
                if customer
                else _("Not signed yet."),
            ),
            (
                _("Technician's signature"),
                technician,
                _("Signed by %(name)s at %(at)s")
                % {
                    "name": order.technician.get_full_name() or order.technician.username,
                    "at": local_time(order.technician_signed_at),
                }
                if technician
                else _("Not signed yet."),
            ),
        ]
    )
