"""How a label is joined to its text in the reader's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext


def separator() -> str:
    """The separator after a label: a full-width colon in Chinese, ': ' in English."""
    return pgettext("label separator", ": ")


def labelled(label: Any, text: Any = "") -> str:
    """'答复：好的' in Chinese, 'Answer: fine' in English; the label alone when there is no text."""
    said = str(text).strip()
    return f"{label}{separator()}{said}" if said else str(label)


def listed(items: Any) -> str:
    """Items one after another: '甲；乙' in Chinese, 'a; b' in English."""
    return pgettext("list separator", "; ").join(str(item) for item in items)


def span(total_minutes: int, *, days: bool = True) -> str:
    """A length as people say it: "2 天 3 小时", "3 小时 5 分", "20 分钟". Working time
    is said in hours only (``days=False``): a working day is not 24 hours."""
    whole_days, rest = divmod(total_minutes, 24 * 60) if days else (0, total_minutes)
    hours, mins = divmod(rest, 60)
    if whole_days:
        return _("%(d)s d %(h)s h") % {"d": whole_days, "h": hours}
    if hours:
        return _("%(h)s h %(m)s min") % {"h": hours, "m": mins}
    return _("%(m)s min") % {"m": mins}


def yuan(amount: Any) -> str:
    """An amount of money the one way every page, message and paper writes it: ¥1,280.00."""
    from decimal import Decimal, InvalidOperation

    if amount is None or amount == "":
        return "—"
    try:
        return f"¥{Decimal(str(amount)):,.2f}"
    except InvalidOperation:
        return str(amount)
