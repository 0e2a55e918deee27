from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet

from aftersales.accounts.models import User
from aftersales.obligations.models import Notification, Obligation, Policy

State = Obligation.State


def obligations_for_user(user: User | None) -> QuerySet[Obligation]:
    """Staff with the permission see every obligation; others none (customers see
    their requests' limits through those requests, later)."""
    qs = Obligation.objects.select_related(
        "policy__calendar", "responsible", "department", "content_type"
    )
    if user is None or user.is_external or not user.has_perm("obligations.view_obligation"):
        return qs.none()
    return qs


def obligation_list(
    user: User | None,
    *,
    rule: str = "",
    states: list[str] | None = None,
    responsible: Any = None,
    department: Any = None,
    breached: bool | None = None,
) -> QuerySet[Obligation]:
    qs = obligations_for_user(user)
    if rule:
        qs = qs.filter(rule=rule)
    if states:
        qs = qs.filter(state__in=states)
    if responsible:
        qs = qs.filter(responsible=responsible)
    if department:
        qs = qs.filter(department=department)
    if breached is True:
        qs = qs.filter(state__in=[State.BREACHED, State.MET_LATE])
    elif breached is False:
        qs = qs.exclude(state__in=[State.BREACHED, State.MET_LATE])
    # Soonest first; paused ones (no due time) after the rest.
    return qs.order_by("due_at", "pk")


def obligations_of(record: Model) -> QuerySet[Obligation]:
    return (
        Obligation.objects.filter(
            content_type=ContentType.objects.get_for_model(record), object_id=record.pk
        )
        .select_related("policy__calendar", "responsible")
        .order_by("started_at", "pk")
    )


def rules() -> list[str]:
    return list(Policy.objects.order_by("rule").values_list("rule", flat=True).distinct())


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_of(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")
