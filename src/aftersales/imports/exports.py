"""Each kind's records as its import template filled in: what a company exports it can
import back (into another installation, or after editing in Excel), and importing it
unchanged changes nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.db.models import Prefetch
from openpyxl import Workbook

from aftersales.common.exports import append
from aftersales.customers.models import (
    Contact,
    Customer,
    Equipment,
    MaintenanceContract,
    PartItem,
    ProductModel,
    Site,
)
from aftersales.imports.readers import MAX_ROWS
from aftersales.sales.models import SalesOrder

CHUNK = 2000


def _yes(value: bool) -> str:
    from django.utils.translation import gettext as _

    return str(_("Yes") if value else _("No"))


def _customers() -> Iterator[dict[str, Any]]:
    for c in Customer.objects.order_by("name").iterator(chunk_size=CHUNK):
        yield {
            "name": c.name,
            "region": c.region,
            "phone": c.phone,
            "address": c.address,
            "is_key_customer": _yes(c.is_key_customer),
        }


def _sites() -> Iterator[dict[str, Any]]:
    for s in Site.objects.select_related("customer").order_by("customer__name", "name"):
        yield {"customer": s.customer.name, "name": s.name, "address": s.address}


def _contacts() -> Iterator[dict[str, Any]]:
    contacts = Contact.objects.select_related("customer", "site").order_by("customer__name", "pk")
    for c in contacts.iterator(chunk_size=CHUNK):
        yield {
            "customer": c.customer.name,
            "name": c.name,
            "phone": c.phone,
            "title": c.title,
            "email": c.email,
            "site": c.site.name if c.site else "",
            "is_primary": _yes(c.is_primary),
        }


def _product_models() -> Iterator[dict[str, Any]]:
    for m in ProductModel.objects.order_by("code"):
        yield {
            "code": m.code,
            "name": m.name,
            "brand": m.brand,
            "category": m.category,
            "default_warranty_months": m.default_warranty_months,
            "default_maintenance_months": m.default_maintenance_months,
        }


def _parts() -> Iterator[dict[str, Any]]:
    parts = PartItem.objects.prefetch_related(
        Prefetch("product_models", ProductModel.objects.order_by("code"))
    ).order_by("code")
    for p in parts:
        yield {
            "code": p.code,
            "name": p.name,
            "kind": p.get_kind_display(),
            "unit": p.unit,
            "unit_price": p.unit_price,
            "reorder_level": p.reorder_level,
            "product_models": "、".join(m.code for m in p.product_models.all()),
        }


def _equipment() -> Iterator[dict[str, Any]]:
    units = Equipment.objects.select_related("customer", "product_model", "site").order_by("pk")
    for u in units.iterator(chunk_size=CHUNK):
        yield {
            "serial_number": u.serial_number,
            "customer": u.customer.name,
            "product_model": u.product_model.code,
            "site": u.site.name if u.site else "",
            "batch_number": u.batch_number,
            "delivered_on": u.delivered_on,
            "accepted_on": u.accepted_on,
            "warranty_months": u.warranty_months,
        }


def _contracts() -> Iterator[dict[str, Any]]:
    contracts = MaintenanceContract.objects.select_related("customer").prefetch_related(
        Prefetch("equipment", Equipment.objects.order_by("serial_number"))
    )
    for c in contracts.order_by("number"):
        yield {
            "number": c.number,
            "customer": c.customer.name,
            "level": c.get_level_display(),
            "starts_on": c.starts_on,
            "ends_on": c.ends_on,
            "visits_per_year": c.visits_per_year,
            "annual_fee": c.annual_fee,
            "equipment": "、".join(u.serial_number for u in c.equipment.all()),
        }


def _sales_orders(orders: Any = None) -> Iterator[dict[str, Any]]:
    if orders is None:
        orders = SalesOrder.objects.order_by("ordered_on", "number")
    orders = orders.select_related("customer", "salesperson").prefetch_related(
        "lines__units__equipment"
    )
    for order in orders.iterator(chunk_size=CHUNK):
        for line in order.lines.all():
            yield {
                "number": order.number,
                "customer": order.customer.name,
                "ordered_on": order.ordered_on,
                # The name people know (the import reads it, or the user name, back).
                "salesperson": (order.salesperson.full_name or order.salesperson.username)
                if order.salesperson
                else "",
                "item": line.item,
                "description": line.description,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "shipped_on": line.shipped_on,
                "serial_numbers": "、".join(d.equipment.serial_number for d in line.units.all()),
            }


ROWS: dict[str, Callable[..., Iterator[dict[str, Any]]]] = {
    "customers": _customers,
    "sites": _sites,
    "contacts": _contacts,
    "product_models": _product_models,
    "parts": _parts,
    "equipment": _equipment,
    "contracts": _contracts,
    "sales_orders": _sales_orders,
}


def workbook(kind: str, *, rows: bool = True, records: Any = None) -> Workbook:
    """The kind's template (its headers in the user's language, * when required) with
    its records — all of them, or those given — at most as many as one import takes."""
    from aftersales.imports.models import ImportRun
    from aftersales.imports.services import SPECS

    columns = SPECS[kind].columns
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(ImportRun.Kind(kind).label))
    append(sheet, [f"{c.header}{'*' if c.required else ''}" for c in columns])
    if rows:
        found = ROWS[kind]() if records is None else ROWS[kind](records)
        for n, record in enumerate(found):
            if n >= MAX_ROWS:
                break
            append(sheet, [record[c.field] if record[c.field] is not None else "" for c in columns])
    return book
