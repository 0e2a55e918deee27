"""Reads of requests and work orders, scoped to who may see them (R-ORG-3)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role
from aftersales.calendars.periods import day_start
from aftersales.customers.models import Equipment
from aftersales.customers.selectors import TimelineEntry
from aftersales.obligations.selectors import events_of, late_exists, obligations_prefetch
from aftersales.service.models import ServiceRequest, WorkOrder

# Roles that see every request; a technician who holds none of them sees only
# the requests with an order assigned to them or raised from their inspections.
SEE_ALL = {
    Role.AGENT,
    Role.SERVICE_MANAGER,
    Role.SALES,
    Role.TECHNICAL,
    Role.QUALITY,
    Role.WAREHOUSE,
    Role.FINANCE,
    Role.SALES_VP,
    Role.GENERAL_MANAGER,
}


def _only_own_orders(user: User) -> bool:
    return not user.is_superuser and user.has_role(Role.TECHNICIAN) and not user.has_role(*SEE_ALL)


def requests_for(user: User | None) -> QuerySet[ServiceRequest]:
    qs = ServiceRequest.objects.select_related("customer", "equipment").prefetch_related(
        obligations_prefetch()
    )
    if user is None or not user.has_perm("service.view_servicerequest"):
        return qs.none()
    if user.is_superuser:
        return qs
    if user.is_external:
        return (
            qs.filter(customer_id=user.customer_id_scope) if user.customer_id_scope else qs.none()
        )
    if _only_own_orders(user):
        # Their orders, and the repairs raised from the inspections they made.
        found = apps.get_model("maintenance", "InspectionItem").objects.filter(
            service_request=OuterRef("pk"), inspection__technician=user
        )
        return qs.filter(
            Exists(WorkOrder.objects.filter(service_request=OuterRef("pk"), technician=user))
            | Exists(found)
        )
    return qs


def own_requests(user: User) -> QuerySet[ServiceRequest] | None:
    """The requests a technician who sees only their own work may open; None for others."""
    return requests_for(user) if _only_own_orders(user) else None


def own_work_orders(user: User) -> QuerySet[WorkOrder] | None:
    return work_orders_for(user) if _only_own_orders(user) else None


def request_list(
    user: User | None,
    *,
    status: str = "",
    severity: str = "",
    customer: Any = None,
    breached: bool | None = None,
    q: str = "",
    technician: Any = None,
    received_from: Any = None,
    received_to: Any = None,
) -> QuerySet[ServiceRequest]:
    qs = requests_for(user)
    if status:
        qs = qs.filter(status=status)
    if severity:
        qs = qs.filter(severity=severity)
    if technician:
        qs = qs.filter(
            Exists(WorkOrder.objects.filter(service_request=OuterRef("pk"), technician=technician))
        )
    # Whole local days as instants: a bare column comparison uses the index
    # (received_at__date would wrap the column in a function and scan).
    if received_from:
        qs = qs.filter(received_at__gte=day_start(received_from))
    if received_to:
        qs = qs.filter(received_at__lt=day_start(received_to + dt.timedelta(days=1)))
    if customer:
        qs = qs.filter(customer_id=customer)
    # Internal limits are not a customer's to filter by (they would learn which broke).
    if breached is not None and not (user is not None and user.is_external):
        late = late_exists(ServiceRequest)
        qs = qs.filter(late) if breached else qs.exclude(late)
    if q:
        qs = qs.filter(_search(q.strip()))
    return qs.order_by("-received_at", "-pk")


def _prefix(field: str, text: str) -> Q:
    """``field`` starts with ``text`` as a range, which any B-tree index serves
    (LIKE 'x%' cannot use one in SQLite, nor in PostgreSQL under most collations)."""
    return Q(**{f"{field}__gte": text, f"{field}__lt": text + "\uffff"})


def _search(q: str) -> Q:
    """Digits: a caller's phone or a request number; otherwise a number or serial prefix."""
    found = Q(number=q) | _prefix("number", q.upper())
    if q.replace("-", "").replace(" ", "").replace("+", "").isdigit():
        return found | _prefix("caller_phone", q)
    serials = Equipment.objects.filter(
        _prefix("serial_number", q) | _prefix("serial_number", q.upper())
    )
    return found | Q(equipment__in=serials.values("pk")[:1000]) | Q(caller_name=q)


