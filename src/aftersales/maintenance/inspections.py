"""Inspections (巡检, R-PM-2; seed 003 篇一 §4: "完成现场设备和软件巡检后需配合招标人工程师
填写巡检记录表…巡检完成后三个工作日内提交巡检报告…提供设备和软件的升级、改造、更换的建议").

The technician fills every item of the checklist on site; a failed item or a
measurement outside its range is flagged and can become a service request on the
unit in one step. When every item is filled, both sides sign the record; the
second signature ends the inspection and starts PM.REPORT, which the report
(findings and advice) meets.

The life of an inspection (``INSPECTION_LIFE``):

===========  ===================================================
in_progress  finished (both signed), cancelled (with a reason)
finished     reported (the report issued: meets PM.REPORT)
reported     —
cancelled    —
===========  ===================================================
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
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
from aftersales.common.validation import CONTROL
from aftersales.customers.models import Equipment
from aftersales.maintenance import signing
from aftersales.maintenance.checklists import LIMIT, checklist_for, checklists_fitting, level_of
from aftersales.maintenance.models import (
    ChecklistTemplate,
    Inspection,
    InspectionItem,
    ItemKind,
    PlannedVisit,
    Result,
)
from aftersales.maintenance.plans import maintenance_visit_done
from aftersales.obligations import services as obligations
from aftersales.service.models import Channel, ServiceRequest, Severity
from aftersales.service.numbering import formatted, next_number

Status = Inspection.Status
INSPECTION_LIFE = Lifecycle(
    "maintenance.inspection",
    {
        Status.IN_PROGRESS: {Status.FINISHED, Status.CANCELLED},
        Status.FINISHED: {Status.REPORTED},
        Status.REPORTED: set(),
        Status.CANCELLED: set(),
    },
)


def _locked(inspection: Inspection) -> Inspection:
    return (
        Inspection.objects.select_for_update(of=("self",))
        .select_related("equipment", "customer", "technician", "visit")
        .get(pk=inspection.pk)
    )


def _check_hand(actor: User, inspection: Inspection) -> None:
    """The inspection's own technician fills and signs it; the service manager may help."""
    if actor.pk != inspection.technician_id and not actor.has_role(Role.SERVICE_MANAGER):
        raise ValidationError(
            {"technician": _("Only the technician of this inspection records it.")}
        )


@transaction.atomic
def inspection_start(
    *,
    actor: User,
    equipment: Equipment,
    visit: PlannedVisit | None = None,
    template: ChecklistTemplate | None = None,
    technician: User | None = None,
) -> Inspection:
    """Open an inspection of a unit with the checklist that fits it (or the one given),
    one line per item; a unit has one inspection in progress at a time."""
    now = timezone.now()
    technician = technician or actor
    errors: dict[str, str] = {}
    if equipment.retired_on is not None:
        errors["equipment"] = _("This unit is out of service.")
    if visit is not None and not visit.plan.contract.equipment.filter(pk=equipment.pk).exists():
        errors["visit"] = _("This unit is not covered by the visit's contract.")
    if not technician.has_role(Role.TECHNICIAN) and not technician.has_role(Role.SERVICE_MANAGER):
        errors["technician"] = _("Choose a technician.")
    template = template or checklist_for(equipment, level_of(equipment, now.date()))
    if template is None:
        errors["template"] = _("No checklist fits this unit: create one first.")
    elif not template.is_current:
        errors["template"] = _("This checklist was replaced by a newer version.")
    if errors:
        raise ValidationError(errors)
    assert template is not None
    if visit is not None and visit.status != PlannedVisit.Status.PLANNED:
        raise ConflictError(_("The visit is %(status)s.") % {"status": visit.get_status_display()})
    Equipment.objects.select_for_update().filter(pk=equipment.pk).first()
    if Inspection.objects.filter(equipment=equipment, status=Status.IN_PROGRESS).exists():
        raise ConflictError(_("This unit already has an inspection in progress."))
    year = timezone.localtime(now).year
    inspection = Inspection(
        number=formatted("XJ", year, next_number(f"XJ-{year}")),
        equipment=equipment,
        customer_id=equipment.customer_id,
        visit=visit,
        template=template,
        technician=technician,
        started_at=now,
    )
    save_audited(inspection, actor=actor, reason="started")
    InspectionItem.objects.bulk_create(
        InspectionItem(inspection=inspection, item=item) for item in template.items.all()
    )
    return inspection


@transaction.atomic
def inspection_checklist_change(
    *, actor: User, inspection: Inspection, template: ChecklistTemplate
) -> Inspection:
    """Use another current checklist that fits the unit, before anything is recorded:
    the lines are those of the new checklist."""
    inspection = _locked(inspection)
    _check_hand(actor, inspection)
    if inspection.status != Status.IN_PROGRESS or inspection.items.exclude(result="").exists():
        raise ConflictError(_("Items are recorded already: the checklist stays."))
    if template not in checklists_fitting(inspection.equipment):
        raise ValidationError({"template": _("Choose a current checklist for this unit.")})
    was = inspection.template
    inspection.template = template
    inspection.items.all().delete()
    InspectionItem.objects.bulk_create(
        InspectionItem(inspection=inspection, item=item) for item in template.items.all()
    )
    save_audited(inspection, actor=actor, reason=f"checklist {was.pk} → {template.pk}")
    return inspection


