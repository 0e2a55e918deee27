"""Reads of stock: balances, an item's ledger, what to reorder, the month's figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role
from aftersales.common.fields import ScaledDecimalField
from aftersales.customers.models import PartItem, ProductModel
from aftersales.parts.models import (
    ZERO,
    BackupBaseline,
    BackupLoan,
    BackupUnit,
    Balance,
    Location,
    Movement,
    PeriodBalance,
    PeriodClose,
    ToolKit,
)
from aftersales.service.selectors import SEE_ALL

TRANSFERS = [Movement.Kind.TRANSFER_IN, Movement.Kind.TRANSFER_OUT]


def _sees_all(user: User) -> bool:
    """Staff see every place; a technician who is only a technician, their own."""
    return user.is_superuser or not (user.has_role(Role.TECHNICIAN) and not user.has_role(*SEE_ALL))


def locations_for(user: User | None) -> QuerySet[Location]:
    """Every place for staff; a technician their own kit and the depot they draw from."""
    qs = Location.objects.select_related("holder")
    if user is None or user.is_external or not user.has_perm("parts.view_location"):
        return qs.none()
    if _sees_all(user):
        return qs
    return qs.filter(Q(holder=user) | Q(kind=Location.Kind.DEPOT))


def balances_for(user: User | None) -> QuerySet[Balance]:
    return (
        Balance.objects.filter(location__in=locations_for(user))
        .select_related("item", "location")
        .order_by("item__code", "location__code")
    )


def kit_stock(technician: User) -> QuerySet[Balance]:
    """What the technician carries (their kit's balances on hand), to pick parts from."""
    return (
        Balance.objects.filter(
            location__kind=Location.Kind.KIT,
            location__holder=technician,
            location__is_active=True,
            quantity__gt=0,
        )
        .select_related("item", "location")
        .order_by("item__name", "item__code")[:100]
    )


def movements_for(user: User | None) -> QuerySet[Movement]:
    return Movement.objects.filter(location__in=locations_for(user)).select_related(
        "item", "location", "actor", "work_order"
    )


def on_hand(item: PartItem, location: Location | None = None) -> Decimal:
    """What the books say is on hand: one indexed read of the balances."""
    rows = Balance.objects.filter(item=item)
    if location is not None:
        rows = rows.filter(location=location)
    return rows.aggregate(total=Sum("quantity"))["total"] or ZERO


def to_reorder() -> QuerySet[PartItem]:
    """Active items whose stock, everywhere, is at or below their reorder level."""
    return (
        PartItem.objects.filter(is_active=True, reorder_level__gt=0)
        .annotate(
            on_hand=Coalesce(
                Sum("balances__quantity"),
                Value(ZERO),
                output_field=ScaledDecimalField(places=3),
            )
        )
        .filter(on_hand__lte=F("reorder_level"))
        .order_by("code")
    )


@dataclass
class ReconciliationRow:
    item_id: int
    code: str = ""
    name: str = ""
    unit: str = ""
    opening_qty: Decimal = ZERO
    opening_value: Decimal = ZERO
    in_qty: Decimal = ZERO
    in_value: Decimal = ZERO
    out_qty: Decimal = ZERO
    out_value: Decimal = ZERO

    @property
    def closing_qty(self) -> Decimal:
        return self.opening_qty + self.in_qty - self.out_qty

    @property
    def closing_value(self) -> Decimal:
        return self.opening_value + self.in_value - self.out_value


def _signed(field: str, positive: bool) -> Sum:
    """The sum of the incoming (or outgoing) rows' ``field``, at that field's scale."""
    condition = Q(quantity__gt=0) if positive else Q(quantity__lt=0)
    scale = Movement._meta.get_field(field)
    output = ScaledDecimalField(places=getattr(scale, "places", 2))
    return Sum(Case(When(condition, then=F(field)), default=Value(0)), output_field=output)


def reconciliation(month: dt.date, location: Location | None = None) -> list[ReconciliationRow]:
    """A month's figures per item (R-SP-4): opening, in, out, closing, quantity and value.

    Company-wide, transfers between our own places are neither in nor out; for one
    location they are. The opening comes from the last closed month's kept figures
    plus the months since, so a year of ledger is not summed again every month.
    """
    month = month.replace(day=1)
    rows: dict[int, ReconciliationRow] = {}

    def row(item_id: int) -> ReconciliationRow:
        return rows.setdefault(item_id, ReconciliationRow(item_id))

    before = Movement.objects.filter(month__lt=month)
    if location is None:
        base = PeriodClose.objects.filter(month__lt=month).order_by("-month").first()
        if base is not None:
            for kept in PeriodBalance.objects.filter(period=base):
                r = row(kept.item_id)
                r.opening_qty, r.opening_value = kept.quantity, kept.value
            before = before.filter(month__gt=base.month)
    else:
        before = before.filter(location=location)
    for agg in before.values("item_id").annotate(q=Sum("quantity"), v=Sum("value")):
        r = row(agg["item_id"])
        r.opening_qty += agg["q"]
        r.opening_value += agg["v"]

    during = Movement.objects.filter(month=month)
    during = (
        during.exclude(kind__in=TRANSFERS) if location is None else during.filter(location=location)
    )
    sums = during.values("item_id").annotate(
        in_q=_signed("quantity", True),
        in_v=_signed("value", True),
        out_q=_signed("quantity", False),
        out_v=_signed("value", False),
    )
    for agg in sums:
        r = row(agg["item_id"])
        r.in_qty, r.in_value = agg["in_q"] or ZERO, agg["in_v"] or ZERO
        r.out_qty, r.out_value = -(agg["out_q"] or ZERO), -(agg["out_v"] or ZERO)

    items = PartItem.objects.in_bulk(list(rows))
    for item_id, r in rows.items():
        item = items[item_id]
        r.code, r.name, r.unit = item.code, item.name, item.unit
    return sorted(
        (r for r in rows.values() if r.opening_qty or r.opening_value or r.in_qty or r.out_qty),
        key=lambda r: r.code,
    )


@dataclass
class BackupNeed:
    product_model: ProductModel
    baseline: int
    kept: int  # available, lent or in repair: not written off

    @property
    def to_buy(self) -> int:
        return max(self.baseline - self.kept, 0)


def backup_needs() -> list[BackupNeed]:
    """Per model with a baseline (备机基数): how many units are kept, and what to buy."""
    kept = dict(
        BackupUnit.objects.exclude(status=BackupUnit.Status.WRITTEN_OFF)
        .values("product_model")
        .annotate(n=Count("pk"))
        .values_list("product_model", "n")
    )
    return [
        BackupNeed(b.product_model, b.quantity, kept.get(b.product_model_id, 0))
        for b in BackupBaseline.objects.select_related("product_model").order_by(
            "product_model__code"
        )
    ]


def backup_units_for(user: User | None) -> QuerySet[BackupUnit]:
    if user is None or user.is_external or not user.has_perm("parts.view_backupunit"):
        return BackupUnit.objects.none()
    return BackupUnit.objects.select_related("product_model", "location").prefetch_related(
        Prefetch(
            "loans",
            queryset=BackupLoan.objects.filter(returned_at__isnull=True).select_related(
                "customer", "service_request"
            ),
            to_attr="open_loans",
        )
    )


def tool_kits_for(user: User | None) -> QuerySet[ToolKit]:
    """Every kit for staff; a technician their own."""
    qs = ToolKit.objects.select_related("holder").prefetch_related("tools")
    if user is None or user.is_external or not user.has_perm("parts.view_toolkit"):
        return qs.none()
    return qs if _sees_all(user) else qs.filter(holder=user)
