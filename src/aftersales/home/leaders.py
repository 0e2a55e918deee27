"""The vice-president's and the general manager's home: returns to approve, major
complaints, the escalations addressed to them, and the month's headline figures
against last month."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from aftersales.accounts.models import User
from aftersales.calendars.periods import month_bounds, month_end, month_start
from aftersales.common.choices import Severity
from aftersales.complaints.models import Complaint
from aftersales.complaints.selectors import complaints_for
from aftersales.feedback.selectors import visit_rate
from aftersales.feedback.statistics import overall
from aftersales.home.panels import SHORT, Entry, Panel
from aftersales.obligations.rules import rule_name
from aftersales.obligations.selectors import notice_groups, on_time, with_latest
from aftersales.returns.selectors import returns_for
from aftersales.service.models import ServiceRequest

# The figures are counted over a month of records: kept this long, not per page view.
FIGURES_SECONDS = 300


def returns_to_approve(user: User) -> Panel:
    waiting = returns_for(user).filter(status="requested").order_by("requested_at", "pk")[:SHORT]
    entries = [
        Entry(
            title=f"{item.number} · {item.get_kind_display()}",
            url=item.get_absolute_url(),
            detail=str(item.customer),
            note=str(item.equipment or ""),
            when=item.requested_at,
            when_label=pgettext_lazy("when", "requested"),
        )
        for item in waiting
    ]
    from aftersales.returns.services import may_decide

    return Panel(
        "returns",
        gettext_lazy("Returns and exchanges to approve")
        if may_decide(user)
        else gettext_lazy("Returns and exchanges waiting for the general manager"),
        gettext_lazy("No return or exchange waits for approval."),
        entries,
        reverse("returns:list") + "?status=requested",
    )


def major_complaints(user: User) -> Panel:
    found = (
        complaints_for(user)
        .filter(is_major=True)
        .exclude(status__in=[Complaint.Status.CLOSED, Complaint.Status.DECLINED])
        .order_by("received_at", "pk")[:SHORT]
    )
    entries = [
        Entry(
            title=complaint.number,
            url=complaint.get_absolute_url(),
            detail=complaint.get_status_display(),
            note=str(complaint.customer or complaint.complainant_name),
            when=complaint.received_at,
            when_label=pgettext_lazy("when", "received"),
            tone="danger" if complaint.is_especially_major else "",
        )
        for complaint in found
    ]
    return Panel(
        "major",
        gettext_lazy("Major complaints open"),
        gettext_lazy("No major complaint is open."),
        entries,
        reverse("complaints:list"),
    )


def escalations(user: User) -> Panel:
    """Their unread messages, one entry per record (the latest message, and how many)."""
    groups = with_latest(user, notice_groups(user, unread_only=True)[:SHORT])
    entries = [
        Entry(
            title=group.latest.message,
            url=reverse("obligations:notification_open", args=[group.latest.pk]),
            detail=_("%(n)s messages") % {"n": group.unread} if group.unread > 1 else "",
            when=group.latest.created_at,
        )
        for group in groups
    ]
    return Panel(
        "escalations",
        gettext_lazy("Escalations addressed to you"),
        gettext_lazy("No unread escalation."),
        entries,
        reverse("obligations:notifications"),
    )


@dataclass
class Figure:
    label: str
    now: Any
    before: Any
    unit: str = ""
    higher_is_better: bool = True

    @property
    def trend(self) -> str:
        """up, down or flat against last month (for the arrow and its colour)."""
        if self.now is None or self.before is None or self.now == self.before:
            return "flat"
        return "up" if self.now > self.before else "down"

    @property
    def good(self) -> bool | None:
        if self.trend == "flat":
            return None
        return (self.trend == "up") == self.higher_is_better


def _month_figures(month: dt.date) -> dict[str, Any]:
    first, end = month_bounds(month)
    by_severity = dict(
        ServiceRequest.objects.filter(received_at__gte=first, received_at__lt=end)
        .values_list("severity")
        .annotate(n=Count("pk"))
        .values_list("severity", "n")
    )
    rates = {rule: round(100 * kept / n, 1) for rule, (n, kept) in on_time(first, end).items() if n}
    registered = Complaint.objects.filter(received_at__gte=first, received_at__lt=end).count()
    return {
        "severity": by_severity,
        "on_time": rates,
        "complaints": registered,
        "satisfaction": overall(month, month).rate,
        "visits": visit_rate(month, month_end(month))["rate"],
    }


def headline(today: dt.date | None = None) -> list[Figure]:
    """This month so far against the whole of last month."""
    today = today or timezone.localdate()
    this = month_start(today)
    before = month_start(this - dt.timedelta(days=1))
    key = f"home:headline:{this:%Y-%m}"
    figures = cache.get(key)
    if figures is None:
        figures = (_month_figures(this), _month_figures(before))
        cache.set(key, figures, FIGURES_SECONDS)
    now, last = figures
    rows = [
        Figure(
            _("Requests: %(severity)s") % {"severity": label},
            now["severity"].get(code, 0),
            last["severity"].get(code, 0),
            higher_is_better=False,
        )
        for code, label in Severity.choices
    ]
    rows.append(
        Figure(
            _("Complaints registered"),
            now["complaints"],
            last["complaints"],
            higher_is_better=False,
        )
    )
    open_now = Complaint.objects.exclude(
        status__in=[Complaint.Status.CLOSED, Complaint.Status.DECLINED]
    ).count()
    rows.append(Figure(_("Complaints open now"), open_now, None, higher_is_better=False))
    rows.append(Figure(_("Satisfaction"), now["satisfaction"], last["satisfaction"], "%"))
    rows.append(Figure(_("Return visit rate"), now["visits"], last["visits"], "%"))
    for rule in sorted(set(now["on_time"]) | set(last["on_time"])):
        rows.append(
            Figure(
                _("On time: %(rule)s") % {"rule": rule_name(rule)},
                now["on_time"].get(rule),
                last["on_time"].get(rule),
                "%",
            )
        )
    return rows


def figures(user: User) -> Panel:
    return Panel(
        "figures",
        gettext_lazy("This month against last month"),
        gettext_lazy("No figures yet."),
        figures=headline(),
        kind="figures",
    )


def leaders(user: User) -> list[Panel]:
    return [returns_to_approve(user), major_complaints(user), escalations(user), figures(user)]
