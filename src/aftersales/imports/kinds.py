"""The catalogue and the customers' records as spreadsheets: customers (by name), their
sites (customer + site name), contacts (customer + phone, or name without one), product
models (by code), parts (by part number) and units (by serial number)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from aftersales.accounts.models import User
from aftersales.customers import services as customers
from aftersales.customers.models import (
    Contact,
    Customer,
    Equipment,
    PartItem,
    ProductModel,
    Site,
)
from aftersales.customers.warranty import MAX_MAINTENANCE_MONTHS, MAX_WARRANTY_MONTHS
from aftersales.imports.columns import Column, Spec, WithLinks, by_key, split_list

CUSTOMER = Column("customer", gettext_lazy("Customer name"), required=True)
NO_CUSTOMER = gettext_lazy("No customer of this name: import the customers first.")


def _customers(named: Callable[[str], list[str]], field: str = "customer") -> dict[str, Any]:
    return by_key(Customer, "name", named(field))


class Customers(Spec):
    kind = "customers"
    columns = [
        Column("name", gettext_lazy("Customer name"), required=True),
        Column("region", gettext_lazy("Region")),
        Column("phone", gettext_lazy("Phone")),
        Column("address", gettext_lazy("Address")),
        Column("is_key_customer", gettext_lazy("Key customer (yes/no)")),
    ]

    def load(self, named: Callable[[str], list[str]]) -> dict[str, Any]:
        return {"customers": _customers(named, "name")}

    def parse(self, cache: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        name = self.text("name", 200, required=True)
        return name.casefold(), {
            "name": name,
            "region": self.text("region", 50),
            "phone": self.phone("phone"),
            "address": self.text("address", 300),
            "is_key_customer": self.flag("is_key_customer"),
        }

    def existing(self, key: Any, cache: dict[str, Any]) -> Any:
        return cache["customers"].get(key)

    def create(self, actor: User, values: dict[str, Any]) -> Any:
        return customers.customer_create(actor=actor, **values)

    def update(self, actor: User, record: Any, changes: dict[str, Any]) -> None:
        customers.customer_update(actor=actor, customer=record, **changes)


class Sites(Spec):
    kind = "sites"
    columns = [
        CUSTOMER,
        Column("name", gettext_lazy("Site name"), required=True),
        Column("address", gettext_lazy("Address")),
    ]

    def load(self, named: Callable[[str], list[str]]) -> dict[str, Any]:
        found = _customers(named)
        sites = Site.objects.filter(customer__in=found.values()).select_related("customer")
        return {
            "customers": found,
            "sites": {(s.customer.name.casefold(), s.name.casefold()): s for s in sites},
        }

    def parse(self, cache: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        customer = self.found("customer", cache["customers"], str(NO_CUSTOMER))
        name = self.text("name", 100, required=True)
        values = {"customer": customer, "name": name, "address": self.text("address", 300)}
        return (customer.name.casefold(), name.casefold()), values

    def existing(self, key: Any, cache: dict[str, Any]) -> Any:
        return cache["sites"].get(key)

    def create(self, actor: User, values: dict[str, Any]) -> Any:
        return customers.site_create(actor=actor, **values)

    def update(self, actor: User, record: Any, changes: dict[str, Any]) -> None:
        customers.site_update(actor=actor, site=record, **changes)


class Contacts(Spec):
    kind = "contacts"
    columns = [
        CUSTOMER,
        Column("name", gettext_lazy("Contact name"), required=True),
        Column("phone", gettext_lazy("Phone")),
        Column("title", gettext_lazy("Job title")),
        Column("email", gettext_lazy("E-mail")),
        Column("site", gettext_lazy("Site name")),
        Column("is_primary", gettext_lazy("Primary contact (yes/no)")),
    ]

    def load(self, named: Callable[[str], list[str]]) -> dict[str, Any]:
        found = _customers(named)
        contacts = Contact.objects.filter(customer__in=found.values()).select_related(
            "customer", "site"
        )
        sites = Site.objects.filter(customer__in=found.values()).select_related("customer")
        return {
            "customers": found,
            "contacts": {
                (c.customer.name.casefold(), (c.phone or c.name).casefold()): c for c in contacts
            },
            "sites": {(s.customer.name.casefold(), s.name.casefold()): s for s in sites},
        }

    def parse(self, cache: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        from django.core.validators import validate_email

        customer = self.found("customer", cache["customers"], str(NO_CUSTOMER))
        name, phone = self.text("name", 50, required=True), self.phone("phone")
        email = self.text("email", 254)
        if email:
            try:
                validate_email(email)
            except Exception:
                raise self.fail("email", _("Not an e-mail address.")) from None
        site_name, site = self.text("site", 100), None
        if site_name:
            site = cache["sites"].get((customer.name.casefold(), site_name.casefold()))
            if site is None:
                raise self.fail("site", _("This customer has no site of this name."))
        values = {
            "customer": customer,
            "name": name,
            "phone": phone,
            "title": self.text("title", 50),
            "email": email,
            "site": site,
            "is_primary": self.flag("is_primary"),
        }
        return (customer.name.casefold(), (phone or name).casefold()), values

    def existing(self, key: Any, cache: dict[str, Any]) -> Any:
        return cache["contacts"].get(key)

    def create(self, actor: User, values: dict[str, Any]) -> Any:
        return customers.contact_create(actor=actor, **values)

    def update(self, actor: User, record: Any, changes: dict[str, Any]) -> None:
        customers.contact_update(actor=actor, contact=record, **changes)


class ProductModels(Spec):
    kind = "product_models"
    columns = [
        Column("code", gettext_lazy("Model code"), required=True),
        Column("name", gettext_lazy("Model name")),
        Column("brand", gettext_lazy("Brand")),
        Column("category", pgettext_lazy("product model", "Category")),
        Column("default_warranty_months", gettext_lazy("Warranty (months)")),
        Column("default_maintenance_months", gettext_lazy("Maintenance period (months)")),
    ]

    def load(self, named: Callable[[str], list[str]]) -> dict[str, Any]:
        return {"models": by_key(ProductModel, "code", named("code"))}

    def parse(self, cache: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        code = self.text("code", 50, required=True)
        return code.casefold(), {
            "code": code,
            "name": self.text("name", 200) or code,
            "brand": self.text("brand", 100),
            "category": self.text("category", 50),
            "default_warranty_months": self.whole(
                "default_warranty_months", 0, MAX_WARRANTY_MONTHS, default=12
            ),
            "default_maintenance_months": self.whole(
                "default_maintenance_months", 0, MAX_MAINTENANCE_MONTHS, default=0
            ),
        }

    def existing(self, key: Any, cache: dict[str, Any]) -> Any:
        return cache["models"].get(key)

    def create(self, actor: User, values: dict[str, Any]) -> Any:
        return customers.product_model_create(actor=actor, **values)

    def update(self, actor: User, record: Any, changes: dict[str, Any]) -> None:
        customers.product_model_update(actor=actor, product_model=record, **changes)


class Parts(WithLinks):
    kind = "parts"
    link, link_model = "product_models", ProductModel
    columns = [
        Column("code", gettext_lazy("Part number"), required=True),
        Column("name", gettext_lazy("Part name"), required=True),
        Column("kind", gettext_lazy("Spare part or consumable")),
        Column("unit", gettext_lazy("Unit")),
        Column("unit_price", gettext_lazy("Unit price")),
        Column("reorder_level", gettext_lazy("Reorder level")),
        Column("product_models", gettext_lazy("Fits models (codes)")),
    ]

    def load(self, named: Callable[[str], list[str]]) -> dict[str, Any]:
        fits = sorted({code for cell in named("product_models") for code in split_list(cell)})
        parts = by_key(PartItem, "code", named("code"))
        self.remember_links(
            PartItem.product_models.through, "partitem_id", "productmodel_id", [*parts.values()]
        )
        return {"parts": parts, "models": by_key(ProductModel, "code", fits)}

    def parse(self, cache: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        code = self.text("code", 50, required=True)
        models = []
        for model_code in split_list(self.text("product_models", 2000)):
            model = cache["models"].get(model_code.casefold())
            if model is None:
                raise self.fail(
                    "product_models", _("No product model %(code)s.") % {"code": model_code}
                )
            models.append(model)
        return code.casefold(), {
            "code": code,
            "name": self.text("name", 200, required=True),
            "kind": self.choice("kind", PartItem.Kind, PartItem.Kind.SPARE_PART),
            "unit": self.text("unit", 10) or "个",
            "unit_price": self.amount("unit_price", default=0),
            "reorder_level": self.amount("reorder_level", default=0, places=3),
            "product_models": sorted({m.pk for m in models}),
        }

    def existing(self, key: Any, cache: dict[str, Any]) -> Any:
        return cache["parts"].get(key)

    def create_linked(self, actor: User, fields: dict[str, Any], linked: Any) -> Any:
        return customers.part_item_create(actor=actor, product_models=linked, **fields)

    def update_linked(self, actor: User, record: Any, fields: dict[str, Any], linked: Any) -> None:
        customers.part_item_update(actor=actor, part_item=record, product_models=linked, **fields)


class Units(Spec):
    kind = "equipment"
    bulk = True
    columns = [
        Column("serial_number", gettext_lazy("Serial number"), required=True),
        CUSTOMER,
        Column("product_model", gettext_lazy("Model code"), required=True),
        Column("site", gettext_lazy("Site name")),
        Column("batch_number", gettext_lazy("Batch number")),
        Column("delivered_on", gettext_lazy("Delivery date")),
        Column("accepted_on", gettext_lazy("Acceptance date")),
        Column("warranty_months", gettext_lazy("Warranty (months)")),
    ]

    def load(self, named: Callable[[str], list[str]]) -> dict[str, Any]:
        found = _customers(named)
        sites = Site.objects.filter(customer__in=found.values(), name__in=named("site"))
        return {
            "customers": found,
            "models": {m.code.casefold(): m for m in ProductModel.objects.all()},
            "sites": {(s.customer_id, s.name.casefold()): s for s in sites},
            "units": by_key(
                Equipment, "serial_number", named("serial_number"), "customer", "product_model"
            ),
        }

    def parse(self, cache: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        serial = self.text("serial_number", 100, required=True)
        customer = self.found("customer", cache["customers"], str(NO_CUSTOMER))
        model = self.found("product_model", cache["models"], _("No product model with this code."))
        unit = cache["units"].get(serial.casefold())
        if unit is not None and unit.customer_id != customer.pk:
            raise self.fail("serial_number", _("This unit is another customer's."))
        site_name, site = self.text("site", 100), None
        if site_name:
            site = cache["sites"].get((customer.pk, site_name.casefold()))
            if site is None:
                raise self.fail("site", _("This customer has no site of this name."))
        values: dict[str, Any] = {
            "serial_number": serial if unit is None else unit.serial_number,
            "customer": customer,
            "product_model": model,
            "site": site,
            "batch_number": self.text("batch_number", 100),
            "delivered_on": self.date("delivered_on"),
            "accepted_on": self.date("accepted_on"),
        }
        delivered, accepted = values["delivered_on"], values["accepted_on"]
        if delivered and accepted and accepted < delivered:
            raise self.fail("accepted_on", _("Accepted before it was delivered."))
        months = self.whole("warranty_months", 0, MAX_WARRANTY_MONTHS)
        if months is not None:
            values["warranty_months"] = months
        return serial.casefold(), values

    def existing(self, key: Any, cache: dict[str, Any]) -> Any:
        return cache["units"].get(key)

    def create(self, actor: User, values: dict[str, Any]) -> Any:
        return customers.equipment_create(actor=actor, **values)

    def create_many(self, actor: User, rows: list[dict[str, Any]]) -> Any:
        return customers.equipment_create_many(actor=actor, rows=rows)

    def update(self, actor: User, record: Any, changes: dict[str, Any]) -> None:
        customers.equipment_update(actor=actor, equipment=record, **changes)
