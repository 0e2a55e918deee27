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
