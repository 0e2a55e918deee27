"""The warehouse keeper's and finance's home: spares to send, what to reorder, backup
units not back, and last month's books."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.accounts.models import User
from aftersales.calendars.periods import last_month
from aftersales.home.panels import SHORT, Entry, Panel, limit_entry
from aftersales.obligations.selectors import open_limits
from aftersales.parts.models import BackupLoan, PeriodClose
from aftersales.parts.selectors import to_reorder
from aftersales.service.models import ServiceRequest


def spares_to_send(user: User) -> Panel:
    """Requests whose fault is not fixed on the spot: a spare or a backup unit must get
    to the site (SR.SPARE)."""
    now = timezone.now()
    found = open_limits(
        user, rules=["SR.SPARE"], targets=[ServiceRequest.objects.select_related("customer")]
    )
    return Panel(
        "spares",
        gettext_lazy("Spares and backup units to send"),
        gettext_lazy("No site is waiting for a spare or a backup unit."),
        [limit_entry(ob, now) for ob in found],
        reverse("obligations:monitor") + "?rule=SR.SPARE",
    )


def reorder(user: User) -> Panel:
    entries = [
        Entry(
            title=f"{item.code} {item.name}",
            url=reverse("parts:book", args=["receive"]) + f"?item={item.code}"
            if user.has_perm("parts.add_movement")
            else reverse("parts:item", args=[item.pk]),
            detail=_("%(on_hand)s %(unit)s in stock, reorder at %(level)s")
            % {
                "on_hand": item.on_hand.normalize(),  # type: ignore[attr-defined]
                "unit": item.unit,
                "level": item.reorder_level.normalize(),
            },
            tone="danger" if item.on_hand <= 0 else "warning",  # type: ignore[attr-defined]
        )
        for item in to_reorder()[:SHORT]
    ]
    return Panel(
        "reorder",
        gettext_lazy("To reorder"),
        gettext_lazy("No item is at or below its reorder level."),
        entries,
        reverse("parts:overview") + "#reorder",
    )


def backups_overdue(user: User) -> Panel:
    now = timezone.now()
    found = open_limits(
        user,
        rules=["SP.BACKUP_RETURN"],
        urgent=True,
        targets=[BackupLoan.objects.select_related("unit", "customer")],
    )
    return Panel(
        "backups",
        gettext_lazy("Backup units due back"),
        gettext_lazy("Every backup unit on loan is within its time."),
        [limit_entry(ob, now) for ob in found],
        reverse("parts:backups") + "?status=lent",
    )


def books(user: User) -> Panel:
    """Last month, until it is closed: reconcile it with finance and close it."""
    month = last_month()
    entries = []
    if not PeriodClose.objects.filter(month=month).exists():
        entries.append(
            Entry(
                title=_("%(month)s is not closed yet") % {"month": f"{month:%Y-%m}"},
                url=reverse("parts:reconciliation") + f"?month={month:%Y-%m}",
                detail=_("Check the month's movements and stock, then close the month.")
                if user.has_perm("parts.close_period")
                else _("Check the stock count with finance; finance closes the month."),
                tone="warning",
            )
        )
    return Panel(
        "books",
        gettext_lazy("The month's books"),
        gettext_lazy("Last month is reconciled and closed."),
        entries,
        reverse("parts:reconciliation"),
    )


def stock(user: User) -> list[Panel]:
    return [spares_to_send(user), reorder(user), backups_overdue(user), books(user)]
