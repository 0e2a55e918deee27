"""Every change of stock (R-SP-1): one transaction, ledger rows, balances in step.

Outgoing stock is valued at the location's moving-average cost (the balance's
value over its quantity); taking the last unit takes the whole remaining value,
so a location that holds nothing is worth nothing. Balances are locked before
they are read, in a fixed order, so two people issuing the last unit queue and
the second is refused, and two transfers never deadlock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role
from aftersales.calendars.periods import month_of, next_month
from aftersales.common.audit import save_audited
from aftersales.common.exceptions import ConflictError
from aftersales.common.validation import check_past
from aftersales.customers.models import PartItem
from aftersales.parts.models import ZERO, Balance, Location, Movement, PeriodBalance, PeriodClose
from aftersales.service.models import WorkOrder
from aftersales.service.numbering import formatted, next_number
from aftersales.service.spares import service_request_spare_on_site

CENT = Decimal("0.01")
Kind = Movement.Kind


def _quantity(item: PartItem, value: Any, field: str = "quantity") -> Decimal:
    """A positive quantity; whole for items counted in units (R-SP-1)."""
    try:
        quantity = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: _("Give the quantity as a number.")}) from None
    if not quantity.is_finite() or quantity <= 0:
        raise ValidationError({field: _("The quantity must be more than zero.")})
    if item.whole_units and quantity != quantity.to_integral_value():
        raise ValidationError(
            {field: _("%(item)s is counted in whole %(unit)s.") % {"item": item, "unit": item.unit}}
        )
    if quantity != quantity.quantize(Decimal("0.001")) or quantity >= Decimal("1e10"):
        raise ValidationError({field: _("Give at most three decimals and under ten billion.")})
    return quantity


def _when(at: dt.datetime | None) -> dt.datetime:
    """The movement's date: now, or a past document date in a month still open."""
    now = timezone.now()
    at = at or now
    check_past(at, "at")
    last = PeriodClose.objects.order_by("-month").values_list("month", flat=True).first()
    if last is not None and month_of(at) <= last:
        raise ConflictError(
            _("Stock for %(month)s is closed; nothing can be booked in it or before it.")
            % {"month": f"{last:%Y-%m}"}
        )
    return at


def _locked(item: PartItem, location: Location) -> Balance:
    for _attempt in range(3):
        found = Balance.objects.select_for_update().filter(item=item, location=location).first()
        if found is not None:
            return found
        try:
            with transaction.atomic():  # a savepoint: a lost creation race is retried
                Balance.objects.create(item=item, location=location)
        except IntegrityError:
            pass
    raise RuntimeError("could not lock the stock balance")


def _lock_all(pairs: Iterable[tuple[PartItem, Location]]) -> dict[tuple[int, int], Balance]:
    """Lock several balances in one fixed order, so that concurrent writers never deadlock."""
    ordered = sorted({(i.pk, loc.pk): (i, loc) for i, loc in pairs}.items())
    return {key: _locked(item, location) for key, (item, location) in ordered}


def _out_value(balance: Balance, quantity: Decimal) -> Decimal:
    if quantity >= balance.quantity:
        return balance.value
    return (balance.value * quantity / balance.quantity).quantize(CENT)


def _post(
    balance: Balance,
    *,
    kind: str,
    quantity: Decimal,
    value: Decimal,
    at: dt.datetime,
    document: str,
    reason: str,
    actor: User | None,
    work_order: WorkOrder | None = None,
) -> Movement:
    """Book one signed ledger row and move the (locked) balance with it."""
    if balance.quantity + quantity < 0:
        raise ValidationError(
            {
                "quantity": _("Only %(n)s %(unit)s of %(item)s on hand at %(location)s.")
                % {
                    "n": balance.quantity.normalize(),
                    "unit": balance.item.unit,
                    "item": balance.item,
                    "location": balance.location,
                }
            }
        )
    balance.quantity += quantity
    balance.value += value
    balance.save(update_fields=["quantity", "value"])
    return Movement.objects.create(
        item=balance.item,
        location=balance.location,
        kind=kind,
        quantity=quantity,
        value=value,
        at=at,
        month=month_of(at),
        document=document[:50],
        reason=reason[:300],
        actor=actor,
        work_order=work_order,
    )


def _document(prefix: str, document: str, at: dt.datetime) -> str:
    """The caller's document number (a supplier's delivery note), else one of ours."""
    if document.strip():
        return document.strip()
    year = timezone.localtime(at).year
    return formatted(prefix, year, next_number(f"{prefix}-{year}"))


def _may_use(actor: User, location: Location) -> None:
    """A technician books only in their own kit; the warehouse and managers anywhere."""
    if actor.is_superuser or actor.has_role(Role.WAREHOUSE, Role.SERVICE_MANAGER):
        return
    if location.kind == Location.Kind.KIT and location.holder_id == actor.pk:
        return
    raise ValidationError({"location": _("You may book stock only in your own kit.")})


def _active(location: Location, field: str = "location") -> None:
    if not location.is_active:
        raise ValidationError({field: _("%(location)s is not in use.") % {"location": location}})


