"""Writes to customers and equipment. Each is one transaction with an actor
and leaves a history row (who, when, what)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.common.audit import current_reason, save_audited
from aftersales.common.exceptions import ConflictError
from aftersales.customers import warranty
from aftersales.customers.models import (
    Contact,
    Customer,
    Equipment,
    FaultCode,
    MaintenanceContract,
    PartItem,
    ProductModel,
    Site,
)


def _assign(instance: Model, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        setattr(instance, name, value)


def _save_unique(instance: Model, *, actor: User | None, reason: str, field: str) -> None:
    """Save; a concurrent duplicate that slipped past full_clean is a field error too."""
    try:
        with transaction.atomic():
            save_audited(instance, actor=actor, reason=reason)
    except IntegrityError as error:
        raise ValidationError(
            {
                field: _("%(model)s with this %(field)s already exists.")
                % {
                    "model": instance._meta.verbose_name,
                    "field": getattr(instance._meta.get_field(field), "verbose_name", field),
                }
            }
        ) from error


# --- customers, sites, contacts ----------------------------------------------


@transaction.atomic
def customer_create(*, actor: User | None, name: str, **fields: Any) -> Customer:
    customer = Customer(name=name.strip() if isinstance(name, str) else name)
    _assign(customer, fields)
    _save_unique(customer, actor=actor, reason="created", field="name")
    return customer


@transaction.atomic
def customer_update(*, actor: User | None, customer: Customer, **fields: Any) -> Customer:
    _assign(customer, fields)
    _save_unique(customer, actor=actor, reason="updated", field="name")
    return customer


def _check_site(customer: Customer | None, site: Site | None) -> None:
    if site is not None and customer is not None and site.customer_id != customer.pk:
        raise ValidationError({"site": _("The site belongs to another customer.")})


@transaction.atomic
def site_create(*, actor: User | None, customer: Customer, name: str, address: str = "") -> Site:
    site = Site(customer=customer, name=name, address=address)
    save_audited(site, actor=actor, reason="created")
    return site


@transaction.atomic
def site_update(*, actor: User | None, site: Site, **fields: Any) -> Site:
    _assign(site, fields)
    save_audited(site, actor=actor, reason="updated")
    return site


@transaction.atomic
def contact_create(*, actor: User | None, customer: Customer, name: str, **fields: Any) -> Contact:
    contact = Contact(customer=customer, name=name)
    _assign(contact, fields)
    _check_site(customer, contact.site)
    save_audited(contact, actor=actor, reason="created")
    return contact


@transaction.atomic
def contact_update(*, actor: User | None, contact: Contact, **fields: Any) -> Contact:
    _assign(contact, fields)
    _check_site(contact.customer, contact.site)
    save_audited(contact, actor=actor, reason="updated")
    account = contact.user
    if "user" in fields and account is not None and not account.email and contact.email:
        # A new portal account can reset its password at the contact's known address.
        account.email = contact.email
        save_audited(account, actor=actor, reason="e-mail from contact")
    return contact


# --- catalogue -----------------------------------------------------------------


@transaction.atomic
def product_model_create(
    *, actor: User | None, code: str, name: str = "", **fields: Any
) -> ProductModel:
    model = ProductModel(code=code.strip(), name=(name or code).strip())
    _assign(model, fields)
    _save_unique(model, actor=actor, reason="created", field="code")
    return model


@transaction.atomic
def product_model_update(
    *, actor: User | None, product_model: ProductModel, **fields: Any
) -> ProductModel:
    _assign(product_model, fields)
    _save_unique(product_model, actor=actor, reason="updated", field="code")
    return product_model


@transaction.atomic
def fault_code_create(
    *, actor: User | None, product_model: ProductModel, code: str, name: str
) -> FaultCode:
    """A fault of the model (故障代码) that technicians choose at diagnosis."""
    errors = {}
    if not code.strip():
        errors["code"] = _("Give the fault code.")
    if not name.strip():
        errors["name"] = _("Describe the fault.")
    if errors:
        raise ValidationError(errors)
    if FaultCode.objects.filter(product_model=product_model, code__iexact=code.strip()).exists():
        raise ValidationError({"code": _("This model already has this fault code.")})
    fault = FaultCode(product_model=product_model, code=code.strip()[:30], name=name.strip()[:200])
    _save_unique(fault, actor=actor, reason="created", field="code")
    return fault


@transaction.atomic
def fault_code_rename(*, actor: User | None, fault_code: FaultCode, name: str) -> FaultCode:
    """A clearer description; the code stays, so repeats are still recognised (R-SR-8)."""
    if not name.strip():
        raise ValidationError({"name": _("Describe the fault.")})
    fault_code.name = name.strip()[:200]
    save_audited(fault_code, actor=actor, reason="renamed")
    return fault_code


def product_model_for_text(*, actor: User | None, text: str) -> ProductModel:
    """The model whose code or name is ``text``; a new catalogue entry if none is.

    Integrators send the model as the text printed on the unit; an unknown one
    is added to the catalogue (and audited) rather than refused.
    """
    text = text.strip()
    if not text:
        raise ValidationError({"product_model": _("This field may not be blank.")})
    found = (
        ProductModel.objects.filter(code__iexact=text).first()
        or ProductModel.objects.filter(name__iexact=text).order_by("pk").first()
    )
    if found is not None:
        return found
    try:
        return product_model_create(actor=actor, code=text, name=text)
    except ValidationError as error:
        raise ValidationError({"product_model": error.messages}) from error


@transaction.atomic
def part_item_create(
    *,
    actor: User | None,
    code: str,
    name: str,
    product_models: Iterable[ProductModel] = (),
    **fields: Any,
) -> PartItem:
    item = PartItem(code=code.strip(), name=name)
    _assign(item, fields)
    _save_unique(item, actor=actor, reason="created", field="code")
    item.product_models.set(list(product_models))
    return item


@transaction.atomic
def part_item_update(
    *,
    actor: User | None,
    part_item: PartItem,
    product_models: Iterable[ProductModel] | None = None,
    **fields: Any,
) -> PartItem:
    _assign(part_item, fields)
    _save_unique(part_item, actor=actor, reason="updated", field="code")
    if product_models is not None:
        part_item.product_models.set(list(product_models))
    return part_item


# --- equipment ------------------------------------------------------------------


def derive_periods(equipment: Equipment) -> None:
    if (
        equipment.accepted_on is not None
        and equipment.delivered_on is not None
        and equipment.accepted_on < equipment.delivered_on
    ):
        raise ValidationError(
            {"accepted_on": _("The acceptance date cannot be before the delivery date.")}
        )
    # Range errors are reported by full_clean with the field's own validators;
    # only derive the dates from values that are in range.
    if 0 <= equipment.warranty_months <= warranty.MAX_WARRANTY_MONTHS and (
        0 <= equipment.maintenance_months <= warranty.MAX_MAINTENANCE_MONTHS
    ):
        starts = equipment.accepted_on or equipment.purchased_on
        equipment.warranty_until = warranty.warranty_until(starts, equipment.warranty_months)
        equipment.maintenance_until = warranty.maintenance_until(
            starts, equipment.warranty_months, equipment.maintenance_months
        )


def _new_equipment(
    *,
    serial_number: str,
    customer: Customer,
    product_model: ProductModel,
    accepted_on: dt.date | None = None,
    warranty_months: int | None = None,
    maintenance_months: int | None = None,
    **fields: Any,
) -> Equipment:
    """A unit not yet saved: the model's default periods unless given, its warranty and
    maintenance dates derived, its site the customer's."""
    equipment = Equipment(
        serial_number=serial_number.strip(),
        customer=customer,
        product_model=product_model,
        accepted_on=accepted_on,
        warranty_months=(
            product_model.default_warranty_months if warranty_months is None else warranty_months
        ),
        maintenance_months=(
            product_model.default_maintenance_months
            if maintenance_months is None
            else maintenance_months
        ),
    )
    _assign(equipment, fields)
    _check_site(customer, equipment.site)
    derive_periods(equipment)
    return equipment


