"""Software upgrades (软件升级, seed 001 七 2 F and 七 5: "所有维护保养、抢修、软件升级、培训
等服务行为均有双方签字确认的表单"): what was upgraded on a unit, from which version to
which, and the customer's signature beside the technician's.

The life of an upgrade record (``UPGRADE_LIFE``):

=======  ===================================
open     signed (both sides), cancelled
signed   —
cancelled —
=======  ===================================
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role
from aftersales.common.audit import save_audited
from aftersales.common.exceptions import ConflictError
from aftersales.common.lifecycle import Lifecycle
from aftersales.common.validation import typed_text
from aftersales.customers.models import Equipment
from aftersales.maintenance import signing
from aftersales.maintenance.models import Upgrade
from aftersales.service.numbering import formatted, next_number

Status = Upgrade.Status
UPGRADE_LIFE = Lifecycle(
    "maintenance.upgrade",
    {
        Status.OPEN: {Status.SIGNED, Status.CANCELLED},
        Status.SIGNED: set(),
        Status.CANCELLED: set(),
    },
)


@transaction.atomic
def upgrade_record(
    *,
    actor: User,
    equipment: Equipment,
    software: str,
    from_version: str,
    to_version: str,
    changes: str,
) -> Upgrade:
    """The technician records an upgrade done on the unit; both sides sign it next."""
    errors: dict[str, Any] = {}
    software = typed_text(software, "software", 100, errors, required=True)
    from_version = typed_text(from_version, "from_version", 50, errors, required=True)
    to_version = typed_text(to_version, "to_version", 50, errors, required=True)
    changes = typed_text(changes, "changes", 2000, errors, required=True)
    if not errors and from_version == to_version:
        errors["to_version"] = _("The new version is the same as the old one.")
    if not actor.has_role(Role.TECHNICIAN, Role.SERVICE_MANAGER):
        errors["technician"] = _("Only a technician records an upgrade.")
    if equipment.retired_on is not None:
        errors["equipment"] = _("This unit is out of service.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    year = timezone.localtime(now).year
    upgrade = Upgrade(
        number=formatted("SJ", year, next_number(f"SJ-{year}")),
        equipment=equipment,
        customer_id=equipment.customer_id,
        technician=actor,
        done_at=now,
        software=software,
        from_version=from_version,
        to_version=to_version,
        changes=changes,
    )
    save_audited(upgrade, actor=actor, reason="recorded")
    return upgrade


def signed_content(upgrade: Upgrade) -> dict[str, Any]:
    return {
        "upgrade": upgrade.number,
        "equipment": upgrade.equipment.serial_number,
        "software": upgrade.software,
        "from": upgrade.from_version,
        "to": upgrade.to_version,
        "changes": upgrade.changes,
    }


def changed_since_signed(upgrade: Upgrade) -> list[str]:
    return signing.changed_since_signed(upgrade, signed_content)


@transaction.atomic
def upgrade_sign(
    *, actor: User, upgrade: Upgrade, signer: str, signature: str, signed_by: str = ""
) -> Upgrade:
    """One side's signature; with both, the record is signed and can no longer change."""
    upgrade = (
        Upgrade.objects.select_for_update(of=("self",))
        .select_related("equipment")
        .get(pk=upgrade.pk)
    )
    if actor.pk != upgrade.technician_id and not actor.has_role(Role.SERVICE_MANAGER):
        raise ValidationError({"technician": _("Only the technician of the upgrade records it.")})
    if upgrade.status != Status.OPEN:
        raise ConflictError(
            _("The upgrade record is %(status)s.") % {"status": upgrade.get_status_display()}
        )
    signing.sign(
        upgrade,
        actor=actor,
        signer=signer,
        signature=signature,
        signed_by=signed_by,
        staff_id=upgrade.technician_id,
        content=signed_content,
    )
    if upgrade.signed_by_both:
        UPGRADE_LIFE.move(upgrade, Status.SIGNED, actor=actor, reason="signed")
    else:
        save_audited(upgrade, actor=actor, reason=f"signed by the {signer}")
    return upgrade
