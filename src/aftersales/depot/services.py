"""Depot repair of returned units (返修, R-WO-8).

The life of a batch (``BATCH_LIFE``) and of each unit in it (``UNIT_LIFE``):

==========  ===========================================
received    repaired (its last unit finished)
repaired    shipped
shipped     delivered (the customer has the units back)
delivered   —
==========  ===========================================

==========  ==========================
waiting     repaired, cannot be repaired
repaired    —
cannot …    —
==========  ==========================

Up to 10 units are repaired within 1 working day, up to 20 within 2, and so
on: DEPOT.REPAIR runs from receipt with the policy's amount times ceil(n/10).
It is met when the last unit is finished (repaired, or found beyond repair).
When the customer has the units back, the 3-day return visit starts
(the feedback app plans the return visit, FB.RETURN_VISIT, on that signal).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.common.audit import save_audited
from aftersales.common.exceptions import ConflictError
from aftersales.common.lifecycle import Lifecycle
from aftersales.common.validation import check_past
from aftersales.customers.models import Customer, Equipment
from aftersales.depot.models import RepairBatch, RepairUnit
from aftersales.obligations import services as obligations
from aftersales.service import signals
from aftersales.service.models import ServiceRequest
from aftersales.service.numbering import formatted, next_number

Status = RepairBatch.Status
UnitStatus = RepairUnit.Status

BATCH_LIFE = Lifecycle(
    "depot.repairbatch",
    {
        Status.RECEIVED: {Status.REPAIRED},
        Status.REPAIRED: {Status.SHIPPED},
        Status.SHIPPED: {Status.DELIVERED},
        Status.DELIVERED: set(),
    },
)
UNIT_LIFE = Lifecycle(
    "depot.repairunit",
    {
        UnitStatus.WAITING: {UnitStatus.REPAIRED, UnitStatus.UNREPAIRABLE},
        UnitStatus.REPAIRED: set(),
        UnitStatus.UNREPAIRABLE: set(),
    },
)
MAX_UNITS = 1000


def repair_batch_transition(
    batch: RepairBatch, to: str, *, actor: User | None, note: str = "", reason: str = ""
) -> None:
    """The one way a batch's status changes (409 unless BATCH_LIFE allows it)."""
    BATCH_LIFE.move(batch, to, actor=actor, note=note, reason=reason)


def repair_unit_transition(
    unit: RepairUnit, to: str, *, actor: User | None, note: str = ""
) -> None:
    """The one way a unit's status changes (409 unless UNIT_LIFE allows it)."""
    UNIT_LIFE.move(unit, to, actor=actor, note=note, reason="finished")


def _lines(customer: Customer, units: list[dict[str, Any]]) -> list[RepairUnit]:
    """The units as received: serial numbers once each, each with its fault; a serial
    we know must be this customer's."""
    if not units:
        raise ValidationError({"units": _("List at least one returned unit.")})
    if len(units) > MAX_UNITS:
        raise ValidationError({"units": _("At most %(n)s units in one batch.") % {"n": MAX_UNITS}})
    serials = [str(u.get("serial_number", "")).strip() for u in units]
    if any(not s for s in serials):
        raise ValidationError({"units": _("Every unit needs its serial number.")})
    if any(not str(u.get("fault", "")).strip() for u in units):
        raise ValidationError({"units": _("Say what is wrong with every unit.")})
    repeated = sorted({s for s in serials if serials.count(s) > 1})
    if repeated:
        raise ValidationError(
            {"units": _("Listed twice: %(serials)s.") % {"serials": ", ".join(repeated)}}
        )
    known = {
        e.serial_number.upper(): e
        for e in Equipment.objects.filter(serial_number__in=serials).select_related("customer")
    }
    foreign = [
        s for s in serials if s.upper() in known and known[s.upper()].customer_id != customer.pk
    ]
    if foreign:
        raise ValidationError(
            {
                "units": _("%(serials)s belong to another customer.")
                % {"serials": ", ".join(foreign)}
            }
        )
    return [
        RepairUnit(
            serial_number=serial[:100],
            equipment=known.get(serial.upper()),
            fault=str(unit["fault"]).strip()[:500],
        )
        for serial, unit in zip(serials, units, strict=True)
    ]


