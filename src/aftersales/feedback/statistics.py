"""Survey analysis (R-FB-5): the satisfaction rate (share of scores 4–5 among the
scores given) per question and overall, by month, product, technician and region, with
how many questionnaires gave those scores; the answers to yes/no and choice questions;
the visit rate against its 100 % target; comments with their request.

Every figure is one GROUP BY over ``Answer``, whose month, region, technician and
product are copied at answering time and indexed with the month, so a year of a
million answers is read without joins.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from aftersales.calendars.periods import day_start, month_end
from aftersales.customers.models import ProductModel
from aftersales.feedback.models import Answer, Question, SurveyInvitation
from aftersales.feedback.selectors import visit_rate

SATISFIED = 4  # scores 4 and 5 count as satisfied
DIMENSIONS = {
    "question": "question_id",
    "month": "month",
    "product": "product_model_id_copy",
    "technician": "technician_id_copy",
    "region": "region",
}


@dataclass
class Rate:
    key: Any
    label: str
    answered: int  # scores given
    satisfied: int
    score_sum: int
    questionnaires: int = 0  # questionnaires that gave them

    @property
    def rate(self) -> float | None:
        return round(100 * self.satisfied / self.answered, 1) if self.answered else None

    @property
    def average(self) -> float | None:
        return round(self.score_sum / self.answered, 2) if self.answered else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": (
                None
                if self.key is None
                else f"{self.key:%Y-%m}"
                if isinstance(self.key, dt.date)
                else str(self.key)
            ),
            "label": self.label,
            "answered": self.answered,
            "questionnaires": self.questionnaires,
            "satisfied": self.satisfied,
            "rate": self.rate,
            "average": self.average,
        }


def _scored(first: dt.date, last: dt.date) -> Any:
    """Scored answers of the months from ``first`` to ``last`` (first days of months)."""
    return Answer.objects.filter(month__gte=first, month__lte=last, score__isnull=False)


_FIGURES = {
    "n": Count("id"),
    "good": Count("id", filter=Q(score__gte=SATISFIED)),
    "total": Sum("score"),
    "forms": Count("id", filter=Q(counts_questionnaire=True)),
}


def overall(first: dt.date, last: dt.date) -> Rate:
    row = _scored(first, last).aggregate(**_FIGURES)
    return Rate(
        "all", _("Overall"), row["n"] or 0, row["good"] or 0, row["total"] or 0, row["forms"] or 0
    )


def rates_by(dimension: str, first: dt.date, last: dt.date) -> list[Rate]:
    """The rate for each value of ``dimension`` (question, month, product, technician,
    region), best known label first; ordered by the dimension's natural order."""
    column = DIMENSIONS[dimension]
    figures = dict(_FIGURES)
    if dimension == "question":  # a questionnaire answers a question once (answer_once)
        figures["forms"] = Count("id")
    rows = list(_scored(first, last).values(column).annotate(**figures).order_by(column))
    labels = _labels(dimension, [row[column] for row in rows])
    return [
        Rate(
            row[column],
            labels.get(row[column], ""),
            row["n"],
            row["good"],
            row["total"] or 0,
            row["forms"],
        )
        for row in rows
    ]


def _labels(dimension: str, keys: list[Any]) -> dict[Any, str]:
    known = [k for k in keys if k is not None and k != ""]
    unknown = {None: _("Not known"), "": _("Not known")}
    if dimension == "question":
        return {
            q.pk: _question_label(q)
            for q in Question.objects.filter(pk__in=known).select_related("question_set")
        }
    if dimension == "month":
        return {k: f"{k:%Y-%m}" for k in known}
    if dimension == "product":
        found = {p.pk: f"{p.code} {p.name}" for p in ProductModel.objects.filter(pk__in=known)}
        return {**unknown, **found}
    if dimension == "technician":
        users = get_user_model().objects.filter(pk__in=known)
        return {**unknown, **{u.pk: u.get_full_name() or u.username for u in users}}
    return {**unknown, **{k: k for k in known}}


@dataclass
class Tally:
    """How a yes/no or choice question was answered: each choice, its count and share."""

    question: str
    total: int
    counts: list[tuple[str, int, float]]


