"""The monthly complaint review as an Excel workbook and as a PDF (R-CP-9).

Both are made from the same sections, so the two never disagree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from aftersales.common.exports import xlsx_response
from aftersales.common.pdf import Document
from aftersales.complaints.review import Review


@dataclass
class Section:
    title: str
    headers: list[str]
    rows: list[list[Any]]
    widths: tuple[int, ...]  # relative column widths on paper


def title(review: Review) -> str:
    return _("Monthly complaint review %(month)s") % {"month": f"{review.month:%Y-%m}"}


def sign_off(review: Review) -> list[str] | None:
    if not review.signed:
        return None
    return [
        _("Signed off by"),
        str(review.signed.signed_by),
        timezone.localtime(review.signed.signed_at).strftime("%Y-%m-%d %H:%M"),
    ]


def sections(review: Review) -> list[Section]:
    def counts(title: str, label: str, rows: list[tuple[str, int]]) -> Section:
        count = pgettext("complaint review", "Number of complaints")
        return Section(title, [label, count], [[str(k), n] for k, n in rows], (3, 1))

    return [
        counts(_("By category"), _("Category"), review.by_category),
        counts(_("By department"), _("Department"), review.by_department),
        counts(_("By outcome"), pgettext("complaint review", "Outcome"), review.by_outcome),
        Section(
            _("Time limits"),
            [_("Rule"), _("Met on time"), _("Met late"), _("Breached"), _("Running"), "%"],
            [[r.rule, r.met, r.late, r.breached, r.running, r.rate] for r in review.compliance],
            (3, 2, 2, 2, 2, 1),
        ),
        Section(
            _("Repeat complainants"),
            [_("Complainant"), _("Phone"), _("Complaints in 12 months")],
            [list(row) for row in review.repeat_complainants],
            (2, 2, 2),
        ),
        Section(
            _("Upheld complaints"),
            [_("Number"), _("Category"), _("Responsibility"), _("Penalty")],
            [
                [c.number, c.get_category_display(), c.responsibility, c.penalty]
                for c in review.upheld
            ],
            (3, 3, 4, 4),
        ),
    ]


def review_xlsx(review: Review) -> HttpResponse:
    book = Workbook(write_only=True)
    summary = book.create_sheet(_("Summary"))
    summary.append([title(review)])
    summary.append([_("Complaints received"), review.total])
    signed = sign_off(review)
    if signed:
        summary.append(signed)
    for section in sections(review):
        sheet = book.create_sheet(section.title[:31])
        sheet.append(section.headers)
        for row in section.rows:
            sheet.append(row)
    return xlsx_response(book, f"complaints-{review.month:%Y-%m}.xlsx")


def review_pdf(review: Review) -> bytes:
    """A4, in Chinese: the figures, then a line for the service manager's signature."""
    doc = Document(title=title(review))
    doc.heading(title(review))
    doc.ln(4)
    doc.cell(0, 7, f"{_('Complaints received')}: {review.total}")
    doc.ln(9)
    for section in sections(review):
        doc.subheading(section.title)
        doc.grid(section.headers, [[_cell(v) for v in row] for row in section.rows], section.widths)
        doc.ln(3)
    signed = sign_off(review)
    doc.ln(4)
    doc.cell(0, 7, " ".join(signed) if signed else f"{_('Signed off by')}: ____________")
    return doc.content()


def _cell(value: Any) -> str:
    return "—" if value is None or value == "" else str(value)
