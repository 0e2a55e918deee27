"""Delivery, installation and commissioning (R-PM-4; seed 001 第3-4章, seed 003 篇三):
call the customer ahead, deliver, unpack and inspect with them (开箱验收), install and
commission within PM.COMMISSION of the arrival, and both sign the acceptance, whose
date starts the unit's warranty. A follow-up call scores the installer.

The life of an installation (``INSTALLATION_LIFE``):

============  ====================================================
planned       delivered (arrived on site: PM.COMMISSION starts), cancelled
delivered     commissioned (unpacked complete and undamaged; meets PM.COMMISSION),
              cancelled
commissioned  accepted (both signed: the acceptance date set on the unit)
accepted      —
cancelled     —
============  ====================================================
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import User, phone_validator
from aftersales.accounts.roles import Role
from aftersales.common.audit import save_audited
from aftersales.common.exceptions import ConflictError
from aftersales.common.lifecycle import Lifecycle
from aftersales.common.validation import FIRST_DAY, LAST_DAY, check_past, typed_text
from aftersales.customers.models import Equipment
from aftersales.customers.services import equipment_update
from aftersales.maintenance import signing
from aftersales.maintenance.models import Installation
from aftersales.obligations import services as obligations
from aftersales.returns.models import UnpackingInspection
from aftersales.returns.services import unpacking_record
from aftersales.service.numbering import formatted, next_number

Status = Installation.Status
INSTALLATION_LIFE = Lifecycle(
    "maintenance.installation",
    {
        Status.PLANNED: {Status.DELIVERED, Status.CANCELLED},
        Status.DELIVERED: {Status.COMMISSIONED, Status.CANCELLED},
        Status.COMMISSIONED: {Status.ACCEPTED},
        Status.ACCEPTED: set(),
        Status.CANCELLED: set(),
    },
)


@transaction.atomic
def installation_plan(
    *,
    actor: User,
    equipment: Equipment,
    installer: User,
    planned_on: dt.date,
    contact_name: str,
    contact_phone: str,
) -> Installation:
    """Plan a unit's delivery and installation, and who installs it (dispatched like a
    work order: it is on the installer's home)."""
    errors: dict[str, Any] = {}
    contact_name = typed_text(contact_name, "contact_name", 50, errors, required=True)
    contact_phone = (contact_phone or "").strip()
    try:
        phone_validator(contact_phone)
    except ValidationError:
        errors["contact_phone"] = _("Enter a phone number: digits, spaces, hyphens, optional +.")
    if not FIRST_DAY <= planned_on <= LAST_DAY:
        errors["planned_on"] = _("Give a date between 2000 and 2100.")
    if not installer.is_active or not installer.has_role(Role.TECHNICIAN):
        errors["installer"] = _("Choose a technician.")
    if equipment.retired_on is not None:
        errors["equipment"] = _("This unit is out of service.")
    if errors:
        raise ValidationError(errors)
    if equipment.accepted_on is not None:
        raise ConflictError(
            _("This unit was accepted on %(day)s: it is installed already.")
            % {"day": equipment.accepted_on.isoformat()}
        )
    if equipment.installations.exclude(status=Status.CANCELLED).exists():  # type: ignore[attr-defined]
        raise ConflictError(_("This unit already has its installation."))
    now = timezone.now()
    year = timezone.localtime(now).year
    installation = Installation(
        number=formatted("AZ", year, next_number(f"AZ-{year}")),
        customer_id=equipment.customer_id,
        equipment=equipment,
        installer=installer,
        planned_on=planned_on,
        contact_name=contact_name,
        contact_phone=contact_phone,
        created_at=now,
    )
    save_audited(installation, actor=actor, reason="planned")
    return installation


def _locked(installation: Installation) -> Installation:
    return (
        Installation.objects.select_for_update(of=("self",))
        .select_related("equipment", "customer", "installer", "unpacking")
        .get(pk=installation.pk)
    )


def _check_hand(actor: User, installation: Installation) -> None:
    if actor.pk != installation.installer_id and not actor.has_role(Role.SERVICE_MANAGER):
        raise ValidationError({"installer": _("Only the installer records the installation.")})


@transaction.atomic
def installation_call(*, actor: User, installation: Installation, note: str) -> Installation:
    """提前联系: the customer was called ahead of the delivery; what was agreed."""
    installation = _locked(installation)
    _check_hand(actor, installation)
    if installation.status != Status.PLANNED:
        raise ConflictError(_("The unit is already delivered."))
    errors: dict[str, Any] = {}
    installation.call_note = typed_text(note, "note", 300, errors, required=True)
    if errors:
        raise ValidationError(errors)
    installation.called_at = timezone.now()
    save_audited(installation, actor=actor, reason="called ahead")
    return installation


@transaction.atomic
def installation_deliver(
    *, actor: User, installation: Installation, at: dt.datetime | None = None
) -> Installation:
    """The unit arrived on site: commissioning is due within PM.COMMISSION."""
    installation = _locked(installation)
    _check_hand(actor, installation)
    at = at or timezone.now()
    check_past(at, "at", grace=dt.timedelta(minutes=5))
    if installation.called_at is None:
        raise ValidationError({"note": _("Call the customer ahead of the delivery first.")})
    installation.delivered_at = at
    INSTALLATION_LIFE.move(installation, Status.DELIVERED, actor=actor, reason="delivered")
    obligations.obligation_open(
        actor=actor,
        target=installation,
        rule="PM.COMMISSION",
        started_at=at,
        responsible=installation.installer,
    )
    return installation


