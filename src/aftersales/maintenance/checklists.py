"""Checklists: what an inspection checks, per product model or contract level.

A checklist that an inspection used is never edited in place: saving a change
makes the next version, and the records that used the old one keep reading it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.common.audit import save_audited
from aftersales.common.validation import CONTROL
from aftersales.customers.models import Equipment, MaintenanceContract, ProductModel
from aftersales.maintenance.models import ChecklistItem, ChecklistTemplate, Inspection, ItemKind

MAX_ITEMS = 60
LIMIT = Decimal("999999999")


def checklist_for(equipment: Equipment, level: str = "") -> ChecklistTemplate | None:
    """The current checklist that fits the unit best: its model and the contract's
    level, then its model, then the level, then one for everything."""
    candidates = ChecklistTemplate.objects.filter(is_current=True).filter(
        Q(product_model=equipment.product_model_id) | Q(product_model__isnull=True),
        Q(level=level) | Q(level=""),
    )

    def fit(template: ChecklistTemplate) -> tuple[int, int, int]:
        return (template.product_model_id is not None, template.level != "", -template.pk)

    return max(candidates, key=fit, default=None)


def checklists_fitting(equipment: Equipment) -> list[ChecklistTemplate]:
    """The current checklists an inspection of the unit may use: its model's, then those
    for every model, oldest first within each."""
    found = ChecklistTemplate.objects.filter(is_current=True).filter(
        Q(product_model=equipment.product_model_id) | Q(product_model__isnull=True)
    )
    return sorted(found, key=lambda t: (t.product_model_id is None, t.pk))


def level_of(equipment: Equipment, on: Any) -> str:
    """The level of the maintenance contract covering the unit on ``on``, or ""."""
    contract = MaintenanceContract.objects.covering(on).filter(equipment=equipment).first()
    return contract.level if contract else ""


def _clean_items(items: list[dict[str, Any]]) -> list[ChecklistItem]:
    errors: dict[str, str] = {}
    seen: set[str] = set()
    clean = []
    if not items:
        errors["items"] = _("A checklist needs at least one item.")
    if len(items) > MAX_ITEMS:
        errors["items"] = _("A checklist has at most %(n)s items.") % {"n": MAX_ITEMS}
    for n, row in enumerate(items[:MAX_ITEMS], start=1):
        code = str(row.get("code", "")).strip()
        text = str(row.get("text", "")).strip()
        kind = row.get("kind") or ItemKind.CHECK
        low, high = row.get("low"), row.get("high")
        where = _("Item %(n)s") % {"n": n}
        if not code or not text:
            errors[f"items-{n}"] = _("%(where)s: give a code and what to do.") % {"where": where}
        elif code.upper() in seen:
            errors[f"items-{n}"] = _("%(where)s: the code %(code)s is used twice.") % {
                "where": where,
                "code": code,
            }
        elif CONTROL.search(code + text + str(row.get("unit", ""))):
            errors[f"items-{n}"] = _("%(where)s: remove the control characters.") % {"where": where}
        elif kind not in ItemKind.values:
            errors[f"items-{n}"] = _("%(where)s: choose the kind.") % {"where": where}
        elif kind == ItemKind.MEASURE and (low is None and high is None):
            errors[f"items-{n}"] = _("%(where)s: a measurement needs its acceptable range.") % {
                "where": where
            }
        elif any(v is not None and abs(v) > LIMIT for v in (low, high)):
            errors[f"items-{n}"] = _("%(where)s: the range is too large.") % {"where": where}
        elif low is not None and high is not None and low > high:
            errors[f"items-{n}"] = _(
                "%(where)s: the lowest acceptable value is above the highest."
            ) % {"where": where}
        seen.add(code.upper())
        measured = kind == ItemKind.MEASURE
        clean.append(
            ChecklistItem(
                position=n,
                code=code[:10],
                text=text[:200],
                kind=kind,
                unit=str(row.get("unit", "")).strip()[:20] if measured else "",
                low=low if measured else None,
                high=high if measured else None,
            )
        )
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def checklist_save(
    *,
    actor: User,
    template: ChecklistTemplate | None,
    name: str,
    items: list[dict[str, Any]],
    product_model: ProductModel | None = None,
    level: str = "",
) -> ChecklistTemplate:
    """Create a checklist, or change one: in place while no inspection used it, else as
    its next version (the old version stops being offered)."""
    name = name.strip()
    if not name or CONTROL.search(name):
        raise ValidationError({"name": _("Give the checklist a name.")})
    if level and level not in MaintenanceContract.Level.values:
        raise ValidationError({"level": _("Choose a contract level.")})
    clean = _clean_items(items)
    if template is not None:
        template = ChecklistTemplate.objects.select_for_update().get(pk=template.pk)
        if not template.is_current:
            raise ValidationError({"name": _("This is an old version; change the current one.")})
    if template is not None and not Inspection.objects.filter(template=template).exists():
        template.name, template.product_model, template.level = name[:100], product_model, level
        save_audited(template, actor=actor, reason="changed")
        template.items.all().delete()
    else:
        version = 1
        if template is not None:
            template.is_current = False
            save_audited(template, actor=actor, reason="replaced by a new version")
            version = template.version + 1
        elif ChecklistTemplate.objects.filter(name=name).exists():
            raise ValidationError({"name": _("A checklist of this name exists.")})
        template = ChecklistTemplate(
            name=name[:100], version=version, product_model=product_model, level=level
        )
        save_audited(template, actor=actor, reason=f"version {version}")
    for item in clean:
        item.template = template
    ChecklistItem.objects.bulk_create(clean)
    return template