def check_may_attach(user: User | None, request: ServiceRequest) -> None:
    """Photos and documents on a request: by whoever may see it (the customer's own
    contact too) while it is still open. With no user, the system's own intake attaches
    what it received with the request: a QR reporter's photos, a mail's attachments
    (no page passes no user: every page's user is signed in)."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from aftersales.common.exceptions import ConflictError

    if user is not None:
        if not requests_for(user).filter(pk=request.pk).exists():
            raise Http404
        if not user.is_external and not user.has_perm("service.change_servicerequest"):
            raise PermissionDenied
    if request.status in (ServiceRequest.Status.CLOSED, ServiceRequest.Status.CANCELLED):
        raise ConflictError(str(_("The request is closed; nothing more can be added to it.")))


def get_request_for_user(user: User | None, pk: Any) -> ServiceRequest:
    return get_object_or_404(requests_for(user), pk=pk)


def work_orders_for(user: User | None) -> QuerySet[WorkOrder]:
    qs = WorkOrder.objects.select_related("service_request", "technician")
    if user is None or user.is_external or not user.has_perm("service.view_workorder"):
        return qs.none()
    if _only_own_orders(user):
        return qs.filter(technician=user)
    return qs


def printable_orders_for(user: User | None) -> QuerySet[WorkOrder]:
    """Orders whose PDF the user may have: staff as on the order pages, a customer
    contact every order of their company's requests (their signed service records)."""
    if user is not None and user.is_external:
        return WorkOrder.objects.filter(service_request__in=requests_for(user)).select_related(
            "service_request", "technician"
        )
    return work_orders_for(user)


def intake_lookup(user: User, q: str) -> dict[str, Any]:
    """What an agent's typing finds: contacts by phone, units by serial, and the
    open requests of those units (to link instead of duplicating, R-SR-10)."""
    from aftersales.customers.models import Contact
    from aftersales.customers.selectors import customers_for, equipment_for

    q = q.strip()
    if len(q) < 3:
        return {"contacts": [], "equipment": [], "open_requests": []}
    customers = customers_for(user)
    contacts = list(
        Contact.objects.filter(customer__in=customers, phone__contains=q).select_related(
            "customer", "site"
        )[:10]
    )
    units = list(equipment_for(user).filter(serial_number__istartswith=q)[:10])
    customer_ids = {c.customer_id for c in contacts} | {u.customer_id for u in units}
    if not units and customer_ids:
        units = list(equipment_for(user).filter(customer_id__in=customer_ids)[:10])
    open_requests = list(
        requests_for(user)
        .filter(equipment__in=units)
        .exclude(status__in=[ServiceRequest.Status.CLOSED, ServiceRequest.Status.CANCELLED])
        .select_related("equipment")
        .order_by("-received_at")[:10]
    )
    return {"contacts": contacts, "equipment": units, "open_requests": open_requests}


def dispatch_queue(user: User | None) -> QuerySet[ServiceRequest]:
    """Open requests nobody is assigned to yet, most severe and oldest first."""
    open_orders = WorkOrder.objects.filter(
        service_request=OuterRef("pk"), status=WorkOrder.Status.OPEN
    )
    # Named, not excluded, so the queue's partial index (sr_dispatch_queue) serves it.
    to_dispatch = ["new", "replied", "responded", "onsite"]
    return (
        requests_for(user)
        .filter(status__in=to_dispatch)
        .exclude(Exists(open_orders))
        .select_related("equipment__product_model")
        .order_by("severity", "received_at", "pk")
    )


def visits_planned(day: dt.date) -> dict[int, list[WorkOrder]]:
    """Each technician's visits of ``day`` in visiting order (one query): the jobs planned
    for it, those done that day, and open jobs with no time agreed yet (last)."""
    from aftersales.calendars.periods import day_start

    start, end = day_start(day), day_start(day + dt.timedelta(days=1))
    orders = (
        WorkOrder.objects.exclude(status=WorkOrder.Status.VOID)
        .filter(
            Q(planned_arrival__gte=start, planned_arrival__lt=end)
            | Q(arrived_at__gte=start, arrived_at__lt=end)
            | Q(status=WorkOrder.Status.OPEN, planned_arrival__isnull=True)
        )
        .select_related("service_request__customer")
        .order_by(
            F("planned_arrival").asc(nulls_last=True),
            F("arrived_at").asc(nulls_last=True),
            "pk",
        )
    )
    planned: dict[int, list[WorkOrder]] = {}
    for order in orders:
        planned.setdefault(order.technician_id, []).append(order)
    return planned


def technician_board() -> list[User]:
    """Active technicians with their open jobs (``open_jobs``), region and skills."""
    from django.db.models import Count

    from aftersales.accounts.selectors import technicians

    return list(
        technicians().annotate(
            open_jobs=Count("work_orders", filter=Q(work_orders__status=WorkOrder.Status.OPEN))
        )
    )


def suggest_technician(request: ServiceRequest, board: list[User]) -> User | None:
    """Same region as the customer first, then a skill for the product's category,
    then the fewest open jobs."""
    if not board:
        return None
    region = request.customer.region
    category = ""
    if request.equipment is not None:
        category = request.equipment.product_model.category

    def rank(tech: User) -> tuple[int, int, int, str]:
        skills = set(tech.skill_list)
        return (
            0 if region and tech.region == region else 1,
            0 if category and category in skills else 1,
            getattr(tech, "open_jobs", 0),
            tech.username,
        )

    return min(board, key=rank)


# What happened to a time limit, as the timeline says it.


