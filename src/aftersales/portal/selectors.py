"""What a customer contact sees in the portal: their requests in plain words, what
waits for them, their equipment. Only their company's records; never a staff name,
an internal note or a time limit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.common.words import yuan
from aftersales.customers.models import Equipment
from aftersales.customers.selectors import equipment_for
from aftersales.feedback.surveys import portal_invitations
from aftersales.service.models import ServiceRequest, WorkOrder
from aftersales.service.selectors import requests_for

Status = ServiceRequest.Status


@dataclass
class Progress:
    words: str  # where the request is, as the customer would say it
    tone: str  # a Bootstrap colour
    yours: str = ""  # "quote" or "confirm": the customer's turn


def progress(request: ServiceRequest, orders: list[WorkOrder]) -> Progress:
    """The request's state in the customer's words (received, technician on the way at
    14:00, fixed: please confirm…), from its status and its open work orders."""
    if request.status == Status.QUOTING:
        return Progress(
            _("A quote of %(amount)s waits for your answer.")
            % {"amount": yuan(request.quote_amount)},
            "warning",
            "quote",
        )
    if request.status == Status.RESOLVED:
        return Progress(_("Fixed: please tell us whether it works."), "success", "confirm")
    if request.status == Status.CLOSED:
        return Progress(_("Done."), "secondary")
    if request.status == Status.CANCELLED:
        return Progress(_("Cancelled."), "secondary")
    visiting = [o for o in orders if o.status == WorkOrder.Status.OPEN]
    if any(o.arrived_at and not o.departed_at for o in visiting):
        return Progress(_("The technician is on site."), "primary")
    planned = sorted(o.planned_arrival for o in visiting if o.planned_arrival)
    if planned:
        from django.utils import timezone

        when = timezone.localtime(planned[0])
        if when.date() == timezone.localdate():
            return Progress(
                _("A technician is on the way, arriving about %(when)s.")
                % {"when": f"{when:%H:%M}"},
                "primary",
            )
        return Progress(
            _("A technician will visit on %(day)s at about %(when)s.")
            % {"day": f"{when:%m-%d}", "when": f"{when:%H:%M}"},
            "primary",
        )
    if visiting:
        return Progress(_("A technician is assigned and will call you."), "primary")
    if request.status == Status.NEW:
        return Progress(_("Received: we will answer you shortly."), "info")
    return Progress(_("We are working on it."), "info")


def my_requests(user: User) -> QuerySet[ServiceRequest]:
    """Their company's requests: the ones waiting for them first, then open, then done."""
    order = Case(
        When(status__in=[Status.QUOTING, Status.RESOLVED], then=Value(0)),
        When(status__in=[Status.CLOSED, Status.CANCELLED], then=Value(2)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        requests_for(user)
        .select_related("equipment__product_model")
        .annotate(turn=order)
        .order_by("turn", "-received_at", "-pk")
    )


def with_progress(requests: list[ServiceRequest]) -> list[tuple[ServiceRequest, Progress]]:
    """Each request with its progress; their work orders are read in one query."""
    orders: dict[int, list[WorkOrder]] = {}
    for order in WorkOrder.objects.filter(service_request__in=requests).exclude(
        status=WorkOrder.Status.VOID
    ):
        orders.setdefault(order.service_request_id, []).append(order)
    return [(item, progress(item, orders.get(item.pk, []))) for item in requests]


def my_equipment(user: User) -> QuerySet[Equipment]:
    """Their units in service, each with the end of the maintenance contract covering
    it today (``contract_until``), if any."""
    from django.db.models import Max, Q
    from django.utils import timezone

    today = timezone.localdate()
    return (
        equipment_for(user)
        .filter(retired_on__isnull=True)
        .select_related("product_model", "site")
        .annotate(
            contract_until=Max(
                "contracts__ends_on",
                filter=Q(contracts__starts_on__lte=today, contracts__ends_on__gte=today),
            )
        )
        .order_by("serial_number")
    )


def my_surveys(user: User) -> QuerySet[Any]:
    return portal_invitations(user.customer_id_scope).order_by("expires_at", "pk")
