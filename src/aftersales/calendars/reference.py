"""A deliberately naive, minute-by-minute implementation of the working-time
rules, used by the tests to check the fast engine and by the benchmark as the
baseline it must beat."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from aftersales.calendars.engine import CalendarSpec

MINUTE = dt.timedelta(minutes=1)


def is_working_minute(spec: CalendarSpec, t: dt.datetime) -> bool:
    local = t.astimezone(ZoneInfo(spec.time_zone))
    minute = local.hour * 60 + local.minute
    return any(start <= minute < end for start, end in spec.periods_on(local.date()))


def add_working_minutes(spec: CalendarSpec, start: dt.datetime, minutes: int) -> dt.datetime:
    """Walk minute by minute (start on a whole minute)."""
    t = start.astimezone(dt.UTC)
    if minutes == 0:
        while not is_working_minute(spec, t):
            t += MINUTE
        return t
    left = minutes
    while True:
        if is_working_minute(spec, t):
            left -= 1
            if left == 0:
                return t + MINUTE
        t += MINUTE