@transaction.atomic
def equipment_create(*, actor: User | None, **fields: Any) -> Equipment:
    equipment = _new_equipment(**fields)
    _save_unique(equipment, actor=actor, reason="created", field="serial_number")
    return equipment


@transaction.atomic
def equipment_create_many(
    *, actor: User | None, rows: list[dict[str, Any]], reason: str = "created"
) -> list[Equipment]:
    """Many units at once (an import): the same defaults, derived dates and checks as
    ``equipment_create``, each unit's fields validated without a query (the customer,
    model and site come as records), written in bulk with their history rows. A unit
    whose serial number is taken fails the whole call (IntegrityError): the caller
    tries those rows one by one to name it."""
    units = []
    for fields in rows:
        unit = _new_equipment(**fields)
        unit.clean_fields(exclude=["customer", "product_model", "site", "replaced_by"])
        units.append(unit)
    Equipment.objects.bulk_create(units, batch_size=500)
    Equipment.history.bulk_history_create(  # type: ignore[attr-defined]
        units,
        default_user=actor,
        default_change_reason=current_reason() or reason,
        batch_size=500,
    )
    return units


@transaction.atomic
def equipment_update(*, actor: User | None, equipment: Equipment, **fields: Any) -> Equipment:
    if "serial_number" in fields:
        fields["serial_number"] = fields["serial_number"].strip()
    _assign(equipment, fields)
    _check_site(equipment.customer, equipment.site)
    derive_periods(equipment)
    _save_unique(equipment, actor=actor, reason="updated", field="serial_number")
    return equipment


