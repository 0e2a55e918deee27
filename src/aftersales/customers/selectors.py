"""Reads of customers and equipment, scoped to what the user may see (R-ORG-3)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from aftersales.accounts.models import User
from aftersales.calendars.periods import day_start
from aftersales.common.audit import history_entries
from aftersales.common.words import labelled, listed
from aftersales.customers.models import (
    Contact,
    Customer,
    Equipment,
    MaintenanceContract,
    ProductModel,
)
from aftersales.customers.warranty import WarrantyStatus


def customers_for(user: User | None) -> QuerySet[Customer]:
    """Customers the user may see: all for staff with the permission, their own for a contact."""
    qs = Customer.objects.all()
    if user is None or not user.has_perm("customers.view_customer"):
        return qs.none()
    if user.is_superuser:
        return qs
    if user.is_external:
        return qs.filter(pk=user.customer_id_scope) if user.customer_id_scope else qs.none()
    return qs


def customer_list(
    user: User,
    *,
    q: str = "",
    region: str = "",
    is_key_customer: bool | None = None,
    sales_owner: int | None = None,
) -> QuerySet[Customer]:
    qs = customers_for(user).select_related("sales_owner")
    if q:
        by_contact = Contact.objects.filter(Q(phone__contains=q) | Q(name__icontains=q))
        qs = qs.filter(
            Q(name__icontains=q) | Q(phone__contains=q) | Q(pk__in=by_contact.values("customer_id"))
        )
    if region:
        qs = qs.filter(region=region)
    if is_key_customer is not None:
        qs = qs.filter(is_key_customer=is_key_customer)
    if sales_owner:
        qs = qs.filter(sales_owner_id=sales_owner)
    return qs.order_by("name", "pk")


def with_equipment_counts(customers: Iterable[Customer]) -> list[Customer]:
    """Set ``equipment_count`` on one page of customers with a single grouped query.

    Counting in the list query itself would count for every row an OFFSET
    skips as well; this counts only the customers shown.
    """
    page = list(customers)
    counts = dict(
        Equipment.objects.filter(customer_id__in=[c.pk for c in page])
        .order_by()
        .values_list("customer_id")
        .annotate(n=Count("pk"))
    )
    for customer in page:
        customer.equipment_count = counts.get(customer.pk, 0)  # type: ignore[attr-defined]
    return page


def customer_regions() -> list[str]:
    return list(
        Customer.objects.exclude(region="")
        .order_by("region")
        .values_list("region", flat=True)
        .distinct()
    )


def get_customer_for_user(user: User, pk: Any) -> Customer:
    return get_object_or_404(customers_for(user).select_related("sales_owner"), pk=pk)


def _with_contract_flag(qs: QuerySet[Equipment], on: dt.date) -> QuerySet[Equipment]:
    covering = MaintenanceContract.equipment.through.objects.filter(
        equipment_id=OuterRef("pk"),
        maintenancecontract__starts_on__lte=on,
        maintenancecontract__ends_on__gte=on,
    )
    return qs.annotate(under_contract_today=Exists(covering))


def equipment_for(user: User | None) -> QuerySet[Equipment]:
    """Equipment the user may see, with what its list and badge need."""
    qs = Equipment.objects.select_related("customer", "product_model", "site")
    if user is None or not user.has_perm("customers.view_equipment"):
        return qs.none()
    if not user.is_superuser and user.is_external:
        qs = qs.filter(customer_id=user.customer_id_scope) if user.customer_id_scope else qs.none()
    return _with_contract_flag(qs, timezone.localdate())


def equipment_list(
    user: User,
    *,
    q: str = "",
    customer: int | None = None,
    product_model: int | None = None,
    status: str = "",
) -> QuerySet[Equipment]:
    qs = equipment_for(user)
    if q:
        qs = qs.filter(equipment_search(q))
    if customer:
        qs = qs.filter(customer_id=customer)
    if product_model:
        qs = qs.filter(product_model_id=product_model)
    if status:
        qs = filter_by_warranty_status(qs, status, timezone.localdate())
    return qs.order_by("serial_number")


def equipment_search(q: str) -> Q:
    """Serial-number prefix, exact batch number, model code, or customer name.

    Each branch can use an index (serial: UPPER(serial_number) pattern index
    on PostgreSQL; customers are looked up first, so the equipment side is an
    IN list on the customer index), so one search over millions of units does
    not scan them all.
    """
    q = q.strip()
    customer_ids = list(
        Customer.objects.filter(name__icontains=q).order_by().values_list("pk", flat=True)[:500]
    )
    models_ = ProductModel.objects.filter(Q(code__iexact=q) | Q(name__icontains=q)).values("pk")
    return (
        Q(serial_number__istartswith=q)
        | Q(batch_number=q)
        | Q(product_model_id__in=list(models_.values_list("pk", flat=True)[:100]))
        | Q(customer_id__in=customer_ids)
    )


def filter_by_warranty_status(
    qs: QuerySet[Equipment], status: str, on: dt.date
) -> QuerySet[Equipment]:
    """The same rules as ``warranty.warranty_status``, expressed as a query (a unit
    with a purchase date from its sale counts from it when no acceptance is recorded)."""
    accepted = Q(accepted_on__isnull=False) | Q(purchased_on__isnull=False)
    in_warranty = accepted & Q(warranty_until__gte=on)
    in_maintenance = accepted & Q(maintenance_until__gte=on)
    contract = Q(under_contract_today=True)
    if status == WarrantyStatus.IN_WARRANTY:
        return qs.filter(in_warranty)
    if status == WarrantyStatus.MAINTENANCE_CONTRACT:
        return qs.filter(~in_warranty & (in_maintenance | contract))
    if status == WarrantyStatus.OUT_OF_WARRANTY:
        return qs.filter(accepted & ~in_warranty & ~in_maintenance & ~contract)
    if status == WarrantyStatus.UNKNOWN:
        return qs.filter(Q(accepted_on__isnull=True, purchased_on__isnull=True) & ~contract)
    return qs.none()


def get_equipment_for_user(user: User, pk: Any) -> Equipment:
    return get_object_or_404(equipment_for(user), pk=pk)


def product_models() -> QuerySet[ProductModel]:
    return ProductModel.objects.filter(is_active=True)


@dataclass(frozen=True)
class TimelineEntry:
    when: dt.datetime
    kind: str
    title: str
    detail: str = ""
    who: Any = None
    url: str = ""

    def without_who(self) -> TimelineEntry:
        return TimelineEntry(self.when, self.kind, self.title, self.detail, None, self.url)


# The kinds of event an equipment history (系统运行档案, R-CUS-4) holds. Later
# areas add theirs here; a kind with nothing yet still shows as a filter.
TIMELINE_KINDS: list[tuple[str, Any]] = [
    ("record", _("Record changes")),
    ("sale", _("Sale")),
    ("contract", _("Maintenance contracts")),
    ("service_request", _("Service requests")),
    ("visit", _("Visits and work orders")),
    ("part", _("Part changes")),
    ("inspection", _("Inspections")),
    ("installation", _("Unpacking and installation")),
    ("survey", _("Return visits and surveys")),
]


def equipment_timeline(equipment: Equipment) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    kind_labels = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
    for change in history_entries(equipment, limit=200):
        detail = listed(labelled(c["field"], f"{c['old']} → {c['new']}") for c in change["changes"])
        if change["source"]:
            said = _("Imported from %(file)s") % {"file": change["source"]}
            detail = f"{detail} · {said}" if detail else said
        entries.append(
            TimelineEntry(
                change["when"], "record", str(kind_labels[change["kind"]]), detail, change["who"]
            )
        )
    sale = getattr(equipment, "sale", None)  # sales.DeliveredUnit: where its life starts
    if sale is not None:
        line = sale.line
        entries.append(
            TimelineEntry(
                day_start(line.order.ordered_on),
                "sale",
                str(_("Sold on order %(number)s") % {"number": line.order.number}),
                listed(
                    [
                        line.item,
                        *(
                            [str(_("shipped on %(day)s") % {"day": line.shipped_on})]
                            if line.shipped_on
                            else []
                        ),
                    ]
                ),
            )
        )
    for contract in equipment.contracts.all():
        start = day_start(contract.starts_on)
        entries.append(
            TimelineEntry(
                start,
                "contract",
                str(_("Maintenance contract %(number)s") % {"number": contract.number}),
                f"{contract.get_level_display()} · {contract.starts_on} – {contract.ends_on}",
            )
        )
    # Later apps attach their records to the equipment by relation; read them
    # through it so this app does not import theirs.
    requests = equipment.service_requests.prefetch_related("work_orders__technician")  # type: ignore[attr-defined]
    for request in requests:
        entries.append(
            TimelineEntry(
                request.received_at,
                "service_request",
                f"{request.number} · {request.get_severity_display()} · "
                f"{request.get_status_display()}",
                request.description[:120],
                None,
            )
        )
        for order in request.work_orders.all():
            if order.arrived_at:
                entries.append(
                    TimelineEntry(
                        order.arrived_at,
                        "visit",
                        f"{order.number} · {order.get_status_display()}",
                        order.work_done[:120],
                        order.technician,
                    )
                )
    for inspection in equipment.inspections.all():  # type: ignore[attr-defined]
        entries.append(
            TimelineEntry(
                inspection.inspected_at,
                "installation",
                str(
                    _("Unpacking inspection: %(outcome)s")
                    % {"outcome": inspection.get_outcome_display()}
                ),
                " · ".join(filter(None, [inspection.note, inspection.signed_by])),
                inspection.inspector,
            )
        )
    for done in equipment.maintenance_inspections.select_related("technician").exclude(  # type: ignore[attr-defined]
        status="cancelled"
    ):
        flagged = done.items.filter(flagged=True).count()
        entries.append(
            TimelineEntry(
                done.started_at,
                "inspection",
                f"{_('Inspection')} {done.number} · {done.get_status_display()}",
                str(
                    ngettext("%(n)s item needs attention", "%(n)s items need attention", flagged)
                    % {"n": flagged}
                )
                if flagged
                else "",
                done.technician,
                done.get_absolute_url(),
            )
        )
    for returned in equipment.depot_repairs.select_related("batch"):  # type: ignore[attr-defined]
        entries.append(
            TimelineEntry(
                returned.batch.received_at,
                "visit",
                f"{returned.batch.number} · {returned.get_status_display()}",
                " · ".join(filter(None, [returned.fault, returned.result])),
            )
        )
    return sorted(entries, key=lambda entry: entry.when, reverse=True)


def retirement(equipment: Equipment) -> str:
    """Why a retired unit takes no new service, in words: when, and what replaced it."""
    if equipment.replaced_by is not None:
        return _("This unit was retired on %(on)s; it was replaced by %(new)s.") % {
            "on": equipment.retired_on,
            "new": equipment.replaced_by.serial_number,
        }
    return _("This unit was retired on %(on)s.") % {"on": equipment.retired_on}
