"""The request list as an Excel workbook (issue 4.7)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from aftersales.common.exports import append, xlsx_response
from aftersales.common.words import listed
from aftersales.service.models import ServiceRequest

MAX_ROWS = 100_000


def requests_xlsx(requests: QuerySet[ServiceRequest], *, internal: bool = True) -> HttpResponse:
    """The list as staff export it; a customer's copy (``internal=False``) has no
    column of internal time limits."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Service requests"))
    header = [
        _("Number"),
        _("Received at"),
        _("Customer"),
        _("Serial number"),
        _("Severity"),
        _("Status"),
        _("Caller"),
        _("Caller's phone"),
        _("Fault description"),
        _("Warranty status"),
    ] + ([_("Time limits")] if internal else [])
    append(sheet, header)
    for item in requests[:MAX_ROWS]:
        limits = (
            [listed(f"{o.name} {o.get_state_display()}" for o in item.obligations.all())]
            if internal
            else []
        )
        append(
            sheet,
            [
                item.number,
                timezone.localtime(item.received_at).strftime("%Y-%m-%d %H:%M"),
                str(item.customer),
                item.equipment.serial_number if item.equipment else "",
                item.get_severity_display(),
                item.get_status_display(),
                item.caller_name,
                item.caller_phone,
                item.description,
                item.get_warranty_status_display(),
                *limits,
            ],
        )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return xlsx_response(book, f"service-requests-{stamp}.xlsx")