def _out_of_range(row: InspectionItem) -> bool:
    item = row.item
    value = row.measurement
    if item.kind != ItemKind.MEASURE or value is None:
        return False
    return (item.low is not None and value < item.low) or (
        item.high is not None and value > item.high
    )


def _signed(inspection: Inspection) -> bool:
    return bool(inspection.technician_signature or inspection.customer_signature)


@transaction.atomic
def inspection_record(
    *, actor: User, inspection: Inspection, rows: dict[int, dict[str, Any]]
) -> list[InspectionItem]:
    """Save what was found, item by item (``rows`` by item line id: result, measurement,
    remark). A measurement decides the result when none is given, and out of range fails
    the line even if it was ticked as passed; a failed line is flagged. Nothing changes
    once someone signed."""
    inspection = _locked(inspection)
    _check_hand(actor, inspection)
    if inspection.status != Status.IN_PROGRESS or _signed(inspection):
        raise ConflictError(_("The record is signed: it can no longer change."))
    lines = {row.pk: row for row in inspection.items.select_related("item")}
    errors: dict[str, str] = {}
    changed = []
    for pk, data in rows.items():
        row = lines.get(pk)
        if row is None:
            continue
        field = f"item-{pk}"
        result = data.get("result") or ""
        measurement = data.get("measurement")
        remark = str(data.get("remark") or "").strip()
        if result and result not in Result.values:
            errors[field] = _("%(code)s: choose a result.") % {"code": row.item.code}
            continue
        if measurement is not None and (
            not isinstance(measurement, Decimal)
            or not measurement.is_finite()
            or abs(measurement) > LIMIT
        ):
            errors[field] = _("%(code)s: the measurement must be a number.") % {
                "code": row.item.code
            }
            continue
        if len(remark) > 500 or CONTROL.search(remark):
            errors[field] = _("%(code)s: keep the remark under 500 plain characters.") % {
                "code": row.item.code
            }
            continue
        if measurement is not None and measurement.is_zero():
            measurement = Decimal(0)  # "-0" is 0
        row.measurement = measurement if row.item.kind == ItemKind.MEASURE else None
        row.remark = remark
        if row.measurement is not None and result != Result.NOT_APPLICABLE:
            # A number outside the acceptable range fails the item, whatever was ticked.
            if _out_of_range(row):
                result = Result.FAILED
            elif not result:
                result = Result.OK
        row.result = result
        row.flagged = result == Result.FAILED or _out_of_range(row)
        changed.append(row)
    if errors:
        raise ValidationError(errors)
    InspectionItem.objects.bulk_update(changed, ["result", "measurement", "remark", "flagged"])
    save_audited(inspection, actor=actor, reason=f"recorded {len(changed)} items")
    return changed


def missing_items(inspection: Inspection) -> list[InspectionItem]:
    """Lines still empty: no result, or a measurement item without its number."""
    return [
        row
        for row in inspection.items.select_related("item")
        if not row.result
        or (
            row.item.kind == ItemKind.MEASURE
            and row.result != Result.NOT_APPLICABLE
            and row.measurement is None
        )
    ]


def signed_content(inspection: Inspection) -> dict[str, Any]:
    """What a signature on the record attests: the unit and every line as found."""
    return {
        "inspection": inspection.number,
        "equipment": inspection.equipment.serial_number,
        "started_at": inspection.started_at.isoformat(),
        "items": [
            [row.item.code, row.result, str(row.measurement or ""), row.remark]
            for row in inspection.items.select_related("item").order_by("pk")
        ],
    }


def changed_since_signed(inspection: Inspection) -> list[str]:
    """Whose signature no longer matches the record ("customer", "technician")."""
    return signing.changed_since_signed(inspection, signed_content)