def choices_by_question(first: dt.date, last: dt.date) -> list[Tally]:
    """One GROUP BY over the choices given in the months, per question, in the
    question's own order of choices (unknown ones after)."""
    rows = (
        Answer.objects.filter(month__gte=first, month__lte=last)
        .exclude(choice="")
        .values("question_id", "choice")
        .annotate(n=Count("id"))
        .order_by("question_id")
    )
    by_question: dict[int, dict[str, int]] = {}
    for row in rows:
        by_question.setdefault(row["question_id"], {})[row["choice"]] = row["n"]
    questions = Question.objects.filter(pk__in=by_question).select_related("question_set")
    tallies = []
    for question in sorted(questions, key=lambda q: (q.question_set_id, q.position, q.pk)):
        counts = by_question[question.pk]
        order = [c for c in question.choices if c in counts] + sorted(
            c for c in counts if c not in question.choices
        )
        total = sum(counts.values())
        tallies.append(
            Tally(
                _question_label(question),
                total,
                [(c, counts[c], round(100 * counts[c] / total, 1)) for c in order],
            )
        )
    return tallies


def _question_label(question: Question) -> str:
    """The question as asked, with its set's version (a reworded question is another)."""
    return f"{question.text} (v{question.question_set.version})"


@dataclass
class Report:
    """The monthly 顾客满意度调查表 (R-FB-5), or a year's analysis."""

    first: dt.date
    last: dt.date
    overall: Rate
    by_question: list[Rate]
    by_month: list[Rate] = field(default_factory=list)
    by_product: list[Rate] = field(default_factory=list)
    by_technician: list[Rate] = field(default_factory=list)
    by_region: list[Rate] = field(default_factory=list)
    choices: list[Tally] = field(default_factory=list)
    invited: int = 0
    answered: int = 0
    visits: dict[str, Any] = field(default_factory=dict)
    comments: list[dict[str, Any]] = field(default_factory=list)

    @property
    def response_rate(self) -> float | None:
        return round(100 * self.answered / self.invited, 1) if self.invited else None


def report(first: dt.date, last: dt.date, *, comments: int = 200) -> Report:
    """Months ``first``..``last`` (first days): every breakdown, the response and visit
    rates, and the latest comments (the customer's own words and free-text answers)."""
    first, last = first.replace(day=1), last.replace(day=1)
    end = month_end(last)
    # Local midnights as bounds, so the indexed columns are compared as they are.
    since, until = day_start(first), day_start(end + dt.timedelta(days=1))
    invitations = SurveyInvitation.objects.filter(created_at__gte=since, created_at__lt=until)
    answered = SurveyInvitation.objects.filter(answered_at__gte=since, answered_at__lt=until)
    return Report(
        first=first,
        last=last,
        overall=overall(first, last),
        by_question=rates_by("question", first, last),
        by_month=rates_by("month", first, last),
        by_product=rates_by("product", first, last),
        by_technician=rates_by("technician", first, last),
        by_region=rates_by("region", first, last),
        choices=choices_by_question(first, last),
        invited=invitations.count(),
        answered=answered.count(),
        visits=visit_rate(first, end),
        comments=_comments(first, last, comments),
    )


def _comments(first: dt.date, last: dt.date, limit: int) -> list[dict[str, Any]]:
    """Free-text answers and closing comments, newest first, with the request number."""
    texts = (
        Answer.objects.filter(month__gte=first, month__lte=last)
        .exclude(text="")
        .select_related("invitation__service_request", "invitation__customer", "question")
        .order_by("-month", "-invitation_id", "pk")[:limit]
    )
    found = [
        {
            "at": a.invitation.answered_at,
            "customer": str(a.invitation.customer),
            "request": a.invitation.service_request.number if a.invitation.service_request else "",
            "question": a.question.text,
            "text": a.text,
        }
        for a in texts
    ]
    closing = (
        SurveyInvitation.objects.filter(
            answered_at__gte=day_start(first),
            answered_at__lt=day_start(month_end(last) + dt.timedelta(days=1)),
        )
        .exclude(comment="")
        .select_related("service_request", "customer")
        .order_by("-answered_at", "-pk")[:limit]
    )
    found += [
        {
            "at": i.answered_at,
            "customer": str(i.customer),
            "request": i.service_request.number if i.service_request else "",
            "question": _("Comment"),
            "text": i.comment,
        }
        for i in closing
    ]
    found.sort(key=lambda row: row["at"] or dt.datetime.min.replace(tzinfo=dt.UTC), reverse=True)
    return found[:limit]