@transaction.atomic
def stock_receive(
    *,
    actor: User,
    item: PartItem,
    location: Location,
    quantity: Any,
    unit_cost: Any,
    document: str = "",
    reason: str = "",
    at: dt.datetime | None = None,
) -> Movement:
    """Goods in (入库) at their purchase cost, booked by the warehouse (or a manager)
    against the supplier's delivery note: no one books stock into their own kit."""
    if not (actor.is_superuser or actor.has_role(Role.WAREHOUSE, Role.SERVICE_MANAGER)):
        raise ValidationError({"location": _("Receipts are booked by the warehouse.")})
    if not document.strip():
        raise ValidationError({"document": _("Give the supplier's delivery note number.")})
    amount = _quantity(item, quantity)
    try:
        cost = Decimal(str(unit_cost))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({"unit_cost": _("Give the unit cost as a number.")}) from None
    if not cost.is_finite() or cost < 0 or cost >= Decimal("1e12"):
        raise ValidationError({"unit_cost": _("The unit cost cannot be negative.")})
    _active(location)
    _may_use(actor, location)
    at = _when(at)
    balance = _locked(item, location)
    return _post(
        balance,
        kind=Kind.RECEIPT,
        quantity=amount,
        value=(amount * cost).quantize(CENT),
        at=at,
        document=_document("RK", document, at),
        reason=reason or pgettext("stock", "Received"),
        actor=actor,
    )


def _issuable(order: WorkOrder) -> WorkOrder:
    order = WorkOrder.objects.select_related("service_request").get(pk=order.pk)
    if order.status == WorkOrder.Status.VOID:
        raise ConflictError(_("The order is void; no parts can be booked to it."))
    return order


@transaction.atomic
def stock_issue(
    *,
    actor: User,
    work_order: WorkOrder,
    item: PartItem,
    location: Location,
    quantity: Any,
    reason: str = "",
) -> Movement:
    """Parts used on a work order (领用), from the depot or the technician's kit."""
    amount = _quantity(item, quantity)
    _may_use(actor, location)
    order = _issuable(work_order)
    at = _when(None)
    balance = _locked(item, location)
    service_request_spare_on_site(actor=actor, request=order.service_request, at=at)
    return _post(
        balance,
        kind=Kind.ISSUE,
        quantity=-amount,
        value=-_out_value(balance, amount),
        at=at,
        document=order.number,
        reason=reason or _("Used on %(order)s") % {"order": order.number},
        actor=actor,
        work_order=order,
    )


@transaction.atomic
def stock_return(
    *,
    actor: User,
    work_order: WorkOrder,
    item: PartItem,
    location: Location,
    quantity: Any,
    reason: str = "",
) -> Movement:
    """Unused parts back from a work order (退库), at most what it took."""
    amount = _quantity(item, quantity)
    _may_use(actor, location)
    _active(location)
    order = _issuable(work_order)
    at = _when(None)
    net = Movement.objects.filter(
        work_order=order, item=item, kind__in=[Kind.ISSUE, Kind.RETURN]
    ).aggregate(quantity=Sum("quantity"), value=Sum("value"))
    taken, issued_value = -(net["quantity"] or ZERO), -(net["value"] or ZERO)
    if amount > taken:
        raise ValidationError(
            {
                "quantity": _("%(order)s took %(n)s %(unit)s of %(item)s; no more can come back.")
                % {"order": order.number, "n": taken.normalize(), "unit": item.unit, "item": item}
            }
        )
    value = issued_value if amount == taken else (issued_value * amount / taken).quantize(CENT)
    balance = _locked(item, location)
    return _post(
        balance,
        kind=Kind.RETURN,
        quantity=amount,
        value=value,
        at=at,
        document=order.number,
        reason=reason or _("Returned from %(order)s") % {"order": order.number},
        actor=actor,
        work_order=order,
    )


@transaction.atomic
def stock_transfer(
    *,
    actor: User,
    item: PartItem,
    source: Location,
    target: Location,
    quantity: Any,
    reason: str = "",
    document: str = "",
) -> tuple[Movement, Movement]:
    """Stock from one place to another (调拨), at its cost; two rows, one document."""
    amount = _quantity(item, quantity)
    if source.pk == target.pk:
        raise ValidationError({"target": _("Choose a different place to move the stock to.")})
    _active(target, "target")
    if not (actor.is_superuser or actor.has_role(Role.WAREHOUSE, Role.SERVICE_MANAGER)):
        raise ValidationError({"source": _("Only the warehouse moves stock between places.")})
    at = _when(None)
    balances = _lock_all([(item, source), (item, target)])
    out, into = balances[(item.pk, source.pk)], balances[(item.pk, target.pk)]
    number = _document("DB", document, at)
    value = _out_value(out, amount)
    why = reason or pgettext("stock", "Transfer")
    sent = _post(
        out,
        kind=Kind.TRANSFER_OUT,
        quantity=-amount,
        value=-value,
        at=at,
        document=number,
        reason=why,
        actor=actor,
    )
    came = _post(
        into,
        kind=Kind.TRANSFER_IN,
        quantity=amount,
        value=value,
        at=at,
        document=number,
        reason=why,
        actor=actor,
    )
    return sent, came


