"""Demo sales records: the orders that delivered the demo's units (R-CUS-6), each a
few days before its delivery, with an accessories line that delivered no serials."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from aftersales.customers.models import Customer
from aftersales.sales.services import sales_order_create


def demo_sales(staff: dict[str, Any], customers: list[Customer]) -> int:
    made = 0
    for customer in customers:
        by_day: dict[dt.date, list[Any]] = defaultdict(list)
        shipped_default = dt.date.today()  # never used: the filter keeps delivered units
        units = customer.equipment.filter(  # type: ignore[attr-defined]
            delivered_on__isnull=False,
            accepted_on__isnull=False,
            retired_on__isnull=True,
            # A unit the demo returns was bought at a dealer (its receipt's date on the
            # return): no order of ours says otherwise.
            return_requests__isnull=True,
        ).select_related("product_model")
        for unit in units.order_by("delivered_on", "pk"):
            by_day[unit.delivered_on or shipped_default].append(unit)
        for shipped, delivered in sorted(by_day.items()):
            made += 1
            models: dict[str, list[str]] = defaultdict(list)
            for unit in delivered:
                models[unit.product_model.code].append(unit.serial_number)
            sales_order_create(
                actor=staff["sales"],
                number=f"XS-{shipped:%Y}-{made:04d}",
                customer=customer,
                ordered_on=shipped - dt.timedelta(days=5),
                salesperson=staff["sales"],
                lines=[
                    {
                        "item": code,
                        "quantity": len(serials),
                        "unit_price": "12800.00",
                        "shipped_on": shipped,
                        "serial_numbers": serials,
                    }
                    for code, serials in models.items()
                ]
                + [
                    {
                        "item": "安装辅材",
                        "description": "线缆、接头、机柜配件",
                        "quantity": 1,
                        "unit_price": "1500.00",
                        "shipped_on": shipped,
                    }
                ],
            )
    return made
