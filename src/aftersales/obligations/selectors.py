"""Reads of time limits, for the monitor and for the features whose records they run on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import (
    Count,
    Exists,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.utils import timezone

from aftersales.accounts.models import User
from aftersales.obligations.models import Notification, Obligation, ObligationEvent, Policy

State = Obligation.State


# Per model, who sees which of its records when that is fewer than every staff member:
# ``scope(user)`` gives the records ``user`` may open, or None when they may open them all.
# A model not registered here is open to all staff who see time limits.
_SCOPES: dict[str, Callable[[User], QuerySet[Any] | None]] = {}


def register_scope(model: type[Model], scope: Callable[[User], QuerySet[Any] | None]) -> None:
    _SCOPES[model._meta.label_lower] = scope


def obligations_for_user(user: User | None) -> QuerySet[Obligation]:
    """Staff with the permission see the limits of the records they may open; customers
    none (they see their requests' dates through those requests)."""
    qs = Obligation.objects.select_related(
        "policy__calendar", "responsible", "department", "content_type"
    )
    if user is None or user.is_external or not user.has_perm("obligations.view_obligation"):
        return qs.none()
    from django.apps import apps

    for label, scope in _SCOPES.items():
        records = scope(user)
        if records is not None:
            kind = ContentType.objects.get_for_model(apps.get_model(label))
            qs = qs.filter(~Q(content_type=kind) | Q(object_id__in=records.values("pk")))
    return qs


def obligation_list(
    user: User | None,
    *,
    rule: str = "",
    states: list[str] | None = None,
    responsible: Any = None,
    department: Any = None,
    breached: bool | None = None,
    number: str = "",
) -> QuerySet[Obligation]:
    qs = obligations_for_user(user)
    if number:
        qs = qs.filter(_numbered(number.strip().upper()))
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


def _numbered(number: str) -> Q:
    """The obligations of the record with that number, whatever its kind (an exact match on
    each numbered model's unique index)."""
    from django.apps import apps

    found = Q(pk__in=[])
    for model in apps.get_models():
        field = next((f for f in model._meta.fields if f.name == "number"), None)
        if field is not None and field.unique:
            found |= Q(
                content_type=ContentType.objects.get_for_model(model),
                object_id__in=model._default_manager.filter(number=number).values("pk"),
            )
    return found


def obligations_of(record: Model) -> QuerySet[Obligation]:
    return obligations_of_each([record])


def obligations_of_each(records: list[Model]) -> QuerySet[Obligation]:
    """The obligations of several records of one model, in one query."""
    if not records:
        return Obligation.objects.none()
    return (
        Obligation.objects.filter(
            content_type=ContentType.objects.get_for_model(records[0]),
            object_id__in=[r.pk for r in records],
        )
        .select_related("policy__calendar", "responsible")
        .order_by("started_at", "pk")
    )


def open_limits(
    user: User | None,
    *,
    rules: Iterable[str] = (),
    of: type[Model] | None = None,
    responsible: User | None = None,
    urgent: bool = False,
    targets: Iterable[QuerySet[Any]] = (),
    limit: int = 8,
) -> list[Obligation]:
    """The open limits (running or late) ``user`` may see, soonest due first, at most
    ``limit``: of those ``rules``, on records of model ``of``, owned by ``responsible``;
    ``urgent``: only the late and those past their warning time. ``targets`` are the
    querysets their records are read with (one query per kind, not one per limit)."""
    qs = obligations_for_user(user).filter(state__in=[State.RUNNING, State.BREACHED])
    if rules:
        qs = qs.filter(rule__in=list(rules))
    if of is not None:
        qs = qs.filter(content_type=_content_type(of))
    if responsible is not None:
        qs = qs.filter(responsible=responsible)
    if urgent:
        qs = qs.filter(Q(state=State.BREACHED) | Q(warn_at__lte=timezone.now()))
    found = list(qs.order_by("due_at", "pk")[:limit])
    if targets:
        prefetch_related_objects(found, GenericPrefetch("target", list(targets)))
    return found


def on_time(first: dt.datetime, end: dt.datetime) -> dict[str, tuple[int, int]]:
    """Per rule, of the limits that fell due in [first, end) and are decided (met, met
    late or breached): (how many, how many on time)."""
    decided = [State.MET, State.MET_LATE, State.BREACHED]
    rows = (
        Obligation.objects.filter(state__in=decided, due_at__gte=first, due_at__lt=end)
        .values("rule")
        .annotate(n=Count("pk"), kept=Count("pk", filter=Q(state=State.MET)))
    )
    return {row["rule"]: (row["n"], row["kept"]) for row in rows}


def rules() -> list[str]:
    return list(Policy.objects.order_by("rule").values_list("rule", flat=True).distinct())


def unread_count(user: User) -> int:
    """The bell's figure: records with unread messages (one late complaint is one)."""
    counted = Notification.objects.filter(user=user, read_at__isnull=True).aggregate(
        records=Count("url", distinct=True, filter=~Q(url="")),
        loose=Count("pk", filter=Q(url="")),
    )
    return int(counted["records"] or 0) + int(counted["loose"] or 0)


@dataclass
class NoticeGroup:
    """A record's messages to one person: the latest, how many, how many unread."""

    latest: Notification
    count: int
    unread: int


def _record_key() -> Any:
    """Messages about one record share its URL; one without a URL stands alone."""
    from django.db.models import Case, CharField, Value, When
    from django.db.models.functions import Cast, Concat

    return Case(
        When(url="", then=Concat(Value("#"), Cast("pk", CharField()))),
        default="url",
        output_field=CharField(),
    )


def notice_groups(user: User, *, unread_only: bool = False) -> QuerySet[Any]:
    """Per record, newest first: ``key``, ``last`` (time), ``n`` and ``unread``; page it,
    then ``with_latest`` reads each group's latest message in one query."""
    from django.db.models import Max

    qs = Notification.objects.filter(user=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return (
        qs.annotate(key=_record_key())
        .values("key")
        .annotate(
            last=Max("created_at"),
            n=Count("pk"),
            unread=Count("pk", filter=Q(read_at__isnull=True)),
        )
        .order_by("-last", "key")
    )


def with_latest(user: User, groups: Iterable[dict[str, Any]]) -> list[NoticeGroup]:
    rows = list(groups)
    keys = [row["key"] for row in rows]
    urls = [key for key in keys if not key.startswith("#")]
    loose = [int(key[1:]) for key in keys if key.startswith("#")]
    latest: dict[str, Notification] = {}
    found = (
        Notification.objects.filter(user=user)
        .filter(Q(url__in=urls) | Q(pk__in=loose))
        .order_by("-created_at", "-pk")
    )
    for notice in found:
        latest.setdefault(notice.url or f"#{notice.pk}", notice)
    return [
        NoticeGroup(latest[row["key"]], row["n"], row["unread"])
        for row in rows
        if row["key"] in latest
    ]


def notifications_of(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


# --- what features read of their records' limits -------------------------------------


def _content_type(model: type[Model] | Model) -> ContentType:
    return ContentType.objects.get_for_model(model)


def has_obligation(record: Model, rule: str, *, open_only: bool = False) -> bool:
    """Did ``rule`` ever run on ``record`` (or, with ``open_only``, is it open now)?"""
    qs = obligations_of(record).filter(rule=rule)
    if open_only:
        qs = qs.filter(state__in=Obligation.OPEN_STATES)
    return qs.exists()


def obligations_prefetch(lookup: str = "obligations") -> Prefetch:
    """Prefetch a record's limits (through its GenericRelation), soonest started first."""
    return Prefetch(
        lookup,
        queryset=Obligation.objects.select_related("policy__calendar").order_by("started_at", "pk"),
    )


def late_exists(model: type[Model]) -> Exists:
    """For filtering ``model``'s rows: has one of its limits breached (or been met late)?"""
    content_type = _content_type(model)
    return Exists(
        Obligation.objects.filter(
            content_type=content_type,
            object_id=OuterRef("pk"),
            state__in=[State.BREACHED, State.MET_LATE],
        )
    )


def events_of(records: Iterable[Model]) -> QuerySet[ObligationEvent]:
    """Every event of the limits on these records (of any models), oldest first."""
    by_type: dict[int, list[int]] = {}
    for record in records:
        by_type.setdefault(_content_type(record).pk, []).append(record.pk)
    match = Q(pk__in=[])
    for content_type_id, ids in by_type.items():
        match |= Q(obligation__content_type_id=content_type_id, obligation__object_id__in=ids)
    return (
        ObligationEvent.objects.filter(match)
        .select_related("obligation", "actor")
        .order_by("at", "pk")
    )


@dataclass(frozen=True)
class Round:
    """One round of a limit: a row that never restarted has one; each restart ended one."""

    rule: str
    due_at: dt.datetime | None
    met_at: dt.datetime | None


def rounds_of(model: type[Model], ids: Iterable[int]) -> list[Round]:
    """Every round of every limit (not cancelled) on these records: the rows as they are
    now, and the rounds their restarts ended, each with its due time and when it ended."""
    content_type = _content_type(model)
    rows = list(
        Obligation.objects.filter(content_type=content_type, object_id__in=list(ids))
        .exclude(state=State.CANCELLED)
        .values_list("pk", "rule", "due_at", "met_at")
    )
    rules = {pk: rule for pk, rule, _due, _met in rows}
    rounds = [Round(rule, due, met) for _pk, rule, due, met in rows]
    ended = ObligationEvent.objects.filter(
        obligation_id__in=list(rules), kind=ObligationEvent.Kind.RESTARTED
    ).values_list("obligation_id", "due_at", "at")
    rounds += [Round(rules[pk], due, at) for pk, due, at in ended]
    return rounds
