"""The monthly complaint review (R-CP-9): last month's complaints by category,
department and outcome, time-limit compliance per CP.* rule, repeat
complainants, and the responsibility and penalty of each upheld complaint."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role
from aftersales.calendars.periods import month_bounds
from aftersales.common.exceptions import ConflictError
from aftersales.complaints.models import (
    Category,
    Complaint,
    CorrectiveAction,
    Decision,
    MonthlyReview,
)
from aftersales.obligations.rules import rule_name
from aftersales.obligations.selectors import rounds_of

REPEAT_WINDOW_DAYS = 365


@dataclass
class Compliance:
    rule: str
    met: int = 0
    late: int = 0
    breached: int = 0
    running: int = 0

    @property
    def name(self) -> str:
        return rule_name(self.rule)

    @property
    def decided(self) -> int:
        return self.met + self.late + self.breached

    @property
    def rate(self) -> float | None:
        """Share met on time among those that came due (running ones not yet)."""
        return round(100 * self.met / self.decided, 1) if self.decided else None


@dataclass
class Review:
    month: dt.date
    total: int = 0
    by_category: list[tuple[str, int]] = field(default_factory=list)
    by_department: list[tuple[str, int]] = field(default_factory=list)
    by_outcome: list[tuple[str, int]] = field(default_factory=list)
    compliance: list[Compliance] = field(default_factory=list)
    repeat_complainants: list[tuple[str, str, int]] = field(default_factory=list)
    upheld: list[Complaint] = field(default_factory=list)
    signed: MonthlyReview | None = None


def _department(complaint: Complaint) -> str:
    if complaint.target_department_id:
        return str(complaint.target_department)
    for person in (complaint.target_person, complaint.responsible):
        if person is not None and person.department_id:
            return str(person.department)
    return str(_("Not assigned"))


def _outcome(complaint: Complaint) -> str:
    if complaint.status == Complaint.Status.DECLINED:
        return str(Complaint.Status.DECLINED.label)
    if complaint.decision:
        return str(Decision(complaint.decision).label)
    return str(_("Not decided yet"))


def monthly_review(month: dt.date) -> Review:
    start, end = month_bounds(month)
    complaints = list(
        Complaint.objects.filter(received_at__gte=start, received_at__lt=end)
        .select_related(
            "target_department",
            "target_person__department",
            "responsible__department",
        )
        .order_by("received_at", "pk")
    )
    review = Review(month=month.replace(day=1), total=len(complaints))
    labels = dict(Category.choices)
    review.by_category = [
        (str(labels[code]), n) for code, n in Counter(c.category for c in complaints).most_common()
    ]
    review.by_department = Counter(_department(c) for c in complaints).most_common()
    review.by_outcome = Counter(_outcome(c) for c in complaints).most_common()
    review.compliance = _compliance(complaints, end)
    window_start = end - dt.timedelta(days=REPEAT_WINDOW_DAYS)
    phones = {c.complainant_phone for c in complaints}
    repeats = (
        Complaint.objects.filter(
            complainant_phone__in=phones, received_at__gte=window_start, received_at__lt=end
        )
        .values("complainant_phone")
        .annotate(n=Count("pk"))
        .filter(n__gte=2)
        .order_by("-n", "complainant_phone")
    )
    names = {c.complainant_phone: c.complainant_name for c in complaints}
    review.repeat_complainants = [
        (names.get(r["complainant_phone"], ""), r["complainant_phone"], r["n"]) for r in repeats
    ]
    review.upheld = [c for c in complaints if c.decision == Decision.UPHELD]
    review.signed = (
        MonthlyReview.objects.filter(month=review.month).select_related("signed_by").first()
    )
    return review


def _compliance(complaints: list[Complaint], end: dt.datetime) -> list[Compliance]:
    """Per rule, as things stood at the month's end: met on time, met late,
    breached (due and not met), or still running. A limit that restarts
    (CP.PROGRESS after each step) counts each of its rounds."""
    ids = [c.pk for c in complaints]
    action_ids = list(
        CorrectiveAction.objects.filter(complaint_id__in=ids).values_list("pk", flat=True)
    )
    by_rule: dict[str, Compliance] = {}
    for one in rounds_of(Complaint, ids) + rounds_of(CorrectiveAction, action_ids):
        entry = by_rule.setdefault(one.rule, Compliance(one.rule))
        due = one.due_at
        if one.met_at is not None and one.met_at <= end:
            if due is None or one.met_at <= due:
                entry.met += 1
            else:
                entry.late += 1
        elif due is not None and due <= end:
            entry.breached += 1
        else:
            entry.running += 1
    return sorted(by_rule.values(), key=lambda c: c.rule)


@transaction.atomic
def review_sign(*, actor: User, month: dt.date, note: str = "") -> MonthlyReview:
    """The service manager signs the month's review off, once the month is over."""
    if not (actor.has_role(Role.SERVICE_MANAGER) or actor.is_superuser):
        raise ValidationError({"month": _("The service manager signs the review off.")})
    month = month.replace(day=1)
    _start, end = month_bounds(month)
    if timezone.now() < end:
        raise ConflictError(_("%(month)s is not over yet.") % {"month": f"{month:%Y-%m}"})
    if MonthlyReview.objects.filter(month=month).exists():
        raise ConflictError(
            _("The review of %(month)s is already signed.") % {"month": f"{month:%Y-%m}"}
        )
    return MonthlyReview.objects.create(
        month=month, signed_by=actor, signed_at=timezone.now(), note=note.strip()[:500]
    )
