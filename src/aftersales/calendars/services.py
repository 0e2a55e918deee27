"""Writes to calendars. Every change bumps the calendar's version (so cached
arithmetic is rebuilt) and, after commit, announces the change so running
obligations are recomputed."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from aftersales.calendars.holidays_import import known_years, statutory_days
from aftersales.calendars.models import Calendar, CalendarException, WorkingPeriod
from aftersales.calendars.signals import calendar_changed
from aftersales.common.audit import save_audited

# Calendars sit below accounts: an actor is whatever user model the project has.
User = AbstractBaseUser


def calendar_touch(calendar: Calendar) -> None:
    """Record that the calendar changed: new version, recompute after commit."""
    Calendar.objects.filter(pk=calendar.pk).update(version=F("version") + 1)
    calendar.refresh_from_db(fields=["version"])
    transaction.on_commit(lambda: calendar_changed.send(sender=Calendar, calendar=calendar))


def _check_periods(periods: list[tuple[int, dt.time, dt.time]]) -> None:
    by_day: dict[int, list[tuple[int, int]]] = {}
    for weekday, start, end in periods:
        if not 0 <= weekday <= 6:
            raise ValidationError({"periods": _("A weekday is a number from 0 (Monday) to 6.")})
        s, e = start.hour * 60 + start.minute, (end.hour * 60 + end.minute) or 24 * 60
        if e <= s:
            raise ValidationError({"periods": _("A working period must end after it starts.")})
        by_day.setdefault(weekday, []).append((s, e))
    for spans in by_day.values():
        spans.sort()
        for (_s1, e1), (s2, _e2) in itertools.pairwise(spans):
            if s2 < e1:
                raise ValidationError({"periods": _("Working periods of one day overlap.")})


@transaction.atomic
def calendar_create(
    *,
    actor: User | None,
    code: str,
    name: str,
    periods: Iterable[tuple[int, dt.time, dt.time]] = (),
    **fields: Any,
) -> Calendar:
    calendar = Calendar(code=code, name=name, **fields)
    save_audited(calendar, actor=actor, reason="created")
    calendar_set_periods(actor=actor, calendar=calendar, periods=periods)
    return calendar


@transaction.atomic
def calendar_update(*, actor: User | None, calendar: Calendar, **fields: Any) -> Calendar:
    for name, value in fields.items():
        setattr(calendar, name, value)
    save_audited(calendar, actor=actor, reason="updated")
    calendar_touch(calendar)
    return calendar


@transaction.atomic
def calendar_set_periods(
    *, actor: User | None, calendar: Calendar, periods: Iterable[tuple[int, dt.time, dt.time]]
) -> None:
    """Replace the weekly working periods: (weekday, from, to), several per day allowed."""
    wanted = list(periods)
    _check_periods(wanted)
    calendar.periods.all().delete()
    for weekday, start, end in wanted:
        period = WorkingPeriod(calendar=calendar, weekday=weekday, starts_at=start, ends_at=end)
        save_audited(period, actor=actor, reason="weekly periods set")
    calendar_touch(calendar)


@transaction.atomic
def exception_add(
    *, actor: User | None, calendar: Calendar, date: dt.date, kind: str, name: str = ""
) -> CalendarException:
    """Add a day off or a make-up workday; a date that already has the other kind is refused."""
    existing = calendar.exceptions.filter(date=date).first()
    if existing is not None:
        if existing.kind != kind:
            raise ValidationError(
                {
                    "date": _("%(date)s is already a %(kind)s; change or remove that first.")
                    % {"date": date, "kind": existing.get_kind_display()}
                }
            )
        raise ValidationError({"date": _("%(date)s is already in the calendar.") % {"date": date}})
    exception = CalendarException(calendar=calendar, date=date, kind=kind, name=name)
    save_audited(exception, actor=actor, reason="added")
    calendar_touch(calendar)
    return exception


@transaction.atomic
def exception_update(
    *, actor: User | None, exception: CalendarException, **fields: Any
) -> CalendarException:
    for field, value in fields.items():
        setattr(exception, field, value)
    exception.imported = False  # edited by hand: a later import leaves it alone
    save_audited(exception, actor=actor, reason="updated")
    calendar_touch(exception.calendar)
    return exception


@transaction.atomic
def exception_remove(*, actor: User | None, exception: CalendarException) -> None:
    exception._history_user = actor  # type: ignore[attr-defined]
    calendar = exception.calendar
    exception.delete()
    calendar_touch(calendar)


@transaction.atomic
def statutory_days_import(*, actor: User | None, calendar: Calendar, year: int) -> dict[str, int]:
    """Import ``year``'s statutory days off and make-up workdays.

    Days edited or added by hand are kept; earlier imports of the year are
    replaced, so importing again after the package is updated is safe.
    """
    days_off, workdays = statutory_days(year) if year in known_years() else ({}, {})
    if not days_off:
        raise ValidationError(
            {
                "year": _("The holidays package has no statutory days for %(year)s yet.")
                % {"year": year}
            }
        )
    in_year = calendar.exceptions.filter(date__year=year)
    in_year.filter(imported=True).delete()
    manual = set(in_year.values_list("date", flat=True))
    added = 0
    for kind, days in (
        (CalendarException.Kind.DAY_OFF, days_off),
        (CalendarException.Kind.WORKDAY, workdays),
    ):
        for day, name in sorted(days.items()):
            if day in manual:
                continue
            exception = CalendarException(
                calendar=calendar, date=day, kind=kind, name=name[:100], imported=True
            )
            save_audited(exception, actor=actor, reason=f"imported {year}")
            added += 1
    calendar_touch(calendar)
    return {"added": added, "kept": len(manual)}
