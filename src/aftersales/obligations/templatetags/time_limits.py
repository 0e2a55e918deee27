from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.calendars.engine import NATURAL_UNITS
from aftersales.common.words import span
from aftersales.obligations.selectors import obligations_of, obligations_of_each
from aftersales.obligations.sweep import minutes_left

register = template.Library()


@register.simple_tag
def time_left(obligation: Any, minutes: float | None) -> str:
    """Working time left, in working hours ("27 小时 5 分", with the due time beside it),
    or once late how long ago it fell due on the clock on the wall ("已超时 2 天 3 小时"):
    a late customer waits real hours."""
    if minutes is None:
        return "—"
    if minutes < 0 and obligation.due_at is not None:
        late = max(int((timezone.now() - obligation.due_at).total_seconds() // 60), 1)
        return _("late by %(t)s") % {"t": span(late)}
    left = span(int(minutes), days=False)
    policy = getattr(obligation, "policy", None)
    if policy is not None and policy.unit not in NATURAL_UNITS:
        # Counted on the working calendar: say so, or 40 hours due Monday reads as less
        # than 72 hours due Thursday.
        return _("%(t)s of working time") % {"t": left}
    return left


@register.filter
def urgency(row: Any) -> str:
    """A Bootstrap colour for an obligation's row: breached, warned, paused, fine."""
    obligation = row[0]
    if obligation.state in ("breached", "met_late"):
        return "danger"
    if obligation.state == "paused":
        return "secondary"
    if obligation.escalation_step >= 1:
        return "warning"
    return "success"


@register.inclusion_tag("obligations/for_record.html", takes_context=True)
def obligations_for(context: Any, record: Model, parts: Any = ()) -> dict[str, Any]:
    """A record's time limits with time left (for any record's page), and those of its
    ``parts`` (a request's work orders), each of those named by its part. A customer
    contact sees none: the limits are the company's own."""
    user = getattr(context.get("request"), "user", None)
    if getattr(user, "is_external", False):
        return {"hidden": True}
    rows = [(ob, minutes_left(ob), "") for ob in obligations_of(record)]
    named = {part.pk: str(part) for part in parts}
    rows += [(ob, minutes_left(ob), named[ob.object_id]) for ob in obligations_of_each(list(parts))]
    rows.sort(key=lambda row: (row[0].started_at, row[0].pk))
    return {"rows": rows}
