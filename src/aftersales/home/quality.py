"""Quality's home: corrective actions reported done and waiting for verification, and
the regional warnings of the last weeks."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aftersales.accounts.models import User
from aftersales.complaints.models import CorrectiveAction, RegionalWarning
from aftersales.complaints.selectors import complaints_for
from aftersales.home.panels import SHORT, Entry, Panel

# Warnings stay on the home this long after they are issued.
RECENT = dt.timedelta(days=30)


def to_verify(user: User) -> Panel:
    actions = (
        CorrectiveAction.objects.filter(
            status=CorrectiveAction.Status.DONE, complaint__in=complaints_for(user)
        )
        .select_related("complaint__customer")
        .order_by("done_at", "pk")[:SHORT]
    )
    entries = [
        Entry(
            title=str(action),
            url=action.get_absolute_url(),
            detail=action.description[:80],
            note=str(action.complaint.customer or action.complaint.complainant_name),
            when=action.done_at,
            when_label=pgettext_lazy("when", "done"),
        )
        for action in actions
    ]
    return Panel(
        "verify",
        _("Corrective actions to verify"),
        _("No corrective action waits for verification."),
        entries,
        reverse("complaints:list"),
    )


def warnings(user: User) -> Panel:
    recent = RegionalWarning.objects.filter(issued_at__gte=timezone.now() - RECENT).select_related(
        "complaint"
    )[:SHORT]
    entries = [
        Entry(
            title=warning.title,
            url=warning.complaint.get_absolute_url() if warning.complaint else "",
            detail=warning.text[:80],
            when=warning.issued_at,
            when_label=pgettext_lazy("when", "issued"),
        )
        for warning in recent
    ]
    return Panel(
        "warnings",
        _("Regional warnings of the last 30 days"),
        _("No regional warning in the last 30 days."),
        entries,
    )


def quality(user: User) -> list[Panel]:
    return [to_verify(user), warnings(user)]
