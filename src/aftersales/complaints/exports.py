"""The monthly complaint review as an Excel workbook (R-CP-9)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from aftersales.common.exports import xlsx_response
from aftersales.complaints.review import Review


def review_xlsx(review: Review) -> HttpResponse:
    book = Workbook(write_only=True)
    month = f"{review.month:%Y-%m}"
    summary = book.create_sheet(_("Summary"))
    summary.append([_("Monthly complaint review %(month)s") % {"month": month}])
    summary.append([_("Complaints received"), review.total])
    for title, rows in (
        (_("By category"), review.by_category),
        (_("By department"), review.by_department),
        (_("By outcome"), review.by_outcome),
    ):
        summary.append([])
        summary.append([title])
        for label, count in rows:
            summary.append([label, count])
    if review.signed:
        summary.append([])
        summary.append(
            [
                _("Signed off by"),
                str(review.signed.signed_by),
                timezone.localtime(review.signed.signed_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    limits = book.create_sheet(_("Time limits"))
    limits.append([_("Rule"), _("Met on time"), _("Met late"), _("Breached"), _("Running"), "%"])
    for rule in review.compliance:
        limits.append([rule.rule, rule.met, rule.late, rule.breached, rule.running, rule.rate])
    repeats = book.create_sheet(_("Repeat complainants"))
    repeats.append([_("Complainant"), _("Phone"), _("Complaints in 12 months")])
    for row in review.repeat_complainants:
        repeats.append(list(row))
    upheld = book.create_sheet(_("Upheld complaints"))
    upheld.append([_("Number"), _("Category"), _("Responsibility"), _("Penalty")])
    for complaint in review.upheld:
        upheld.append(
            [
                complaint.number,
                complaint.get_category_display(),
                complaint.responsibility,
                complaint.penalty,
            ]
        )
    return xlsx_response(book, f"complaints-{month}.xlsx")
