from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Model
from django.utils.translation import gettext as _

from aftersales.obligations.selectors import obligations_of
from aftersales.obligations.sweep import minutes_left

register = template.Library()


@register.filter
def time_left(minutes: float | None) -> str:
    """Working minutes as "2 h 15 min" (or "late by …")."""
    if minutes is None:
        return "—"
    late = minutes < 0
    total = int(abs(minutes))
    hours, mins = divmod(total, 60)
    text = (
        _("%(h)s h %(m)s min") % {"h": hours, "m": mins} if hours else _("%(m)s min") % {"m": mins}
    )
    return _("late by %(t)s") % {"t": text} if late else text


@register.filter
def urgency(row: Any) -> str:
    """A Bootstrap colour for an obligation's row: breached, warned, paused, fine."""
    obligation, _left = row
    if obligation.state in ("breached", "met_late"):
        return "danger"
    if obligation.state == "paused":
        return "secondary"
    if obligation.escalation_step >= 1:
        return "warning"
    return "success"


@register.inclusion_tag("obligations/for_record.html")
def obligations_for(record: Model) -> dict[str, Any]:
    """A record's time limits with time left (for any record's page)."""
    rows = [(ob, minutes_left(ob)) for ob in obligations_of(record)]
    return {"rows": rows}
