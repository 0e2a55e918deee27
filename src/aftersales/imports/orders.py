"""Agreements as spreadsheets: maintenance contracts (by contract number, with the serial
numbers they cover) and sales orders (by order number, one row per line: the rows with
the same number are one order). A recorded sales order is never changed by an import:
the same order again is left as it is."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role
from aftersales.customers import services as customers
from aftersales.customers.models import Equipment, MaintenanceContract
from aftersales.imports.columns import Column, Spec, WithLinks, by_key, split_list
from aftersales.imports.kinds import CUSTOMER, NO_CUSTOMER, _customers
from aftersales.sales.models import MAX_LINES, MAX_QUANTITY, SalesOrder
from aftersales.sales.services import sales_order_create


class Contracts(WithLinks):
    kind = "contracts"
    link, link_model = "equipment", Equipment
    columns = [
        Column("number", gettext_lazy("Contract number"), required=True),
        CUSTOMER,
        Column("level", gettext_lazy("Level")),
        Column("starts_on", gettext_lazy("Starts on"), required=True),
        Column("ends_on", gettext_lazy("Ends on"), required=True),
        Column("visits_per_year", gettext_lazy("Visits per year")),
        Column("annual_fee", gettext_lazy("Annual fee")),
        Column("equipment", gettext_lazy("Serial numbers covered")),
    ]

    def load(self, named: Callable[[str], list[str]]) -> dict[str, Any]:
        serials = sorted({s for cell in named("equipment") for s in split_list(cell)})
        contracts = by_key(MaintenanceContract, "number", named("number"), "customer")
        self.remember_links(
            MaintenanceContract.equipment.through,
            "maintenancecontract_id",
            "equipment_id",
            [*contracts.values()],
        )
        return {
            "customers": _customers(named),
            "contracts": contracts,
            "units": by_key(Equipment, "serial_number", serials),
        }

    def parse(self, cache: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        number = self.text("number", 50, required=True)
        customer = self.found("customer", cache["customers"], str(NO_CUSTOMER))
        contract = cache["contracts"].get(number.casefold())
        if contract is not None and contract.customer_id != customer.pk:
            raise self.fail("number", _("This contract is another customer's."))
        starts, ends = self.date("starts_on", required=True), self.date("ends_on", required=True)
        if ends < starts:
            raise self.fail("ends_on", _("A contract cannot end before it starts."))
        units = []
        for serial in split_list(self.text("equipment", 20000)):
            unit = cache["units"].get(serial.casefold())
            if unit is None or unit.customer_id != customer.pk:
                raise self.fail(
                    "equipment",
                    _("%(serial)s is not a unit of this customer.") % {"serial": serial},
                )
            units.append(unit.pk)
        return number.casefold(), {
            "number": number if contract is None else contract.number,
            "customer": customer,
            "level": self.choice(
                "level", MaintenanceContract.Level, MaintenanceContract.Level.STANDARD
            ),
            "starts_on": starts,
            "ends_on": ends,
            "visits_per_year": self.whole("visits_per_year", 0, 52, default=4),
            "annual_fee": self.amount("annual_fee"),
            "equipment": sorted(set(units)),
        }

    def existing(self, key: Any, cache: dict[str, Any]) -> Any:
        return cache["contracts"].get(key)

    def create_linked(self, actor: User, fields: dict[str, Any], linked: Any) -> Any:
        return customers.contract_create(actor=actor, equipment=linked, **fields)

    def update_linked(self, actor: User, record: Any, fields: dict[str, Any], linked: Any) -> None:
        customers.contract_update(actor=actor, contract=record, equipment=linked, **fields)


class SalesOrders(Spec):
    kind = "sales_orders"
    grouped = True
    columns = [
        Column("number", gettext_lazy("Order number"), required=True),
        CUSTOMER,
        Column("ordered_on", gettext_lazy("Order date"), required=True),
        Column("salesperson", gettext_lazy("Salesperson")),
        Column("item", gettext_lazy("Item or part number"), required=True),
        Column("description", pgettext_lazy("sales order line", "Description")),
        Column("quantity", gettext_lazy("Quantity"), required=True),
        Column("unit_price", gettext_lazy("Unit price")),
        Column("shipped_on", gettext_lazy("Ship date")),
        Column("serial_numbers", gettext_lazy("Serial numbers delivered")),
    ]

    def load(self, named: Callable[[str], list[str]]) -> dict[str, Any]:
        people = named("salesperson")
        sellers = User.objects.filter(
            Q(username__in=people) | Q(full_name__in=people), is_active=True
        )
        return {
            "customers": _customers(named),
            "orders": by_key(SalesOrder, "number", named("number"), "customer"),
            "sellers": {
                name.casefold(): user
                for user in sellers
                if user.has_role(Role.SALES, Role.SALES_VP)
                for name in (user.username, user.full_name)
                if name
            },
        }

    def parse(self, cache: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        number = self.text("number", 50, required=True)
        customer = self.found("customer", cache["customers"], str(NO_CUSTOMER))
        order = cache["orders"].get(number.casefold())
        if order is not None and order.customer_id != customer.pk:
            raise self.fail("number", _("This order is another customer's."))
        seller_name, seller = self.text("salesperson", 100), None
        if seller_name:
            seller = cache["sellers"].get(seller_name.casefold())
            if seller is None:
                raise self.fail("salesperson", _("No salesperson of this name."))
        ordered_on = self.date("ordered_on", required=True)
        shipped_on = self.date("shipped_on")
        if shipped_on and shipped_on < ordered_on:
            raise self.fail("shipped_on", _("Shipped before the order date."))
        quantity = self.whole("quantity", 1, MAX_QUANTITY)
        if quantity is None:
            raise self.fail("quantity", _("This column must be filled in."))
        serials = split_list(self.text("serial_numbers", 20000))
        if len(serials) > quantity:
            raise self.fail("serial_numbers", _("More serial numbers than the quantity."))
        line = {
            "item": self.text("item", 100, required=True),
            "description": self.text("description", 200),
            "quantity": quantity,
            "unit_price": self.amount("unit_price"),
            "shipped_on": shipped_on,
            "serial_numbers": serials,
        }
        return number.casefold(), {
            "number": number,
            "customer": customer,
            "ordered_on": ordered_on,
            "salesperson": seller,
            "lines": [line],
        }

    def group_key(self) -> Any:
        from aftersales.imports.readers import as_text

        return as_text(self.values.get("number")).casefold()

    def merge(self, values: dict[str, Any], more: dict[str, Any]) -> None:
        for field in ("customer", "ordered_on", "salesperson"):
            if more[field] != values[field]:
                raise self.fail(field, _("Differs from the order's first row."))
        if len(values["lines"]) >= MAX_LINES:
            raise self.fail("item", _("An order has at most %(n)s lines.") % {"n": MAX_LINES})
        values["lines"].extend(more["lines"])

    def existing(self, key: Any, cache: dict[str, Any]) -> Any:
        return cache["orders"].get(key)

    def changes(self, record: Any, values: dict[str, Any]) -> dict[str, Any]:
        return {}  # a recorded order is kept as it is

    def create(self, actor: User, values: dict[str, Any]) -> Any:
        fields = {f: v for f, v in values.items() if f != "rows"}
        return sales_order_create(actor=actor, **fields)

    def update(self, actor: User, record: Any, changes: dict[str, Any]) -> None:
        raise AssertionError("a recorded order is not changed")  # pragma: no cover