@transaction.atomic
def installation_unpack(
    *, actor: User, installation: Installation, outcome: str, note: str = "", signed_by: str = ""
) -> UnpackingInspection:
    """开箱验收 with the customer: complete and undamaged is signed for; damaged or missing
    items are not, and commissioning waits for a complete delivery."""
    installation = _locked(installation)
    _check_hand(actor, installation)
    if installation.status != Status.DELIVERED:
        raise ConflictError(_("Unpack a delivered unit that is not commissioned yet."))
    found = unpacking_record(
        actor=actor,
        customer=installation.customer,
        equipment=installation.equipment,
        outcome=outcome,
        note=note,
        signed_by=signed_by,
    )
    installation.unpacking = found
    save_audited(installation, actor=actor, reason=f"unpacked: {outcome}")
    return found


@transaction.atomic
def installation_commission(
    *, actor: User, installation: Installation, commissioning: str
) -> Installation:
    """Installed and commissioned (tests passed): meets PM.COMMISSION."""
    installation = _locked(installation)
    _check_hand(actor, installation)
    if installation.status == Status.DELIVERED and (
        installation.unpacking is None
        or installation.unpacking.outcome != UnpackingInspection.Outcome.OK
    ):
        raise ConflictError(
            _("Commission a unit unpacked complete and undamaged with the customer.")
        )
    errors: dict[str, Any] = {}
    installation.commissioning = typed_text(
        commissioning, "commissioning", 4000, errors, required=True
    )
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    installation.commissioned_at = now
    INSTALLATION_LIFE.move(installation, Status.COMMISSIONED, actor=actor, reason="commissioned")
    obligations.obligations_meet(actor=actor, target=installation, at=now, rule="PM.COMMISSION")
    return installation


def signed_content(installation: Installation) -> dict[str, Any]:
    """What the acceptance (验收单) attests: the unit, the delivery and the tests."""
    return {
        "installation": installation.number,
        "equipment": installation.equipment.serial_number,
        "delivered_at": installation.delivered_at.isoformat() if installation.delivered_at else "",
        "commissioning": installation.commissioning,
    }


@transaction.atomic
def installation_sign(
    *, actor: User, installation: Installation, signer: str, signature: str, signed_by: str = ""
) -> Installation:
    """One side's signature on the acceptance; the second sets the unit's acceptance date
    (the day the customer signed), which starts its warranty."""
    installation = _locked(installation)
    _check_hand(actor, installation)
    if installation.status != Status.COMMISSIONED:
        raise ConflictError(_("The acceptance is signed once the unit is commissioned."))
    signing.sign(
        installation,
        actor=actor,
        signer=signer,
        signature=signature,
        signed_by=signed_by,
        staff_id=installation.installer_id,
        content=signed_content,
    )
    if not installation.signed_by_both:
        save_audited(installation, actor=actor, reason=f"signed by the {signer}")
        return installation
    assert installation.customer_signed_at is not None
    installation.accepted_on = timezone.localtime(installation.customer_signed_at).date()
    INSTALLATION_LIFE.move(installation, Status.ACCEPTED, actor=actor, reason="accepted")
    equipment = installation.equipment
    changes: dict[str, Any] = {"accepted_on": installation.accepted_on}
    if equipment.delivered_on is None and installation.delivered_at is not None:
        changes["delivered_on"] = timezone.localtime(installation.delivered_at).date()
    equipment_update(actor=actor, equipment=equipment, **changes)
    return installation


def changed_since_signed(installation: Installation) -> list[str]:
    return signing.changed_since_signed(installation, signed_content)


@transaction.atomic
def installation_score(
    *, actor: User, installation: Installation, score: int, note: str = ""
) -> Installation:
    """The follow-up call (回访) scores the installer, 1 to 5, once, recorded by someone
    other than the installer."""
    installation = _locked(installation)
    if installation.status != Status.ACCEPTED:
        raise ConflictError(_("The installer is scored after the acceptance."))
    if installation.score is not None:
        raise ConflictError(_("The installer has been scored already."))
    errors: dict[str, Any] = {}
    if actor.pk == installation.installer_id:
        errors["score"] = _("The installer does not record his own score.")
    if not isinstance(score, int) or not 1 <= score <= 5:
        errors["score"] = _("Give a score from 1 to 5.")
    installation.score_note = typed_text(note, "note", 300, errors, required=False)
    if errors:
        raise ValidationError(errors)
    installation.score, installation.scored_at = score, timezone.now()
    save_audited(installation, actor=actor, reason=f"scored {score}")
    return installation


@transaction.atomic
def installation_cancel(*, actor: User, installation: Installation, reason: str) -> Installation:
    installation = _locked(installation)
    errors: dict[str, Any] = {}
    installation.cancel_reason = typed_text(reason, "reason", 300, errors, required=True)
    if errors:
        raise ValidationError(errors)
    INSTALLATION_LIFE.move(installation, Status.CANCELLED, actor=actor, note=reason)
    obligations.obligations_cancel(actor=actor, target=installation, reason=reason)
    return installation
