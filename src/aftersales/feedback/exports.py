"""The satisfaction report (《顾客满意度调查表》, R-FB-5) as Excel and PDF."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from aftersales.common.reports import Percent, Section, report_pdf, report_xlsx
from aftersales.feedback.statistics import Rate, Report


def title(report: Report) -> str:
    span = (
        f"{report.first:%Y-%m}"
        if report.first == report.last
        else f"{report.first:%Y-%m} – {report.last:%Y-%m}"
    )
    return _("Customer satisfaction report %(span)s") % {"span": span}


def summary(report: Report) -> list[list[Any]]:
    """One figure a row, each a number (a rate a percentage), so Excel can compute."""
    visits = report.visits
    return [
        [_("Satisfaction rate (scores 4–5)"), Percent(report.overall.rate)],
        [_("Questionnaires with scores"), report.overall.questionnaires],
        [_("Scores given"), report.overall.answered],
        [_("Surveys sent"), report.invited],
        [_("Surveys answered"), report.answered],
        [_("Response rate"), Percent(report.response_rate)],
        [_("Return visits planned"), visits.get("planned", 0)],
        [_("Return visits made"), visits.get("done", 0)],
        [_("Visit rate (target 100 %)"), Percent(visits.get("rate"))],
    ]


def _rates(title_: str, label: str, rates: list[Rate]) -> Section:
    return Section(
        title_,
        [
            label,
            _("Questionnaires"),
            _("Scores given"),
            _("Satisfied (4–5)"),
            _("Rate"),
            _("Average"),
        ],
        [
            [r.label, r.questionnaires, r.answered, r.satisfied, Percent(r.rate), r.average]
            for r in rates
        ],
        (5, 2, 2, 2, 2, 2),
    )


def _choices(report: Report) -> Section:
    return Section(
        _("Yes/no and choice questions"),
        [
            _("Question"),
            pgettext("survey choice", "Answer"),
            pgettext("survey choice", "Count"),
            _("Share"),
        ],
        [
            [tally.question, choice, count, Percent(share)]
            for tally in report.choices
            for choice, count, share in tally.counts
        ],
        (6, 2, 2, 2),
    )


def sections(report: Report) -> list[Section]:
    return [
        _rates(_("By question"), _("Question"), report.by_question),
        _rates(_("By month"), _("Month"), report.by_month),
        _rates(_("By product"), _("Product"), report.by_product),
        _rates(_("By technician"), _("Technician"), report.by_technician),
        _rates(_("By region"), _("Region"), report.by_region),
        _choices(report),
        Section(
            _("Comments"),
            [_("Answered at"), _("Customer"), _("Service request"), _("Comment")],
            [
                [
                    timezone.localtime(c["at"]).strftime("%Y-%m-%d") if c["at"] else "",
                    c["customer"],
                    c["request"],
                    c["text"],
                ]
                for c in report.comments
            ],
            (2, 3, 3, 6),
        ),
    ]


def file_name(report: Report, extension: str) -> str:
    """satisfaction-2026-11.xlsx for a month, satisfaction-2026.xlsx for a year."""
    period = f"{report.first:%Y-%m}" if report.first == report.last else f"{report.first:%Y}"
    return f"satisfaction-{period}.{extension}"


def report_as_xlsx(report: Report) -> HttpResponse:
    return report_xlsx(title(report), summary(report), sections(report), file_name(report, "xlsx"))


def report_as_pdf(report: Report) -> bytes:
    return report_pdf(title(report), summary(report), sections(report))
