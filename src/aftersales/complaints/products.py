"""The product a quality complaint is about (000 §13.2.1: 订单编号、料号、交运日期、
数量、不良数量), completed from the unit's sales record (R-CUS-6)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.common.validation import EARLIEST, typed_text
from aftersales.customers.models import Equipment


def product_complained_of(equipment: Equipment | None, **given: Any) -> dict[str, Any]:
    """The product complained of (000 §13.2.1): what was given, completed from the unit's
    sales record (order, item, ship date, quantity); the defective quantity is at most
    the quantity, and 1 for a single unit when not given."""
    sale = getattr(equipment, "sale", None)
    if sale is not None:
        line = sale.line
        known = {
            "order_number": line.order.number,
            "part_number": line.item,
            "shipped_on": line.shipped_on,
            "quantity": line.quantity,
        }
        given = {k: v if v not in ("", None) else known.get(k, v) for k, v in given.items()}
        if given["defective_quantity"] is None:
            given["defective_quantity"] = 1
    errors: dict[str, Any] = {}
    for field, limit in (("order_number", 50), ("part_number", 100)):
        given[field] = typed_text(given[field], field, limit, errors, required=False)
    shipped = given["shipped_on"]
    if shipped is not None and not EARLIEST.date() <= shipped <= timezone.localdate():
        errors["shipped_on"] = _("The date must lie between 2000 and today.")
    for field in ("quantity", "defective_quantity"):
        value = given[field]
        if value is not None and not (isinstance(value, int) and 0 <= value <= 10**7):
            errors[field] = _("A whole number from 0 to 10,000,000.")
    if (
        not errors
        and given["quantity"] is not None
        and given["defective_quantity"] is not None
        and given["defective_quantity"] > given["quantity"]
    ):
        errors["defective_quantity"] = _("More defective than delivered.")
    if errors:
        raise ValidationError(errors)
    return given