@transaction.atomic
def inspection_sign(
    *,
    actor: User,
    inspection: Inspection,
    signer: str,
    signature: str,
    signed_by: str = "",
) -> Inspection:
    """One side's signature under the filled record (双方签字). The second ends the
    inspection: PM.REPORT starts, and the plan's visit is done."""
    inspection = _locked(inspection)
    _check_hand(actor, inspection)
    if inspection.status != Status.IN_PROGRESS:
        raise ConflictError(
            _("The inspection is %(status)s.") % {"status": inspection.get_status_display()}
        )
    missing = missing_items(inspection)
    if missing:
        raise ValidationError(
            {
                "items": _("Fill every item before signing: %(codes)s.")
                % {"codes": "、".join(row.item.code for row in missing)}
            }
        )
    signing.sign(
        inspection,
        actor=actor,
        signer=signer,
        signature=signature,
        signed_by=signed_by,
        staff_id=inspection.technician_id,
        content=signed_content,
    )
    now = timezone.now()
    if inspection.technician_signature and inspection.customer_signature:
        inspection.finished_at = now
        INSPECTION_LIFE.move(inspection, Status.FINISHED, actor=actor, reason="signed")
        obligations.obligation_open(
            actor=actor,
            target=inspection,
            rule="PM.REPORT",
            started_at=now,
            responsible=inspection.technician,
        )
        if inspection.visit is not None:
            maintenance_visit_done(actor=actor, visit=inspection.visit)
    else:
        save_audited(inspection, actor=actor, reason=f"signed by the {signer}")
    return inspection


@transaction.atomic
def inspection_report_issue(
    *, actor: User, inspection: Inspection, findings: str, advice: str = ""
) -> Inspection:
    """The inspection report (巡检报告) with the findings and the advice on upgrade,
    modification or replacement: meets PM.REPORT."""
    inspection = _locked(inspection)
    _check_hand(actor, inspection)
    errors = {}
    if not findings.strip():
        errors["findings"] = _("Write what the inspection found.")
    for field, text in (("findings", findings), ("advice", advice)):
        if len(text) > 4000 or CONTROL.search(text):
            errors[field] = _("Keep it under 4000 plain characters.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    inspection.findings, inspection.advice = findings.strip(), advice.strip()
    inspection.reported_at = now
    INSPECTION_LIFE.move(inspection, Status.REPORTED, actor=actor, reason="report issued")
    obligations.obligations_meet(actor=actor, target=inspection, at=now, rule="PM.REPORT")
    return inspection


@transaction.atomic
def inspection_cancel(*, actor: User, inspection: Inspection, reason: str) -> Inspection:
    if not reason.strip() or CONTROL.search(reason):
        raise ValidationError({"reason": _("Say why the inspection is cancelled.")})
    inspection = _locked(inspection)
    _check_hand(actor, inspection)
    inspection.cancel_reason = reason.strip()[:300]
    INSPECTION_LIFE.move(inspection, Status.CANCELLED, actor=actor, note=reason)
    return inspection


def _caller(inspection: Inspection) -> tuple[str, str]:
    """Who the request's agent calls back: the customer's primary contact, else the
    technician who found the fault."""
    contact = inspection.customer.contacts.exclude(phone="").order_by("-is_primary", "pk").first()
    if contact is not None:
        return contact.name, contact.phone
    technician = inspection.technician
    name = technician.get_full_name() or technician.username
    return name[:50], technician.phone or inspection.customer.phone or "00000"


@transaction.atomic
def inspection_item_raise(
    *, actor: User, row: InspectionItem, severity: str = Severity.P3, note: str = ""
) -> ServiceRequest:
    """A flagged line becomes a service request on the unit (channel: found at an
    inspection), and the two are linked both ways."""
    from aftersales.service.service_requests import service_request_create

    row = (
        InspectionItem.objects.select_for_update(of=("self",)).select_related("item").get(pk=row.pk)
    )
    inspection = _locked(row.inspection)
    _check_hand(actor, inspection)
    if inspection.status == Status.CANCELLED:
        raise ConflictError(_("The inspection was cancelled."))
    if not row.flagged:
        raise ConflictError(_("Only a failed or out-of-range item becomes a repair."))
    if row.service_request_id is not None:
        raise ConflictError(_("This item is already a service request."))
    if severity not in Severity.values:
        raise ValidationError({"severity": _("Choose the severity.")})
    if len(note) > 1000 or CONTROL.search(note):
        raise ValidationError({"note": _("Keep the note under 1000 plain characters.")})
    name, phone = _caller(inspection)
    found = row.item.text
    if row.measurement is not None:
        found += _("; measured %(value)s, acceptable %(range)s") % {
            "value": f"{row.measurement.normalize():f}",
            "range": row.item.range_text,
        }
    description = _("Found at inspection %(number)s: %(code)s %(found)s") % {
        "number": inspection.number,
        "code": row.item.code,
        "found": found,
    }
    for extra in (row.remark, note.strip()):
        if extra:
            description += f"\n{extra}"
    request = service_request_create(
        actor=actor,
        customer=inspection.customer,
        channel=Channel.INSPECTION,
        severity=severity,
        caller_name=name,
        caller_phone=phone,
        description=description[:4000],
        serial_number=inspection.equipment.serial_number,
    )
    row.service_request = request
    row.save(update_fields=["service_request"])
    save_audited(inspection, actor=actor, reason=f"{row.item.code} → {request.number}")
    return request


def report_due_at(inspection: Inspection) -> dt.datetime | None:
    limit = next((o for o in inspection.obligations.all() if o.rule == "PM.REPORT"), None)
    return limit.due_at if limit is not None else None
