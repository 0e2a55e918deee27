"""Backup units (备机, R-SP-2, R-SP-3): lend, take back, repair, write off, keep the baseline.

A unit is lent to a customer while theirs is repaired; its return is a tracked
time limit (SP.BACKUP_RETURN). Lent for a request that was decided to be
swapped, it is the spare on site and meets SR.SPARE. A customer's replaced unit
comes in for repair and then serves as a backup unit; one that cannot be
repaired is written off, and the baseline per model shows what must be bought.

The life of a backup unit (``BACKUP_LIFE``):

============  ==========================================
available     lent, in repair, written off
lent          available (returned), in repair (returned broken)
in repair     available (repaired), written off
written off   —
============  ==========================================
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.common.audit import save_audited
from aftersales.common.exceptions import ConflictError
from aftersales.common.lifecycle import Lifecycle
from aftersales.customers.models import Customer, Equipment, ProductModel
from aftersales.obligations import services as obligations
from aftersales.parts.models import BackupBaseline, BackupLoan, BackupUnit, Location
from aftersales.service.models import ServiceRequest
from aftersales.service.spares import service_request_spare_on_site

Status = BackupUnit.Status

BACKUP_LIFE = Lifecycle(
    "parts.backupunit",
    {
        Status.AVAILABLE: {Status.LENT, Status.IN_REPAIR, Status.WRITTEN_OFF},
        Status.LENT: {Status.AVAILABLE, Status.IN_REPAIR},
        Status.IN_REPAIR: {Status.AVAILABLE, Status.WRITTEN_OFF},
        Status.WRITTEN_OFF: set(),
    },
)


def _locked(unit: BackupUnit) -> BackupUnit:
    return BackupUnit.objects.select_for_update().select_related("product_model").get(pk=unit.pk)


def backup_unit_transition(
    unit: BackupUnit, to: str, *, actor: User | None, reason: str
) -> BackupUnit:
    """The one way a backup unit's status changes (409 unless BACKUP_LIFE allows it)."""
    BACKUP_LIFE.move(unit, to, actor=actor, note=reason, reason=reason)
    return unit


@transaction.atomic
def backup_unit_add(
    *,
    actor: User | None,
    serial_number: str,
    product_model: ProductModel,
    location: Location | None = None,
    origin: str = "",
    status: str = Status.AVAILABLE,
) -> BackupUnit:
    """A unit bought for lending, or taken back from a customer for repair."""
    serial = serial_number.strip()
    if not serial:
        raise ValidationError({"serial_number": _("Give the serial number.")})
    if BackupUnit.objects.filter(serial_number__iexact=serial).exists():
        raise ValidationError({"serial_number": _("This serial number is already a backup unit.")})
    unit = BackupUnit(
        serial_number=serial,
        product_model=product_model,
        location=location,
        origin=origin.strip()[:200],
        status=status,
    )
    save_audited(unit, actor=actor, reason="added")
    return unit


def backup_unit_from_replaced(
    *, actor: User | None, equipment: Equipment, location: Location | None = None
) -> BackupUnit:
    """A customer's unit replaced under 三包 or swapped: it goes to repair, then serves."""
    return backup_unit_add(
        actor=actor,
        serial_number=equipment.serial_number,
        product_model=equipment.product_model,
        location=location,
        origin=_("Replaced unit of %(customer)s") % {"customer": equipment.customer},
        status=Status.IN_REPAIR,
    )


@transaction.atomic
def backup_lend(
    *,
    actor: User,
    unit: BackupUnit,
    customer: Customer,
    service_request: ServiceRequest | None = None,
    note: str = "",
) -> BackupLoan:
    unit = _locked(unit)
    if unit.status != Status.AVAILABLE:
        raise ConflictError(
            _("%(unit)s is %(status)s and cannot be lent.")
            % {"unit": unit.serial_number, "status": unit.get_status_display()}
        )
    if service_request is not None and service_request.customer_id != customer.pk:
        raise ValidationError({"service_request": _("The request is another customer's.")})
    now = timezone.now()
    loan = BackupLoan.objects.create(
        unit=unit,
        customer=customer,
        service_request=service_request,
        lent_at=now,
        lent_by=actor,
        note=note.strip()[:300],
    )
    backup_unit_transition(unit, Status.LENT, actor=actor, reason=f"lent to {customer}")
    obligations.obligation_open(
        actor=actor, target=loan, rule="SP.BACKUP_RETURN", started_at=now, responsible=actor
    )
    if service_request is not None:
        service_request_spare_on_site(actor=actor, request=service_request, at=now)
    return loan


@transaction.atomic
def backup_return(
    *, actor: User, unit: BackupUnit, needs_repair: bool = False, note: str = ""
) -> BackupLoan:
    """The customer gives the unit back (meets SP.BACKUP_RETURN)."""
    unit = _locked(unit)
    loan = BackupLoan.objects.filter(unit=unit, returned_at__isnull=True).first()
    if unit.status != Status.LENT or loan is None:
        raise ConflictError(_("%(unit)s is not lent out.") % {"unit": unit.serial_number})
    now = timezone.now()
    loan.returned_at, loan.returned_by = now, actor
    if note.strip():
        loan.note = f"{loan.note} {note.strip()}".strip()[:300]
    loan.save(update_fields=["returned_at", "returned_by", "note"])
    obligations.obligations_meet(actor=actor, target=loan, at=now)
    backup_unit_transition(
        unit,
        Status.IN_REPAIR if needs_repair else Status.AVAILABLE,
        actor=actor,
        reason="returned" + (" for repair" if needs_repair else ""),
    )
    return loan


@transaction.atomic
def backup_repaired(*, actor: User, unit: BackupUnit) -> BackupUnit:
    unit = _locked(unit)
    if unit.status != Status.IN_REPAIR:
        raise ConflictError(_("%(unit)s is not in repair.") % {"unit": unit.serial_number})
    return backup_unit_transition(unit, Status.AVAILABLE, actor=actor, reason="repaired")


@transaction.atomic
def backup_write_off(*, actor: User, unit: BackupUnit, reason: str) -> BackupUnit:
    """A unit that cannot be repaired; the baseline then shows one to buy."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the unit is written off.")})
    unit = _locked(unit)
    if unit.status in (Status.LENT, Status.WRITTEN_OFF):
        raise ConflictError(
            _("%(unit)s is %(status)s and cannot be written off.")
            % {"unit": unit.serial_number, "status": unit.get_status_display()}
        )
    unit.note = reason.strip()[:300]
    return backup_unit_transition(
        unit, Status.WRITTEN_OFF, actor=actor, reason=f"written off: {reason}"
    )


@transaction.atomic
def backup_baseline_set(
    *, actor: User | None, product_model: ProductModel, quantity: int
) -> BackupBaseline:
    if quantity < 0:
        raise ValidationError({"quantity": _("The baseline cannot be negative.")})
    baseline = BackupBaseline.objects.filter(product_model=product_model).first()
    baseline = baseline or BackupBaseline(product_model=product_model)
    baseline.quantity = quantity
    save_audited(baseline, actor=actor, reason="baseline")
    return baseline
