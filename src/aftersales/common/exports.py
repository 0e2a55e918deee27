"""Excel downloads: a workbook as an HTTP response."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.http import HttpResponse
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(book: Workbook, filename: str) -> HttpResponse:
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def text_cell(sheet: Any, value: Any) -> Any:
    """Text as text: what a user typed (``=cmd|' /C calc'!A0``) is never a live formula,
    and control characters Excel cannot hold are dropped, so an export never fails."""
    if isinstance(value, Promise):
        value = str(value)
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"
    return cell


def append(sheet: Any, values: list[Any]) -> None:
    """One row of a write-only sheet, each text value through ``text_cell``."""
    sheet.append([text_cell(sheet, value) for value in values])