def request_timeline(
    request: ServiceRequest, *, for_customer: bool = False, orders_seen: set[int] | None = None
) -> list[TimelineEntry]:
    """Everything that happened to a request in one list, oldest first: the call,
    each status change, each work order's milestones (arrival, signature,
    completion, void, filing) and each event of its time limits. Five queries,
    however long the history. A customer sees neither the internal limits nor
    who did what. An order's entries link to its page only for those who may open it
    (``orders_seen``; None: everyone)."""
    status_labels = dict(ServiceRequest.Status.choices)
    entries = [
        TimelineEntry(
            request.received_at,
            "call",
            str(
                _("Call received (%(channel)s) from %(caller)s")
                % {"channel": request.get_channel_display(), "caller": request.caller_name}
            ),
            request.description[:200],
            request.created_by,
        )
    ]
    for call in request.calls.select_related("actor"):
        entries.append(
            TimelineEntry(
                call.at,
                "call",
                str(
                    _("Call received (%(channel)s) from %(caller)s")
                    % {"channel": call.get_channel_display(), "caller": call.caller_name}
                ),
                call.description[:200],
                call.actor,
            )
        )
    for change in request.changes.select_related("actor"):
        entries.append(
            TimelineEntry(
                change.at,
                "status",
                str(status_labels.get(change.to_status, change.to_status)),
                "" if for_customer else change.note,  # staff's notes stay with staff
                change.actor,
            )
        )
    orders = list(request.work_orders.select_related("technician").order_by("pk"))
    actors = _order_actors(orders)
    for order in orders:
        hidden = for_customer or (orders_seen is not None and order.pk not in orders_seen)
        entries += _order_milestones(order, actors, for_customer=for_customer, unlinked=hidden)
    if not for_customer:
        entries += _limit_events(request, orders)
    entries.sort(key=lambda entry: entry.when)
    if for_customer:
        return [entry.without_who() for entry in entries]
    return entries


def _order_actors(orders: list[WorkOrder]) -> dict[tuple[int, str], Any]:
    """Who moved each order to each status (its lifecycle's log), in one query."""
    from aftersales.common.models import Transition

    pks = [order.pk for order in orders]
    rows = Transition.objects.filter(
        content_type=ContentType.objects.get_for_model(WorkOrder), object_id__in=pks
    ).select_related("actor")
    found: dict[tuple[int, str], Any] = {(row.object_id, row.to_status): row.actor for row in rows}
    # Who assigned and who filed each order: saves that change no status, in its history.
    saved = WorkOrder.history.filter(  # type: ignore[attr-defined]
        id__in=pks, history_change_reason__in=("created", "filed")
    ).select_related("history_user")
    for row in saved:
        found.setdefault((row.id, row.history_change_reason), row.history_user)
    return found


def _order_milestones(
    order: WorkOrder,
    actors: dict[tuple[int, str], Any],
    *,
    for_customer: bool = False,
    unlinked: bool = False,
) -> list[TimelineEntry]:
    """A work order's milestones; a customer reads them without the technician's name,
    the void reason or a link to the staff's page of the order."""
    url = "" if for_customer or unlinked else reverse("service:work_order", args=[order.pk])
    tech = order.technician
    assigned = (
        _("%(n)s: a technician is assigned") if for_customer else _("%(n)s assigned to %(t)s")
    )
    # Who acted: the technician on site; whoever completed or voided the order.
    steps = [
        (order.created_at, assigned, "", actors.get((order.pk, "created"))),
        (order.arrived_at, _("%(n)s: technician on site"), "", tech),
        (order.signed_at, _("%(n)s: signed by the customer"), order.signed_by, tech),
        (order.technician_signed_at, _("%(n)s: signed by the technician"), "", tech),
        (order.departed_at, _("%(n)s: technician left the site"), "", tech),
        (
            order.completed_at,
            _("%(n)s completed"),
            order.work_done[:200],
            actors.get((order.pk, "completed"), tech),
        ),
        (
            order.voided_at,
            _("%(n)s voided"),
            "" if for_customer else order.void_reason,
            actors.get((order.pk, "void")),
        ),
        (order.filed_at, _("%(n)s filed"), "", actors.get((order.pk, "filed"))),
    ]
    return [
        TimelineEntry(
            at, "work_order", str(title % {"n": order.number, "t": tech}), detail, who, url
        )
        for at, title, detail, who in steps
        if at is not None
    ]


def _limit_events(request: ServiceRequest, orders: list[WorkOrder]) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            event.at,
            "limit",
            f"{event.obligation.name} {event.get_kind_display()}",
            _step_note(event.note),
            event.actor,
        )
        for event in events_of([request, *orders])
    ]


def _step_note(note: str) -> str:
    """The sweep notes its escalation step as "step N"; say it in the reader's words."""
    if note.startswith("step ") and note[5:].isdigit():
        return str(_("escalation step %(n)s") % {"n": note[5:]})
    return note
