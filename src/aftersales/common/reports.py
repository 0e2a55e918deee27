"""A report as sections of rows, printed the same way to Excel and to PDF, so the two
never disagree (the monthly complaint review, the satisfaction report)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from aftersales.common.exports import append, xlsx_response
from aftersales.common.pdf import Document
from aftersales.common.words import labelled


@dataclass(frozen=True)
class Percent:
    """A rate in per cent (50.0 for a half), or None when there was nothing to count:
    a number formatted 0.0 % in Excel, "50.0 %" on paper, "—" when unknown."""

    value: float | None

    def __str__(self) -> str:
        return "—" if self.value is None else f"{self.value} %"


@dataclass
class Section:
    title: str
    headers: list[str]
    rows: list[list[Any]]
    widths: tuple[int, ...]  # relative column widths on paper


def report_xlsx(
    title: str, summary: list[list[Any]], sections: list[Section], filename: str
) -> HttpResponse:
    """A summary sheet (the title, then ``summary`` rows), then one sheet a section."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Summary"))
    append(sheet, [title])
    for row in summary:
        append(sheet, [_xlsx(sheet, v) for v in row])
    for section in sections:
        sheet = book.create_sheet(re.sub(r"[\[\]:*?/\\]", " ", section.title)[:31])
        append(sheet, section.headers)
        for row in section.rows:
            append(sheet, [_xlsx(sheet, v) for v in row])
    return xlsx_response(book, filename)


def _xlsx(sheet: Any, value: Any) -> Any:
    """Numbers stay numbers: a rate is a fraction shown as a percentage, so a
    spreadsheet can sum, sort and chart it."""
    if isinstance(value, Percent):
        if value.value is None:
            return None
        cell = WriteOnlyCell(sheet, value=round(value.value / 100, 4))
        cell.number_format = "0.0%"
        return cell
    return value


def report_pdf(
    title: str, summary: list[list[Any]], sections: list[Section], *, closing: str = ""
) -> bytes:
    """A4 in Chinese: the title, the summary lines, each section as a table, and a last
    line (who signed, or a line to sign on)."""
    doc = Document(title=title)
    doc.heading(title)
    doc.ln(4)
    for row in summary:
        head, rest = _cell(row[0]), " ".join(_cell(v) for v in row[1:])
        doc.cell(0, 7, labelled(head, rest))
        doc.ln(7)
    doc.ln(2)
    for section in sections:
        doc.subheading(section.title)
        doc.grid(section.headers, [[_cell(v) for v in row] for row in section.rows], section.widths)
        doc.ln(3)
    if closing:
        doc.ln(4)
        doc.cell(0, 7, closing)
    return doc.content()


def _cell(value: Any) -> str:
    return "—" if value is None or value == "" else str(value)
