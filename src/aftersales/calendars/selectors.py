"""Reading calendars, and the cached ``WorkCalendar`` each code computes with."""

from __future__ import annotations

import datetime as dt
import threading

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from aftersales.calendars.engine import CalendarSpec, WorkCalendar
from aftersales.calendars.models import Calendar, CalendarException

_cache: dict[str, tuple[int, WorkCalendar]] = {}
_lock = threading.Lock()


def calendar_spec(calendar: Calendar) -> CalendarSpec:
    weekly: list[list[tuple[int, int]]] = [[] for _ in range(7)]
    for period in calendar.periods.all():
        weekly[period.weekday].append(period.minutes)
    days_off: set[dt.date] = set()
    workdays: set[dt.date] = set()
    for day, kind in calendar.exceptions.values_list("date", "kind"):
        (days_off if kind == CalendarException.Kind.DAY_OFF else workdays).add(day)
    return CalendarSpec(
        time_zone=calendar.time_zone,
        weekly=tuple(tuple(sorted(day)) for day in weekly),
        days_off=frozenset(days_off),
        makeup_workdays=frozenset(workdays),
        makeup_weekday=calendar.makeup_weekday,
    )


def work_calendar(calendar: Calendar | str) -> WorkCalendar:
    """The arithmetic for a calendar (or its code), rebuilt only when its version changes.

    One query when given a code; none when given a fresh Calendar row and the
    cache is current.
    """
    if isinstance(calendar, str):
        calendar = Calendar.objects.get(code=calendar)
    cached = _cache.get(calendar.code)
    if cached is not None and cached[0] == calendar.version:
        return cached[1]
    computed = WorkCalendar(calendar_spec(calendar), always=calendar.is_24x7)
    with _lock:
        _cache[calendar.code] = (calendar.version, computed)
    return computed


def get_calendar(code: str) -> Calendar:
    return get_object_or_404(Calendar, code=code)


def calendars() -> QuerySet[Calendar]:
    return Calendar.objects.order_by("code")


def exceptions_of_year(calendar: Calendar, year: int) -> QuerySet[CalendarException]:
    return calendar.exceptions.filter(date__year=year).order_by("date")


def years_missing_statutory_days(today: dt.date) -> list[int]:
    """From 1 November on, next year if the standard calendar has no days off for it yet."""
    if today.month < 11:
        return []
    year = today.year + 1
    has = CalendarException.objects.filter(
        calendar__code="standard", date__year=year, kind=CalendarException.Kind.DAY_OFF
    ).exists()
    return [] if has else [year]
