"""The monthly complaint review as an Excel workbook and as a PDF (R-CP-9), from the
same sections (common/reports.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from aftersales.common.reports import Section, report_pdf, report_xlsx
from aftersales.common.words import labelled
from aftersales.complaints.review import Review


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
            [[r.name, r.met, r.late, r.breached, r.running, r.rate] for r in review.compliance],
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


def _summary(review: Review) -> list[list[Any]]:
    return [[_("Complaints received"), review.total]]


def review_xlsx(review: Review) -> HttpResponse:
    summary = _summary(review)
    signed = sign_off(review)
    if signed:
        summary.append(signed)
    return report_xlsx(
        title(review), summary, sections(review), f"complaints-{review.month:%Y-%m}.xlsx"
    )


def review_pdf(review: Review) -> bytes:
    """A4, in Chinese: the figures, then who signed (or a line to sign on)."""
    signed = sign_off(review)
    closing = " ".join(signed) if signed else labelled(_("Signed off by"), "____________")
    return report_pdf(title(review), _summary(review), sections(review), closing=closing)
