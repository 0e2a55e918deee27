"""The technician's home, phone first: today's and the coming jobs in visiting order,
each with where, whom to call and the time left; then what still needs paperwork."""

from __future__ import annotations

import datetime as dt

from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aftersales.accounts.models import User
from aftersales.home.desk import _limits
from aftersales.home.panels import SHORT, Entry, Panel, map_link, soonest_open, tone_of
from aftersales.obligations.sweep import minutes_left
from aftersales.service.models import WorkOrder
from aftersales.service.selectors import work_orders_for

# What the technician races against on a job: the one due first shows.
ON_SITE = ("SR.ARRIVE", "SR.SPARE", "SR.RESOLVE")
MAX_OPEN = 200  # a technician's open jobs, read to put them in order


def jobs(user: User) -> Panel:
    orders = list(
        work_orders_for(user)
        .filter(technician=user, status=WorkOrder.Status.OPEN)
        .select_related(
            "service_request__customer",
            "service_request__site",
            "service_request__equipment__site",
            "service_request__equipment__product_model",
        )
        .order_by(F("planned_arrival").asc(nulls_last=True), "created_at", "pk")[:MAX_OPEN]
    )
    requests = [order.service_request for order in orders]
    pressing = soonest_open(requests, ON_SITE)
    now = timezone.now()
    # Visiting order: the booked time, or for a job not booked yet the time it must be
    # reached by (a P1 due in 3 hours comes before tomorrow's booked P2).
    far = now + dt.timedelta(days=36500)

    def when(order: WorkOrder) -> tuple[dt.datetime, int]:
        found = pressing.get(order.service_request_id)
        due = found.due_at if found is not None and found.due_at else far
        return (order.planned_arrival or due, order.pk)

    orders = sorted(orders, key=when)[:SHORT]
    entries = []
    for order in orders:
        request = order.service_request
        place = request.place
        address = (place.address if place else "") or request.customer.address
        found = pressing.get(request.pk)
        entries.append(
            Entry(
                title=f"{order.number} · {request.customer}",
                url=order.get_absolute_url(),
                detail=" · ".join(
                    str(part) for part in (place.name if place else "", address) if part
                ),
                note=f"{request.caller_name} · {request.description[:40]}",
                phone=request.caller_phone,
                map_url=map_link(address),
                when=order.planned_arrival,
                when_label=pgettext_lazy("when", "arrive"),
                obligation=found,
                minutes=minutes_left(found, now) if found else None,
                tone=tone_of(found, now) if found else "",
            )
        )
    return Panel(
        "jobs",
        _("Your jobs, in visiting order"),
        _("No open job is assigned to you."),
        entries,
        reverse("service:my_jobs"),
    )


def paperwork(user: User) -> Panel:
    return Panel(
        "papers",
        _("Paperwork still to do"),
        _("All your paperwork is done."),
        _limits(
            user,
            rules=["WO.PAPERS", "WO.FAULT_REPORT", "WO.FILE", "PM.REPORT"],
            responsible=user,
        ),
        reverse("obligations:monitor") + f"?responsible={user.pk}",
    )


def inspections(user: User) -> Panel:
    """Inspections under way (to fill and sign) and the maintenance visits of the coming
    two weeks the technician is planned for (or that nobody is yet)."""
    import datetime as dt

    from django.db.models import Q

    from aftersales.maintenance.models import Inspection, PlannedVisit
    from aftersales.maintenance.selectors import inspections_for, visits_for

    entries = [
        Entry(
            title=f"{i.number} · {i.customer}",
            url=i.get_absolute_url(),
            detail=str(_("Fill every item, then both sign")),
            note=f"{i.equipment.product_model} {i.equipment.serial_number}",
            map_url=map_link(i.equipment.site.address if i.equipment.site else ""),
        )
        for i in inspections_for(user)
        .filter(technician=user, status=Inspection.Status.IN_PROGRESS)
        .order_by("started_at")[:SHORT]
    ]
    from aftersales.maintenance.models import Installation
    from aftersales.maintenance.selectors import installations_for

    for item in (
        installations_for(user)
        .filter(
            installer=user,
            status__in=[
                Installation.Status.PLANNED,
                Installation.Status.DELIVERED,
                Installation.Status.COMMISSIONED,
            ],
        )
        .order_by("planned_on", "pk")[: SHORT - len(entries)]
    ):
        entries.append(
            Entry(
                title=f"{item.number} · {item.customer}",
                url=item.get_absolute_url(),
                detail=str(item.get_status_display()),
                note=f"{item.equipment.product_model} {item.equipment.serial_number}",
                phone=item.contact_phone,
                when=timezone.make_aware(dt.datetime.combine(item.planned_on, dt.time(9))),
                when_label=pgettext_lazy("when", "delivery"),
            )
        )
    today = timezone.localdate()
    visits = (
        visits_for(user)
        .filter(
            Q(technician=user) | Q(technician__isnull=True),
            status=PlannedVisit.Status.PLANNED,
            planned_on__range=(today, today + dt.timedelta(days=14)),
        )
        .order_by("planned_on", "pk")[: SHORT - len(entries)]
    )
    for visit in visits:
        entries.append(
            Entry(
                title=f"{visit.plan.contract.customer} · {visit.planned_on:%m-%d}",
                url=visit.plan.get_absolute_url(),
                detail=str(_("Maintenance visit")),
                note=visit.plan.contract.number,
                phone=visit.plan.contract.customer.phone,
            )
        )
    return Panel(
        "inspections",
        _("Inspections and maintenance visits"),
        _("No inspection under way and no maintenance visit in the next two weeks."),
        entries,
        reverse("maintenance:inspections"),
    )


def technician(user: User) -> list[Panel]:
    return [jobs(user), inspections(user), paperwork(user)]
