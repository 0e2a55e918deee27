"""Checks several services share."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# Nothing this system records happened before it could: older times are typing errors
# (and before 1901 the time zone database answers local mean time, not +08:00).
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
# Every date the system accepts lies in these years: a 0002 or a 9999 is a slip, and
# bounding it keeps any one request's calendar work small.
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


# Control characters (but tab and line breaks) have no place in typed text; Excel cannot
# even hold them, so one in a name would break every later export.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def no_control_characters(value: Any) -> None:
    """A validator (forms and the API) for text."""
    if isinstance(value, str) and CONTROL.search(value):
        raise ValidationError(_("Remove the control characters from the text."), code="control")


def within_years(value: dt.date | dt.datetime | None) -> None:
    """A validator (forms and the API): a date or time in 2000–2100, read on its own
    wall clock, so no time-zone conversion can overflow first."""
    if value is None:
        return
    day = value.date() if isinstance(value, dt.datetime) else value
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError(_("Give a date between 2000 and 2100."), code="out_of_range")


def check_past(at: dt.datetime, field: str, *, grace: dt.timedelta | None = None) -> None:
    """``at`` is neither in the future (beyond ``grace``) nor before 2000."""
    if at > timezone.now() + (grace or dt.timedelta(0)):
        raise ValidationError({field: _("This time cannot be in the future.")})
    if at < EARLIEST:
        raise ValidationError({field: _("This time is too far in the past.")})


def typed_text(
    value: Any, field: str, limit: int, errors: dict[str, Any], *, required: bool
) -> str:
    """Typed text, stripped; a missing (when ``required``), too long or control-character
    text is noted in ``errors`` under ``field`` (never cut short), so a service can
    report every field at once."""
    text = str(value or "").strip()
    if required and not text:
        errors[field] = _("This field is required.")
    elif len(text) > limit:
        errors[field] = _("At most %(limit)d characters; this has %(n)d.") % {
            "limit": limit,
            "n": len(text),
        }
    elif CONTROL.search(text):
        errors[field] = _("Remove the control characters from the text.")
    return text
