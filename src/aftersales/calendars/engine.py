"""Deadline arithmetic on working calendars: pure functions, no database.

The semantics are those of ``spec/policies.md``:

* ``minutes``, ``hours``, ``days``: natural (elapsed) time; the calendar is ignored.
* ``working_minutes``, ``working_hours``: only time inside working periods
  counts; a start outside working time counts from the next working period; a
  deadline that falls exactly at the end of a period is that end (a limit
  ending at noon is due 12:00, not 13:00); adding zero gives the start itself
  if it is working time, else the start of the next working period.
* ``working_days``: the end of the last working period of the N-th working
  day strictly after the start's (local) date.
* ``same_working_day`` (amount 0): the end of the start day's working
  periods; if the start is after them or on a day off, the end of the next
  working day.

How it is fast: a calendar is unrolled, once, into a sorted list of its
working periods as UTC seconds, with the working time accumulated before
each. A working instant then has a *position* (working seconds since the
start of the list), adding working time is adding to the position, and going
back from a position to an instant is one binary search. Days carry a running
count of working days the same way. Periods are converted from local wall
time with the calendar's zone, so daylight-saving changes are exact.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

NATURAL_UNITS = {"minutes": 60, "hours": 3600, "days": 86400}
WORKING_TIME_UNITS = {"working_minutes": 60, "working_hours": 3600}
UNITS = (*NATURAL_UNITS, *WORKING_TIME_UNITS, "working_days", "same_working_day")
DAY_MINUTES = 24 * 60
#: Amounts beyond ten years are refused (by unit).
MAX_AMOUNT = {
    "minutes": 10 * 366 * DAY_MINUTES,
    "hours": 10 * 366 * 24,
    "days": 10 * 366,
    "working_minutes": 10 * 366 * DAY_MINUTES,
    "working_hours": 10 * 366 * 24,
    "working_days": 10 * 366,
    "same_working_day": 0,
}

Period = tuple[int, int]  # minutes from local midnight, end exclusive; 1440 = 24:00


@dataclass(frozen=True)
class CalendarSpec:
    """What a calendar says, as plain data.

    ``weekly[0]`` holds Monday's periods. A day off has no periods; a make-up
    workday (调休上班) has the periods of ``makeup_weekday`` (Monday by default).
    """

    time_zone: str
    weekly: tuple[tuple[Period, ...], ...]
    days_off: frozenset[dt.date] = frozenset()
    makeup_workdays: frozenset[dt.date] = frozenset()
    makeup_weekday: int = 0

    def periods_on(self, day: dt.date) -> tuple[Period, ...]:
        if day in self.days_off:
            return ()
        if day in self.makeup_workdays:
            return self.weekly[self.makeup_weekday]
        return self.weekly[day.weekday()]


class CalendarError(ValueError):
    """A bad unit, amount or instant; ``code`` says which (for translated messages)."""

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.code = code


# The engine counts within these years only, so no caller can make it unroll millennia
# (inputs are bounded to 2000–2100; a due time may run up to ten years past that).
FIRST_YEAR, LAST_YEAR = 2000, 2111


def _epoch(t: dt.datetime) -> float:
    if t.tzinfo is None or t.utcoffset() is None:
        raise CalendarError("a time without a UTC offset is ambiguous", "naive")
    if not FIRST_YEAR <= t.year <= LAST_YEAR:
        raise CalendarError("the time is outside the years 2000 to 2100", "range")
    return t.timestamp()


@dataclass
class _Index:
    first_day: dt.date
    last_day: dt.date
    starts: list[float] = field(default_factory=list)  # period starts, UTC seconds
    ends: list[float] = field(default_factory=list)
    before: list[float] = field(default_factory=list)  # working seconds before each period
    upto: list[float] = field(default_factory=list)  # working seconds up to each period's end
    day_period: list[int] = field(
        default_factory=list
    )  # first period index of each day (+1 sentinel)
    workdays: list[int] = field(default_factory=list)  # working days up to and including each day


class WorkCalendar:
    """A calendar ready for arithmetic. Build one per calendar version and reuse it."""

    def __init__(self, spec: CalendarSpec, *, always: bool = False):
        self.spec = spec
        self.always = always  # every second is working time (the 24x7 calendar)
        self.tz = ZoneInfo(spec.time_zone)
        self._index: _Index | None = None

    def working_dates(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """The days from ``first`` to ``last`` that have working time."""
        if first.year < FIRST_YEAR or last.year > LAST_YEAR:
            raise CalendarError("the time is outside the years 2000 to 2100", "range")
        days = []
        day = first
        while day <= last:
            if self.always or self.spec.periods_on(day):
                days.append(day)
            day += dt.timedelta(days=1)
        return days

    def working_intervals(
        self, start: dt.datetime, end: dt.datetime
    ) -> list[tuple[dt.datetime, dt.datetime]]:
        """The stretches of working time between ``start`` and ``end``, in order, clipped
        to them (the whole span on a 24x7 calendar). For what a duty roster must cover
        outside working hours."""
        if end <= start:
            return []
        if self.always:
            return [(start, end)]
        first = start.astimezone(self.tz).date() - dt.timedelta(days=1)
        last = end.astimezone(self.tz).date()
        if first.year < FIRST_YEAR or last.year > LAST_YEAR:
            raise CalendarError("the time is outside the years 2000 to 2100", "range")
        out: list[tuple[dt.datetime, dt.datetime]] = []
        day = first
        while day <= last:
            midnight = dt.datetime.combine(day, dt.time.min, tzinfo=self.tz)
            for start_min, end_min in self.spec.periods_on(day):
                s = midnight + dt.timedelta(minutes=start_min)
                e = midnight + dt.timedelta(minutes=end_min)
                s, e = max(s, start), min(e, end)
                if s < e:
                    out.append((s, e))
            day += dt.timedelta(days=1)
        return out

    # --- the unrolled index ---------------------------------------------------

    def _build(self, first: dt.date, last: dt.date) -> None:
        index = _Index(first_day=first, last_day=last)
        worked = 0.0
        count = 0
        day = first
        tz = self.tz
        while day <= last:
            index.day_period.append(len(index.starts))
            periods = self.spec.periods_on(day)
            midnight = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
            for start_min, end_min in periods:
                # Aware datetime + timedelta is wall-clock arithmetic; .timestamp()
                # then goes through the zone, so a 23- or 25-hour day counts right.
                s = (midnight + dt.timedelta(minutes=start_min)).timestamp()
                e = (midnight + dt.timedelta(minutes=end_min)).timestamp()
                index.starts.append(s)
                index.ends.append(e)
                index.before.append(worked)
                worked += e - s
                index.upto.append(worked)
            if periods:
                count += 1
            index.workdays.append(count)
            day += dt.timedelta(days=1)
        index.day_period.append(len(index.starts))
        self._index = index

    def _ensure(self, first: dt.date, last: dt.date) -> _Index:
        """An index covering at least ``first`` to ``last``, grown in whole years."""
        index = self._index
        if index is not None and index.first_day <= first and last <= index.last_day:
            return index
        # Grow only the side that is short, so day and period numbers of the
        # kept side stay valid for a caller in the middle of a search.
        lo = dt.date(first.year - 1, 1, 1)
        hi = dt.date(last.year + 1, 12, 31)
        if index is not None:
            lo = index.first_day if first >= index.first_day else lo
            hi = index.last_day if last <= index.last_day else hi
        self._build(lo, hi)
        assert self._index is not None
        return self._index

    def _local_date(self, epoch: float) -> dt.date:
        return dt.datetime.fromtimestamp(epoch, self.tz).date()

    def _to_time(self, epoch: float) -> dt.datetime:
        return dt.datetime.fromtimestamp(epoch, self.tz)

    def _has_work_ahead(self, index: _Index, target: float) -> bool:
        return bool(index.upto) and index.upto[-1] >= target

    # --- positions --------------------------------------------------------------

    def _position(self, index: _Index, t: float) -> float:
        k = bisect_right(index.starts, t) - 1
        if k < 0:
            return 0.0
        return index.before[k] + min(t - index.starts[k], index.ends[k] - index.starts[k])

    def _instant(self, index: _Index, position: float) -> float:
        k = bisect_left(index.upto, position)
        return index.starts[k] + (position - index.before[k])

    # --- public arithmetic -------------------------------------------------------

    def is_working_time(self, t: dt.datetime) -> bool:
        if self.always:
            return True
        epoch = _epoch(t)
        day = self._local_date(epoch)
        index = self._ensure(day, day)
        k = bisect_right(index.starts, epoch) - 1
        return k >= 0 and epoch < index.ends[k]

    def add_working_seconds(self, start: dt.datetime, seconds: float) -> dt.datetime:
        epoch = _epoch(start)
        if self.always:
            return self._to_time(epoch + seconds)
        day = self._local_date(epoch)
        # A generous first guess; grown below if the calendar is sparse.
        index = self._ensure(day, day + dt.timedelta(days=int(seconds // 86400 * 2) + 14))
        if seconds == 0:
            k = bisect_right(index.starts, epoch) - 1
            if k >= 0 and epoch < index.ends[k]:
                return start.astimezone(self.tz)
            return self._to_time(self._next_start(index, k + 1, day))
        position = self._position(index, epoch) + seconds
        years = 1
        while not self._has_work_ahead(index, position):
            if years > 20:
                raise CalendarError("the calendar has too little working time ahead")
            index = self._ensure(day, index.last_day + dt.timedelta(days=366 * years))
            position = self._position(index, epoch) + seconds
            years *= 2
        return self._to_time(self._instant(index, position))

    def _next_start(self, index: _Index, k: int, day: dt.date) -> float:
        while k >= len(index.starts):
            if (index.last_day - day).days > 366 * 20:
                raise CalendarError("the calendar has no working period ahead")
            index = self._ensure(day, index.last_day + dt.timedelta(days=366))
        return index.starts[k]

    def working_seconds_between(self, a: dt.datetime, b: dt.datetime) -> float:
        """Working time from ``a`` to ``b`` (negative when ``b`` is earlier)."""
        ea, eb = _epoch(a), _epoch(b)
        if self.always:
            return eb - ea
        first, last = sorted((self._local_date(ea), self._local_date(eb)))
        index = self._ensure(first, last)
        return self._position(index, eb) - self._position(index, ea)

    def _day_end(self, index: _Index, i: int) -> float:
        return index.ends[index.day_period[i + 1] - 1]

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """End of the last period of the ``days``-th working day after the start's date."""
        epoch = _epoch(start)
        day = self._local_date(epoch)
        if days == 0:
            return self.end_of_working_day(start)
        index = self._ensure(day, day + dt.timedelta(days=days * 3 + 30))
        i = (day - index.first_day).days
        target = index.workdays[i] + days
        while index.workdays[-1] < target:
            if (index.last_day - day).days > 366 * 20 + days * 7:
                raise CalendarError("the calendar has too few working days ahead")
            index = self._ensure(day, index.last_day + dt.timedelta(days=366))
        j = bisect_left(index.workdays, target, lo=i + 1)
        return self._to_time(self._day_end(index, j))

    def end_of_working_day(self, start: dt.datetime) -> dt.datetime:
        """``same_working_day``: the end of the start day's periods, or of the next working day."""
        epoch = _epoch(start)
        day = self._local_date(epoch)
        index = self._ensure(day, day + dt.timedelta(days=60))
        i = (day - index.first_day).days
        if index.day_period[i + 1] > index.day_period[i] and epoch < self._day_end(index, i):
            return self._to_time(self._day_end(index, i))
        return self.add_working_days(start, 1)

    def add(self, start: dt.datetime, amount: int, unit: str) -> dt.datetime:
        """``start`` plus ``amount`` of ``unit`` (see the module's docstring)."""
        check_amount(amount, unit)
        if unit in NATURAL_UNITS:
            _epoch(start)
            return (start + dt.timedelta(seconds=amount * NATURAL_UNITS[unit])).astimezone(self.tz)
        if unit in WORKING_TIME_UNITS:
            return self.add_working_seconds(start, amount * WORKING_TIME_UNITS[unit])
        if unit == "working_days":
            return self.add_working_days(start, amount)
        return self.end_of_working_day(start)


def check_amount(amount: int, unit: str) -> None:
    if unit not in MAX_AMOUNT:
        raise CalendarError(f"unknown unit {unit!r}; use one of: {', '.join(UNITS)}", "unit")
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise CalendarError("the amount must be a whole number", "whole")
    if amount < 0:
        raise CalendarError("the amount cannot be negative", "negative")
    if amount > MAX_AMOUNT[unit]:
        if unit == "same_working_day":
            raise CalendarError("same_working_day takes the amount 0", "same_day_zero")
        raise CalendarError("the amount is beyond ten years", "too_far")
