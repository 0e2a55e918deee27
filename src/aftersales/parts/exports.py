"""The month's stock reconciliation as an Excel workbook for finance (R-SP-4)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from aftersales.common.exports import append, xlsx_response
from aftersales.parts.models import Location
from aftersales.parts.selectors import ReconciliationRow

FIGURES = [
    "opening_qty",
    "opening_value",
    "in_qty",
    "in_value",
    "out_qty",
    "out_value",
    "closing_qty",
    "closing_value",
]


def reconciliation_xlsx(
    month: dt.date, location: Location | None, rows: list[ReconciliationRow]
) -> HttpResponse:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(f"{month:%Y-%m}")
    where = str(location) if location else _("All places")
    append(sheet, [_("Stock reconciliation %(month)s") % {"month": f"{month:%Y-%m}"}, where])
    append(
        sheet,
        [
            _("Part number"),
            _("Name"),
            _("Unit"),
            _("Opening quantity"),
            _("Opening value"),
            _("In quantity"),
            _("In value"),
            _("Out quantity"),
            _("Out value"),
            _("Closing quantity"),
            _("Closing value"),
        ],
    )
    for row in rows:
        append(sheet, [row.code, row.name, row.unit, *(getattr(row, f) for f in FIGURES)])
    append(
        sheet,
        [
            _("Total"),
            "",
            "",
            *(sum(getattr(r, f) for r in rows) if f.endswith("value") else "" for f in FIGURES),
        ],
    )
    suffix = f"-{location.code}" if location else ""
    return xlsx_response(book, f"stock-{month:%Y-%m}{suffix}.xlsx")
