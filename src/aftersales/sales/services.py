"""Recording a sales order (R-CUS-6): its lines and the serial numbers each delivered.

A delivered serial number is the customer's unit from then on: a unit not yet in the
records is created (the line's item names its product model), one already there is
linked. The order's date is the unit's purchase date — the returns window (第十七条)
and a warranty without a recorded acceptance count from it — and the line's ship date
its delivery date when none was recorded.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role
from aftersales.common.audit import save_audited
from aftersales.common.validation import CONTROL, FIRST_DAY, LAST_DAY, typed_text
from aftersales.customers.models import Customer, Equipment, ProductModel
from aftersales.customers.services import derive_periods
from aftersales.sales.models import (
    MAX_LINES,
    MAX_QUANTITY,
    DeliveredUnit,
    SalesOrder,
    SalesOrderLine,
)

MAX_PRICE = Decimal("9999999999.99")


def _date(value: Any, field: str, errors: dict[str, Any], *, required: bool) -> dt.date | None:
    if value in (None, ""):
        if required:
            errors[field] = _("Give the date.")
        return None
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value))
        except ValueError:
            errors[field] = _("Give a date as YYYY-MM-DD.")
            return None
    if not FIRST_DAY <= value <= LAST_DAY:
        errors[field] = _("Give a date between 2000 and 2100.")
        return None
    return value


def _serials(value: Any) -> list[str]:
    """Serial numbers as a list, or as text with one per line (or separated by commas)."""
    if isinstance(value, str):
        value = value.replace("，", ",").replace(",", "\n").splitlines()
    return [str(s).strip() for s in (value or []) if str(s).strip()]


def _line(
    row: dict[str, Any], n: int, ordered_on: dt.date | None, errors: dict[str, Any]
) -> tuple[SalesOrderLine, list[str]] | None:
    field = f"lines-{n}"
    mine: dict[str, Any] = {}
    item = typed_text(row.get("item"), field, 100, mine, required=True)
    description = typed_text(row.get("description"), field, 200, mine, required=False)
    try:
        quantity = int(row.get("quantity") or 0)
    except (TypeError, ValueError):
        quantity = 0
    if not 1 <= quantity <= MAX_QUANTITY:
        mine[field] = _("Line %(n)s: a quantity from 1 to %(max)s.") % {
            "n": n,
            "max": MAX_QUANTITY,
        }
    price = row.get("unit_price")
    if price in (None, ""):
        price = None
    else:
        try:  # 3,200 and ¥3200 as people write amounts
            price = Decimal(str(price).replace(",", "").replace("，", "").lstrip("¥￥").strip())
        except InvalidOperation:
            price = Decimal(-1)
        if not price.is_finite() or not 0 <= price <= MAX_PRICE:
            mine[field] = _("Line %(n)s: the unit price must be an amount.") % {"n": n}
    shipped_on = _date(row.get("shipped_on"), field, mine, required=False)
    if shipped_on and ordered_on and shipped_on < ordered_on:
        mine[field] = _("Line %(n)s: shipped before the order date.") % {"n": n}
    serials = _serials(row.get("serial_numbers"))
    if len(serials) > quantity:
        mine[field] = _("Line %(n)s: more serial numbers than the quantity.") % {"n": n}
    if any(len(s) > 100 or CONTROL.search(s) for s in serials):
        mine[field] = _("Line %(n)s: a serial number is at most 100 plain characters.") % {"n": n}
    if mine:
        errors.update({field: mine[field]})
        return None
    line = SalesOrderLine(
        position=n,
        item=item,
        description=description,
        product_model=ProductModel.objects.filter(code__iexact=item).first(),
        quantity=quantity,
        unit_price=price,
        shipped_on=shipped_on,
    )
    return line, serials


def _units(
    customer: Customer, lines: list[tuple[SalesOrderLine, list[str]]], errors: dict[str, Any]
) -> dict[str, Equipment | None]:
    """Each delivered serial's unit: the existing one (which must be this customer's and
    not sold already) or None for one to create (its line must name a product model)."""
    wanted = [s for _line, serials in lines for s in serials]
    seen: set[str] = set()
    for serial in wanted:
        if serial.casefold() in seen:
            errors["lines"] = _("Serial number %(s)s is delivered twice.") % {"s": serial}
        seen.add(serial.casefold())
    found = {
        unit.serial_number.casefold(): unit
        for unit in Equipment.objects.filter(
            # As typed, and in capitals or small letters: the serial typed in another case
            # is the same unit, not a second one.
            serial_number__in=wanted + [s.upper() for s in wanted] + [s.lower() for s in wanted]
        ).select_related("sale")
    }
    units: dict[str, Equipment | None] = {}
    for n, (line, serials) in enumerate(lines, start=1):
        for serial in serials:
            unit = found.get(serial.casefold())
            if unit is not None and unit.customer_id != customer.pk:
                # Whether another company has it is not told: the serial is just refused.
                errors[f"lines-{n}"] = _("Line %(n)s: %(s)s is not a unit of this customer.") % {
                    "n": n,
                    "s": serial,
                }
            elif unit is not None and hasattr(unit, "sale"):
                errors[f"lines-{n}"] = _("Line %(n)s: %(s)s was sold on another order.") % {
                    "n": n,
                    "s": serial,
                }
            elif unit is None and line.product_model is None:
                errors[f"lines-{n}"] = _(
                    "Line %(n)s: %(item)s is not a product model, so its serial numbers "
                    "cannot become units."
                ) % {"n": n, "item": line.item}
            units[serial] = unit
    return units


@transaction.atomic
def sales_order_create(
    *,
    actor: User,
    number: str,
    customer: Customer,
    ordered_on: Any,
    lines: list[dict[str, Any]],
    salesperson: User | None = None,
    note: str = "",
) -> SalesOrder:
    """Record an order with its lines; each delivered serial number becomes (or is linked
    to) the customer's unit, whose purchase date is the order's date."""
    errors: dict[str, Any] = {}
    number = typed_text(number, "number", 50, errors, required=True)
    note = typed_text(note, "note", 500, errors, required=False)
    day = _date(ordered_on, "ordered_on", errors, required=True)
    if salesperson is not None and not (
        salesperson.is_active and salesperson.has_role(Role.SALES, Role.SALES_VP)
    ):
        errors["salesperson"] = _("Choose a salesperson.")
    if not customer.is_active:
        errors["customer"] = _("This customer is no longer active.")
    if number and SalesOrder.objects.filter(number__iexact=number).exists():
        errors["number"] = _("An order with this number is recorded already.")
    if not lines:
        errors["lines"] = _("An order has at least one line.")
    elif len(lines) > MAX_LINES:
        errors["lines"] = _("An order has at most %(n)s lines.") % {"n": MAX_LINES}
    made: list[tuple[SalesOrderLine, list[str]]] = []
    for n, row in enumerate(lines[:MAX_LINES], start=1):
        checked = _line(row if isinstance(row, dict) else {}, n, day, errors)
        if checked is not None:
            made.append(checked)
    units = _units(customer, made, errors) if len(made) == len(lines) else {}
    if errors:
        raise ValidationError(errors)
    assert day is not None
    order = SalesOrder(
        number=number, customer=customer, salesperson=salesperson, ordered_on=day, note=note
    )
    save_audited(order, actor=actor, reason="recorded")
    for line, serials in made:
        line.order = order
        save_audited(line, actor=actor, reason="recorded")
        for serial in serials:
            _deliver(actor, order, line, serial, units[serial])
    return order


def _deliver(
    actor: User, order: SalesOrder, line: SalesOrderLine, serial: str, unit: Equipment | None
) -> None:
    from aftersales.customers.services import equipment_create

    if unit is None:
        assert line.product_model is not None
        unit = equipment_create(
            actor=actor,
            serial_number=serial,
            customer=order.customer,
            product_model=line.product_model,
            delivered_on=line.shipped_on,
        )
    unit.purchased_on = order.ordered_on
    shipped = line.shipped_on
    # A unit accepted (installed) before this ship date was delivered earlier than the
    # order says: its delivery stays unknown rather than after its acceptance.
    if (
        unit.delivered_on is None
        and shipped is not None
        and (unit.accepted_on is None or shipped <= unit.accepted_on)
    ):
        unit.delivered_on = shipped
    derive_periods(unit)
    save_audited(unit, actor=actor, reason=f"sold on {order.number}")
    DeliveredUnit.objects.create(line=line, equipment=unit)
