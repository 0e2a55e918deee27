"""A customer's page lists what the customer bought (R-CUS-6)."""

from __future__ import annotations

from typing import Any

from django import template

from aftersales.sales.selectors import orders_for

register = template.Library()
SHOWN = 10


@register.inclusion_tag("sales/_customer_orders.html", takes_context=True)
def customer_orders(context: Any, customer: Any) -> dict[str, Any]:
    user = context["request"].user
    orders = orders_for(user).filter(customer=customer).order_by("-ordered_on", "-pk")
    return {"customer": customer, "orders": list(orders[: SHOWN + 1]), "shown": SHOWN}