@transaction.atomic
def repair_batch_receive(
    *,
    actor: User,
    customer: Customer,
    units: list[dict[str, Any]],
    service_request: ServiceRequest | None = None,
    note: str = "",
    received_at: dt.datetime | None = None,
) -> RepairBatch:
    """Returned units received at the depot: numbered FX-…, DEPOT.REPAIR starts."""
    lines = _lines(customer, units)
    now = timezone.now()
    received_at = received_at or now
    check_past(received_at, "received_at")
    if service_request is not None and service_request.customer_id != customer.pk:
        raise ValidationError({"service_request": _("The request is another customer's.")})
    year = timezone.localtime(received_at).year
    batch = RepairBatch(
        number=formatted("FX", year, next_number(f"FX-{year}")),
        customer=customer,
        service_request=service_request,
        received_at=received_at,
        received_by=actor,
        note=note.strip()[:300],
    )
    save_audited(batch, actor=actor, reason="received")
    for line in lines:
        line.batch = batch
    RepairUnit.objects.bulk_create(lines)
    obligations.obligation_open(
        actor=actor,
        target=batch,
        rule="DEPOT.REPAIR",
        started_at=received_at,
        factor=math.ceil(len(lines) / 10),
    )
    return batch


def _locked(batch: RepairBatch) -> RepairBatch:
    return RepairBatch.objects.select_for_update().get(pk=batch.pk)


@transaction.atomic
def repair_unit_finish(*, actor: User, unit: RepairUnit, repaired: bool, result: str) -> RepairUnit:
    """One unit done: repaired, or beyond repair. The last one meets DEPOT.REPAIR."""
    if not result.strip():
        raise ValidationError({"result": _("Say what was done or why it cannot be repaired.")})
    batch = _locked(unit.batch)
    unit = RepairUnit.objects.select_for_update().get(pk=unit.pk)
    if unit.status != UnitStatus.WAITING:
        raise ConflictError(_("%(unit)s is already finished.") % {"unit": unit.serial_number})
    now = timezone.now()
    unit.result, unit.finished_at, unit.finished_by = result.strip()[:500], now, actor
    repair_unit_transition(
        unit,
        UnitStatus.REPAIRED if repaired else UnitStatus.UNREPAIRABLE,
        actor=actor,
        note=unit.result,
    )
    if not batch.units.filter(status=UnitStatus.WAITING).exists():
        repair_batch_transition(batch, Status.REPAIRED, actor=actor, reason="all units finished")
        obligations.obligations_meet(actor=actor, target=batch, at=now, rule="DEPOT.REPAIR")
    return unit


@transaction.atomic
def repair_batch_ship(*, actor: User, batch: RepairBatch, note: str = "") -> RepairBatch:
    batch = _locked(batch)
    if batch.status != Status.REPAIRED:
        raise ConflictError(_("Every unit must be finished before the batch is shipped."))
    batch.shipped_at = timezone.now()
    if note.strip():
        batch.note = f"{batch.note} {note.strip()}".strip()[:300]
    repair_batch_transition(batch, Status.SHIPPED, actor=actor, note=note, reason="shipped")
    return batch


@transaction.atomic
def repair_batch_delivered(
    *, actor: User, batch: RepairBatch, at: dt.datetime | None = None
) -> RepairBatch:
    """The customer has the units back: the return visit is planned (FB.RETURN_VISIT)."""
    batch = _locked(batch)
    if batch.status != Status.SHIPPED:
        raise ConflictError(_("Only a shipped batch can be received by the customer."))
    now = timezone.now()
    at = at or now
    if at > now or (batch.shipped_at and at < batch.shipped_at):
        raise ValidationError({"at": _("Give when the customer received the units.")})
    batch.delivered_at = at
    repair_batch_transition(batch, Status.DELIVERED, actor=actor, reason="delivered")
    signals.announce_delivered(batch=batch, actor=actor, at=at)
    return batch
