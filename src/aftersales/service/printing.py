"""The papers of a repair, in Chinese: the work order (维修单, R-WO-2/3) the customer
signed, the quote (报价单, R-SR-6) the customer signs, the fault analysis report
(故障分析报告, R-WO-5) and the delay reason analysis (延时原因分析表, R-WO-4)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Model
from django.utils.translation import gettext as _

from aftersales.common.pdf import Document, local_time, png_from_data_url, signed_by_both
from aftersales.common.words import yuan
from aftersales.customers.warranty import WarrantyStatus
from aftersales.service.models import ServiceRequest, WorkOrder
from aftersales.service.work_orders import changed_since_signed


def _label(model: type[Model], field: str) -> str:
    return str(getattr(model._meta.get_field(field), "verbose_name", field)).capitalize()


def work_order_pdf(order: WorkOrder) -> bytes:
    """One A4 page (or more, for long reports) with the order's number, the request,
    the visit, the result and the customer's drawn signature."""
    request: ServiceRequest = order.service_request
    wo = WorkOrder
    sr = ServiceRequest
    doc = _paper(_("Service work order"), order.number)
    if order.status == WorkOrder.Status.VOID:
        # The time on a line of its own: wrapped anywhere, it would break in the middle.
        doc.stamp(
            _("VOID: %(reason)s") % {"reason": order.void_reason}
            + "\n"
            + _("Voided at %(at)s") % {"at": local_time(order.voided_at)}
        )
        doc.ln(2)
    rows = _unit_rows(request)
    rows += [
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


def _paper(title: str, number: str) -> Document:
    """A page headed by the company's name, the paper's title and its number."""
    doc = Document(title=number)
    company = getattr(settings, "COMPANY_NAME", "")
    if company:
        doc.heading(company, size=13)
    doc.heading(title)
    doc.set_font("cjk", size=11)
    doc.cell(0, 8, _("No. %(number)s") % {"number": number}, align="R")
    doc.ln(9)
    doc.set_font("cjk", size=10)
    return doc


def _unit_rows(request: ServiceRequest) -> list[list[tuple[str, str]]]:
    """Whose unit, where, which: the head of every paper about a request."""
    equipment = request.equipment
    site = (equipment.site if equipment else None) or request.site
    model = equipment.product_model if equipment else request.product_model
    return [
        [
            (_("Request number"), request.number),
            (_label(ServiceRequest, "severity"), request.get_severity_display()),
        ],
        [
            (_("Customer"), str(request.customer)),
            (
                _label(ServiceRequest, "caller_name"),
                f"{request.caller_name} {request.caller_phone}",
            ),
        ],
        [(_("Address"), (site.address or site.name) if site else "")],
        [
            (_("Model"), str(model) if model else ""),
            (_("Serial number"), equipment.serial_number if equipment else ""),
        ],
    ]


def quote_pdf(request: ServiceRequest, *, for_customer: bool) -> bytes:
    """报价单: what the repair costs and why it is charged, with an empty box for the
    customer's signature and date. Who priced it is printed for staff only."""
    doc = _paper(_("Repair quotation"), request.number)
    quoted = request.changes.filter(to_status=ServiceRequest.Status.QUOTING).last()  # type: ignore[attr-defined]
    why = request.get_exclusion_display() if request.exclusion else ""
    if not why and request.warranty_status == WarrantyStatus.OUT_OF_WARRANTY:
        why = request.get_warranty_status_display()
    if request.exclusion_note:
        why = f"{why}：{request.exclusion_note}" if why else request.exclusion_note
    rows = _unit_rows(request)
    rows += [
        [
            (_("Warranty"), request.get_warranty_status_display()),
            (_label(ServiceRequest, "exclusion"), why),
        ],
        [(_label(ServiceRequest, "description"), request.description)],
        [(_label(ServiceRequest, "quote_note"), request.quote_note)],
        [
            (_label(ServiceRequest, "quote_amount"), yuan(request.quote_amount)),
            (_("In words"), rmb_in_words(request.quote_amount)),
        ],
        [
            (_("Quoted at"), local_time(quoted.at if quoted else None)),
            (_("Customer's answer"), request.get_quote_status_display()),
        ],
    ]
    if quoted and quoted.actor and not for_customer:
        rows.append([(_("Quoted by"), quoted.actor.get_full_name() or quoted.actor.username)])
    doc.fields(rows)
    doc.ln(3)
    hotline = getattr(settings, "SERVICE_HOTLINE", "")
    doc.multi_cell(
        0,
        6,
        _(
            "Work starts once you accept this price. Please sign, date and return this "
            "quotation, or tell our service hotline %(phone)s."
        )
        % {"phone": hotline}
        if hotline
        else _(
            "Work starts once you accept this price. Please sign, date and return this "
            "quotation, or tell our service hotline."
        ),
    )
    doc.ln(3)
    company = getattr(settings, "COMPANY_NAME", "") or _("Service department")
    doc.signatures(
        [
            (_("Customer's signature (and stamp)"), None, _("Date:")),
            (company, None, _("Date:")),
        ]
    )
    return doc.content()


def fault_report_pdf(request: ServiceRequest, *, for_customer: bool = False) -> bytes:
    """故障分析报告 after an on-site repair of a P1/P2 fault: what failed, why, and how
    to avoid it (R-WO-5); when it was written and, for staff, by whom."""
    doc = _paper(_("Fault analysis report"), request.number)
    orders = [o for o in request.work_orders.all() if o.status != WorkOrder.Status.VOID]  # type: ignore[attr-defined]
    visits = "；".join(
        f"{o.number} {local_time(o.arrived_at)}–{local_time(o.departed_at)}" for o in orders
    )
    rows = _unit_rows(request)
    rows += [
        [
            (_label(ServiceRequest, "received_at"), local_time(request.received_at)),
            (_label(ServiceRequest, "fault_code"), str(request.fault_code or "")),
        ],
        [(_("Visits"), visits)],
        [(_label(ServiceRequest, "description"), request.description)],
        [(_label(WorkOrder, "work_done"), "；".join(o.work_done for o in orders if o.work_done))],
        [(_label(ServiceRequest, "fault_cause"), request.fault_cause)],
        [(_label(ServiceRequest, "fault_prevention"), request.fault_prevention)],
    ]
    if request.is_repeat:
        rows.append([(_("Repeat repair"), _("The same fault came back within the period."))])
    written = (
        request.history.filter(history_change_reason="fault analysis report")  # type: ignore[attr-defined]
        .select_related("history_user")
        .order_by("-history_date")
        .first()
    )
    if written is not None:
        when = (_("Written on"), local_time(written.history_date))
        author = written.history_user
        rows.append(
            [when]
            if for_customer or author is None
            else [(_("Written by"), author.get_full_name() or author.username), when]
        )
    doc.fields(rows)
    return doc.content()


def delay_analysis_pdf(order: WorkOrder, limits: list[tuple[str, str, str, str]]) -> bytes:
    """延时原因分析表: a visit that did not finish the job, why, and the time limits it
    touched (rule, due, met, state); signed by the technician, checked by the manager,
    handed in with the work order (R-WO-4)."""
    request: ServiceRequest = order.service_request
    doc = _paper(_("Delay reason analysis form"), order.number)
    rows = _unit_rows(request)
    rows += [
        [
            (_label(ServiceRequest, "received_at"), local_time(request.received_at)),
            (_("Technician"), str(order.technician)),
        ],
        [
            (_label(WorkOrder, "arrived_at"), local_time(order.arrived_at)),
            (_label(WorkOrder, "departed_at"), local_time(order.departed_at)),
        ],
        [
            (_label(WorkOrder, "result"), order.get_result_display()),
            (_label(WorkOrder, "diagnosis"), order.get_diagnosis_display()),
        ],
        [(_label(WorkOrder, "work_done"), order.work_done)],
        [(_label(WorkOrder, "delay_reason"), order.delay_reason)],
    ]
    doc.fields(rows)
    doc.ln(3)
    doc.subheading(_("Time limits"))
    doc.grid(
        [_("Time limit"), _("Due at"), _("Met at"), _("State")],
        [list(r) for r in limits],
        (55, 40, 40, 45),
    )
    doc.ln(3)
    technician = png_from_data_url(order.technician_signature)
    doc.signatures(
        [
            (_("Technician's signature"), technician, _("Date:")),
            (_("Checked by the service manager"), None, _("Date:")),
        ]
    )
    return doc.content()


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_GROUPS = ("", "万", "亿", "万亿")


def _four(group: int) -> str:
    """0 < group < 10000 in capital numerals, one 零 for each run of inner zeros."""
    text, zero = "", False
    for power, unit in ((1000, "仟"), (100, "佰"), (10, "拾"), (1, "")):
        digit = group // power % 10
        if digit == 0:
            zero = bool(text)
            continue
        text += ("零" if zero else "") + _DIGITS[digit] + unit
        zero = False
    return text


def rmb_in_words(amount: Decimal | None) -> str:
    """人民币大写, as a Chinese invoice or quote writes the sum: 壹仟零伍元伍角整."""
    if amount is None:
        return "—"
    cents = int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    yuan, rest = divmod(cents, 100)
    jiao, fen = divmod(rest, 10)
    groups = []
    while yuan:
        yuan, group = divmod(yuan, 10000)
        groups.append(group)
    text, gap = "", False
    for index in reversed(range(len(groups))):
        group = groups[index]
        if group == 0:
            gap = bool(text)
            continue
        if text and (gap or group < 1000):
            text += "零"
        text += _four(group) + _GROUPS[index]
        gap = False
    if text:
        text += "元"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif fen and text:
        text += "零"
    if fen:
        text += _DIGITS[fen] + "分"
    else:
        text = (text or "零元") + "整"
    return "人民币" + text


def charge_text(request: ServiceRequest) -> str:
    """收费: the kind and, once quoted, the price and whether the customer accepted it."""
    text = request.get_charge_display()
    if request.quote_amount is not None:
        text += f" {yuan(request.quote_amount)}"
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
    signed_by_both(
        doc,
        stale=bool(changed_since_signed(order)),
        customer=(order.signature, order.signed_by, order.signed_at),
        technician=(
            order.technician_signature,
            order.technician.get_full_name() or order.technician.username,
            order.technician_signed_at,
        ),
    )