@transaction.atomic
def stock_write_off(
    *, actor: User, item: PartItem, location: Location, quantity: Any, reason: str
) -> Movement:
    """Stock that is lost or cannot be used (报废), with the reason."""
    amount = _quantity(item, quantity)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the stock is written off.")})
    if not (actor.is_superuser or actor.has_role(Role.WAREHOUSE, Role.SERVICE_MANAGER)):
        raise ValidationError({"location": _("Only the warehouse writes stock off.")})
    at = _when(None)
    balance = _locked(item, location)
    return _post(
        balance,
        kind=Kind.WRITE_OFF,
        quantity=-amount,
        value=-_out_value(balance, amount),
        at=at,
        document=_document("BF", "", at),
        reason=reason.strip(),
        actor=actor,
    )


def _counted(item: PartItem, value: Any) -> Decimal:
    """A counted quantity: zero, or a quantity as ``_quantity`` accepts it."""
    if str(value).strip() in ("0", "0.0", "0.000"):
        return ZERO
    try:
        return _quantity(item, value, "lines")
    except ValidationError:
        raise ValidationError(
            {"lines": _("Give the counted quantity of %(item)s.") % {"item": item}}
        ) from None


@transaction.atomic
def stock_count(
    *, actor: User, location: Location, counts: dict[PartItem, Any], note: str = ""
) -> list[Movement]:
    """A stock count (盘点): what was counted replaces what the books say, and each
    difference is booked (gains at the average cost, or the list price if none)."""
    if not counts:
        raise ValidationError({"lines": _("Count at least one item.")})
    if not (actor.is_superuser or actor.has_role(Role.WAREHOUSE, Role.SERVICE_MANAGER)):
        raise ValidationError({"location": _("Only the warehouse books a stock count.")})
    counted = {item: _counted(item, value) for item, value in counts.items()}
    at = _when(None)
    balances = _lock_all((item, location) for item in counted)
    number = _document("PD", "", at)
    booked = []
    for item, amount in counted.items():
        balance = balances[(item.pk, location.pk)]
        difference = amount - balance.quantity
        if difference == 0:
            continue
        if difference < 0:
            value = -_out_value(balance, -difference)
        else:
            cost = balance.unit_cost if balance.quantity else item.unit_price
            value = (difference * cost).quantize(CENT)
        booked.append(
            _post(
                balance,
                kind=Kind.COUNT,
                quantity=difference,
                value=value,
                at=at,
                document=number,
                reason=note or _("Stock count"),
                actor=actor,
            )
        )
    return booked


# --- month end (R-SP-4) -------------------------------------------------------------------


@transaction.atomic
def period_close(*, actor: User, month: dt.date) -> PeriodClose:
    """Close a month with finance (月结): its figures are kept and it takes no more
    movements. Months close in order, and only once they are over.

    A stock month's whole life: open (no row) → closed (its ``PeriodClose`` row, which
    records who closed it and when); a closed month never opens again."""
    month = month.replace(day=1)
    if not (actor.is_superuser or actor.has_perm("parts.close_period")):
        raise ValidationError({"month": _("Only finance or the service manager closes a month.")})
    next_month_ = next_month(month)
    if timezone.localdate() < next_month_:
        raise ConflictError(_("%(month)s is not over yet.") % {"month": f"{month:%Y-%m}"})
    last = PeriodClose.objects.select_for_update().order_by("-month").first()
    if last is not None and month <= last.month:
        raise ConflictError(_("%(month)s is already closed.") % {"month": f"{month:%Y-%m}"})
    earlier_open = Movement.objects.filter(month__lt=month)
    if last is not None:
        earlier_open = earlier_open.filter(month__gt=last.month)
    if earlier_open.exists():
        raise ConflictError(_("Close the earlier months first."))
    from aftersales.parts.selectors import reconciliation

    period = PeriodClose.objects.create(month=month, closed_at=timezone.now(), closed_by=actor)
    PeriodBalance.objects.bulk_create(
        PeriodBalance(
            period=period, item_id=row.item_id, quantity=row.closing_qty, value=row.closing_value
        )
        for row in reconciliation(month)
        if row.closing_qty or row.closing_value
    )
    return period


# --- places -------------------------------------------------------------------------------


@transaction.atomic
def location_create(
    *,
    actor: User | None,
    code: str,
    name: str,
    kind: str = Location.Kind.DEPOT,
    holder: User | None = None,
) -> Location:
    """A place that holds stock; a technician's kit names the technician who holds it."""
    if kind == Location.Kind.KIT and holder is None:
        raise ValidationError({"holder": _("Say which technician holds the kit.")})
    if holder is not None and not holder.is_active:
        raise ValidationError({"holder": _("%(user)s is no longer active.") % {"user": holder}})
    location = Location(code=code.strip(), name=name.strip(), kind=kind, holder=holder)
    if Location.objects.filter(code=location.code).exists():
        raise ValidationError({"code": _("A place with this code already exists.")})
    save_audited(location, actor=actor, reason="created")
    return location
