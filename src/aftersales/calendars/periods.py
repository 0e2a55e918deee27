"""Months, quarters and years: the periods reports, reviews, plans and month ends count in.

Pure functions over dates (a month is named by its first day), plus the local-time
bounds of a period for querying instants. Input parsing is bounded to 2000–2100:
no record of this system is older, and a year like 0811 is a typing slip.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.utils import timezone

FIRST_YEAR, LAST_YEAR = 2000, 2100
# ``YYYY-MM`` in 2000–2100, as the schema documents a month (parse_month is the check).
MONTH_PATTERN = r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])$"


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    """The first day of the month after ``day``'s."""
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s month."""
    return next_month(day) - dt.timedelta(days=1)


def last_month(today: dt.date | None = None) -> dt.date:
    """The first day of the month before today's (Beijing time)."""
    today = today or timezone.localdate()
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def month_of(at: dt.datetime) -> dt.date:
    """The month (first day) an instant falls in, in local time."""
    return timezone.localtime(at).date().replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def quarter_of(day: dt.date) -> tuple[str, dt.date, dt.date]:
    """("2026-Q4", its first day, its last day)."""
    q = (day.month - 1) // 3 + 1
    first = dt.date(day.year, 3 * q - 2, 1)
    return f"{day.year}-Q{q}", first, month_end(dt.date(day.year, 3 * q, 1))


def year_end(day: dt.date) -> dt.date:
    return dt.date(day.year, 12, 31)


def day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day``, local time."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The month as instants: its first midnight, and the next month's."""
    return day_start(month.replace(day=1)), day_start(next_month(month))


def parse_month(text: str) -> dt.date | None:
    """``YYYY-MM`` as the first day of that month; None when it is not one, or outside
    2000–2100."""
    try:
        month = dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        return None
    return month if FIRST_YEAR <= month.year <= LAST_YEAR else None


def parse_year(text: str) -> int | None:
    """``YYYY`` between 2000 and 2100, else None."""
    if not (len(text) == 4 and text.isascii() and text.isdigit()):
        return None
    return int(text) if FIRST_YEAR <= int(text) <= LAST_YEAR else None


def month_or_last(text: str) -> dt.date:
    """For pages: the month asked for, else last month."""
    return parse_month(text) or last_month()
