"""What a customer's and a unit's pages show of planned work: availability against the
100 % target, this quarter's plan, and the signed inspection records (R-RP-2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone

from aftersales.maintenance import availability
from aftersales.maintenance.plans import Quarter
from aftersales.maintenance.selectors import (
    inspections_for,
    installations_for,
    plans_for,
    trainings_for,
    upgrades_for,
)

register = template.Library()
SHOWN = 10


@register.inclusion_tag("maintenance/_customer_part.html", takes_context=True)
def customer_maintenance(context: Any, customer: Any) -> dict[str, Any]:
    user = context["request"].user
    today = timezone.localdate()
    year_ago = today - dt.timedelta(days=364)
    quarter = Quarter.of(today)
    return {
        "request": context["request"],
        "availability": availability.customer_availability(customer.pk, year_ago, today),
        "since": year_ago,
        "plans": plans_for(user).filter(contract__customer=customer, quarter=quarter.code),
        "inspections": inspections_for(user)
        .filter(customer=customer)
        .exclude(status="cancelled")[:SHOWN],
        "installations": installations_for(user)
        .filter(customer=customer, status="accepted")
        .order_by("-accepted_on")[:SHOWN],
        "upgrades": upgrades_for(user).filter(customer=customer)[:SHOWN],
        "trainings": trainings_for(user)
        .filter(customer=customer)
        .exclude(status="cancelled")
        .order_by("-planned_on")[:SHOWN],
    }


@register.inclusion_tag("maintenance/_unit_part.html", takes_context=True)
def unit_maintenance(context: Any, equipment: Any) -> dict[str, Any]:
    user = context["request"].user
    today = timezone.localdate()
    year_ago = today - dt.timedelta(days=364)
    return {
        "request": context["request"],
        "availability": availability.unit_availability(equipment, year_ago, today),
        "since": year_ago,
        "inspections": inspections_for(user)
        .filter(equipment=equipment)
        .exclude(status="cancelled")[:SHOWN],
        "installations": installations_for(user).filter(equipment=equipment, status="accepted"),
        "upgrades": upgrades_for(user).filter(equipment=equipment)[:SHOWN],
        "may_inspect": user.has_perm("maintenance.add_inspection") and not user.is_external,
        "equipment": equipment,
    }
