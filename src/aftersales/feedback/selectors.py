"""Reads of return visits and surveys, scoped to who may see them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from aftersales.accounts.models import User
from aftersales.feedback.models import QuestionSet, SurveyCampaign, Visit, VisitIssue


def visits_for(user: User | None) -> QuerySet[Visit]:
    """Staff with the view permission see every visit; customers none (a visit is the
    company's own record of calling them)."""
    qs = Visit.objects.select_related("customer", "service_request", "done_by")
    if user is None or user.is_external or not user.has_perm("feedback.view_visit"):
        return qs.none()
    return qs


def get_visit_for_user(user: User | None, pk: Any) -> Visit:
    return get_object_or_404(visits_for(user), pk=pk)


def work_list(user: User | None, *, show: str = "due", kind: str = "") -> QuerySet[Visit]:
    """The agents' list: what is due today or late first (R-FB-1/2), or all recorded."""
    qs = visits_for(user).prefetch_related("obligations")
    today = timezone.localdate()
    if show == "overdue":
        qs = qs.filter(status=Visit.Status.DUE, planned_on__lt=today)
    elif show == "today":
        qs = qs.filter(status=Visit.Status.DUE, planned_on__lte=today)
    elif show == "done":
        qs = qs.filter(status=Visit.Status.DONE).order_by("-done_at", "-pk")
    else:
        qs = qs.filter(status=Visit.Status.DUE)
    if kind in Visit.Kind.values:
        qs = qs.filter(kind=kind)
    return qs


def issues_for(user: User | None) -> QuerySet[VisitIssue]:
    qs = VisitIssue.objects.select_related("visit__customer", "department", "created_by")
    if user is None or user.is_external or not user.has_perm("feedback.view_visitissue"):
        return qs.none()
    return qs


def department_issues(user: User | None, *, show: str = "open") -> QuerySet[VisitIssue]:
    """A department's own list: the problems transferred to the departments the user
    belongs to or heads, open first by age; answered ones newest first."""
    if user is None or user.is_external or not user.is_active:
        return VisitIssue.objects.none()
    mine = Q(department_id=user.department_id or 0) | Q(department__head=user)
    qs = VisitIssue.objects.select_related(
        "visit__customer", "department", "created_by", "answered_by"
    ).filter(mine)
    if show == "answered":
        return qs.exclude(answered_at=None).order_by("-answered_at", "-pk")
    return qs.filter(answered_at=None).prefetch_related("obligations").order_by("created_at", "pk")


def open_issues(user: User | None) -> QuerySet[VisitIssue]:
    return issues_for(user).filter(answered_at=None).order_by("created_at")


def question_sets_for(user: User | None) -> QuerySet[QuestionSet]:
    if user is None or user.is_external or not user.has_perm("feedback.view_questionset"):
        return QuestionSet.objects.none()
    return QuestionSet.objects.select_related("created_by")


def campaigns_for(user: User | None) -> QuerySet[SurveyCampaign]:
    if user is None or user.is_external or not user.has_perm("feedback.view_surveycampaign"):
        return SurveyCampaign.objects.none()
    return SurveyCampaign.objects.select_related("question_set")


def visit_rate(first: Any, last: Any) -> dict[str, Any]:
    """Visits planned for days between ``first`` and ``last`` and how many were made:
    the visit rate against the 100 % target (R-FB-2)."""
    planned = Visit.objects.filter(planned_on__gte=first, planned_on__lte=last).exclude(
        status=Visit.Status.CANCELLED
    )
    total = planned.count()
    done = planned.filter(status=Visit.Status.DONE).count()
    return {
        "planned": total,
        "done": done,
        "rate": round(100 * done / total, 1) if total else None,
        "late": planned.filter(
            Q(status=Visit.Status.DUE, planned_on__lt=timezone.localdate())
        ).count(),
    }
