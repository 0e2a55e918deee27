"""Reads of sales orders: staff who may read them see all; no one else any."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from aftersales.accounts.models import User
from aftersales.sales.models import DeliveredUnit, SalesOrder, SalesOrderLine


def orders_for(user: User | None) -> QuerySet[SalesOrder]:
    qs = SalesOrder.objects.select_related("customer", "salesperson")
    if user is None or user.is_external or not user.has_perm("sales.view_salesorder"):
        return qs.none()
    return qs


def with_lines(qs: QuerySet[SalesOrder]) -> QuerySet[SalesOrder]:
    """The orders with their lines and each line's delivered units (three queries)."""
    return qs.prefetch_related(
        Prefetch(
            "lines",
            SalesOrderLine.objects.prefetch_related(
                Prefetch("units", DeliveredUnit.objects.select_related("equipment"))
            ),
        )
    )


def order_list(user: User | None, *, q: str = "", customer: int | None = None):
    qs = orders_for(user)
    if customer:
        qs = qs.filter(customer_id=customer)
    q = q.strip()
    if q:
        qs = qs.filter(
            Q(number__icontains=q)
            | Q(customer__name__icontains=q)
            | Q(lines__item__icontains=q)
            | Q(lines__units__equipment__serial_number__iexact=q)
        ).distinct()
    return qs.order_by("-ordered_on", "-pk")
