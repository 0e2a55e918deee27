"""Checks several services share."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# Nothing this system records happened before it could: older times are typing errors
# (and before 1901 the time zone database answers local mean time, not +08:00).
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def check_past(at: dt.datetime, field: str, *, grace: dt.timedelta | None = None) -> None:
    """``at`` is neither in the future (beyond ``grace``) nor before 2000."""
    if at > timezone.now() + (grace or dt.timedelta(0)):
        raise ValidationError({field: _("This time cannot be in the future.")})
    if at < EARLIEST:
        raise ValidationError({field: _("This time is too far in the past.")})


def parse_month(text: str) -> dt.date | None:
    """``YYYY-MM`` as the first day of that month; None when it is not one, or before 2000
    (no record of this system is older; a year like 0811 is a typing slip)."""
    try:
        month = dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        return None
    return month if month.year >= 2000 else None


def parse_year(text: str) -> int | None:
    """``YYYY`` between 2000 and 2100, else None."""
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else None


def month_or_last(text: str) -> dt.date:
    """For pages: the month asked for, else last month."""
    return parse_month(text) or (
        timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    ).replace(day=1)