@transaction.atomic
def equipment_retire(
    *,
    actor: User | None,
    equipment: Equipment,
    reason: str,
    replaced_by: Equipment | None = None,
) -> Equipment:
    """Out of service for good (a refund takes it back, an exchange replaces it): it stays
    in the register with its history, marked retired, and takes no new service."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the unit is retired.")})
    equipment = Equipment.objects.select_for_update().get(pk=equipment.pk)
    if equipment.retired_on is not None:
        raise ConflictError(
            _("%(serial)s was already retired on %(on)s.")
            % {"serial": equipment.serial_number, "on": equipment.retired_on}
        )
    equipment.retired_on = timezone.localdate()
    equipment.retired_reason = reason.strip()[:200]
    equipment.replaced_by = replaced_by
    save_audited(equipment, actor=actor, reason="retired")
    return equipment


@transaction.atomic
def equipment_exchange(
    *, actor: User | None, old: Equipment, serial_number: str, reason: str
) -> Equipment:
    """The new unit of an exchange (换货) enters the register at the old one's customer and
    site, its warranty counted again from today (换货后三包有效期自换货之日起重新计算);
    the old one is retired, replaced by it. A unit already registered to the same
    customer under that serial (delivered by a sales order) is the one used."""
    serial_number = serial_number.strip()
    found = Equipment.objects.filter(serial_number__iexact=serial_number).first()
    if found is not None and (
        found.customer_id != old.customer_id
        or found.pk == old.pk
        or Equipment.objects.filter(replaced_by=found).exists()  # already another's new unit
    ):
        raise ValidationError(
            {"serial_number": _("This serial number is already registered to another unit.")}
        )
    if found is not None and found.retired_on is not None:
        raise ValidationError({"serial_number": _("This unit has been retired.")})
    today = timezone.localdate()
    new = found or equipment_create(
        actor=actor,
        serial_number=serial_number,
        customer=old.customer,
        product_model=old.product_model,
        site=old.site,
        batch_number="",
        delivered_on=today,
        accepted_on=today,
        installed_by_us=old.installed_by_us,
        notes=_("Exchanged for %(serial)s.") % {"serial": old.serial_number},
    )
    equipment_retire(actor=actor, equipment=old, reason=reason, replaced_by=new)
    return new


# --- maintenance contracts --------------------------------------------------------


def _check_contract(
    contract: MaintenanceContract, equipment: Iterable[Equipment]
) -> list[Equipment]:
    units = list(equipment)
    if contract.starts_on and contract.ends_on and contract.ends_on < contract.starts_on:
        raise ValidationError({"ends_on": _("A contract cannot end before it starts.")})
    foreign = [unit.serial_number for unit in units if unit.customer_id != contract.customer_id]
    if foreign:
        raise ValidationError(
            {
                "equipment": _("Equipment of another customer: %(serials)s")
                % {"serials": ", ".join(foreign)}
            }
        )
    return units


@transaction.atomic
def contract_create(
    *,
    actor: User | None,
    customer: Customer,
    number: str,
    starts_on: dt.date,
    ends_on: dt.date,
    equipment: Iterable[Equipment] = (),
    **fields: Any,
) -> MaintenanceContract:
    contract = MaintenanceContract(
        customer=customer, number=number.strip(), starts_on=starts_on, ends_on=ends_on
    )
    _assign(contract, fields)
    units = _check_contract(contract, equipment)
    _save_unique(contract, actor=actor, reason="created", field="number")
    contract.equipment.set(units)
    return contract


@transaction.atomic
def contract_update(
    *,
    actor: User | None,
    contract: MaintenanceContract,
    equipment: Iterable[Equipment] | None = None,
    **fields: Any,
) -> MaintenanceContract:
    _assign(contract, fields)
    units = _check_contract(contract, contract.equipment.all() if equipment is None else equipment)
    _save_unique(contract, actor=actor, reason="updated", field="number")
    contract.equipment.set(units)
    return contract
