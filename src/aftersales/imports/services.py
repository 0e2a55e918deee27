"""Importing customers and units from a spreadsheet, with a dry run.

Each kind has its columns (the template's Chinese headers, or their English words) and
a natural key (a customer's name, a unit's serial number): a row whose record exists
updates it, one whose record is the same changes nothing, so importing a file twice
writes nothing the second time. Every bad row is reported (row number, column,
reason) and, unless the user chose to import the good rows, nothing is imported until
the file is clean. An imported record's history says which file it came from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import update_change_reason

from aftersales.accounts.models import User, phone_validator
from aftersales.customers import services as customers
from aftersales.customers.models import Customer, Equipment, ProductModel
from aftersales.customers.warranty import MAX_WARRANTY_MONTHS
from aftersales.imports.models import ImportRun
from aftersales.imports.readers import as_date, as_text, read_rows

YES = {"是", "y", "yes", "true", "1", "√"}


@dataclass(frozen=True)
class Column:
    field: str
    header: Any  # the template's header (translated), also read in English
    required: bool = False


KINDS: dict[str, list[Column]] = {
    ImportRun.Kind.CUSTOMERS: [
        Column("name", gettext_lazy("Customer name"), required=True),
        Column("region", gettext_lazy("Region")),
        Column("phone", gettext_lazy("Phone")),
        Column("address", gettext_lazy("Address")),
        Column("is_key_customer", gettext_lazy("Key customer (yes/no)")),
    ],
    ImportRun.Kind.EQUIPMENT: [
        Column("serial_number", gettext_lazy("Serial number"), required=True),
        Column("customer", gettext_lazy("Customer name"), required=True),
        Column("product_model", gettext_lazy("Model code"), required=True),
        Column("batch_number", gettext_lazy("Batch number")),
        Column("delivered_on", gettext_lazy("Delivery date")),
        Column("accepted_on", gettext_lazy("Acceptance date")),
        Column("warranty_months", gettext_lazy("Warranty (months)")),
    ],
}


class RowError(Exception):
    def __init__(self, column: Any, reason: str) -> None:
        super().__init__(reason)
        self.column, self.reason = str(column), reason


def _columns(kind: str, headers: list[str]) -> dict[str, int]:
    """Each field's column index, by the header's words in Chinese or English."""
    from django.utils import translation

    found: dict[str, int] = {}
    missing = []
    for column in KINDS[kind]:
        with translation.override("en"):
            english = str(column.header).casefold()
        names = {str(column.header).casefold(), english}
        index = next((i for i, h in enumerate(headers) if h.casefold() in names), None)
        if index is None:
            if column.required:
                missing.append(str(column.header))
        else:
            found[column.field] = index
    if missing:
        raise ValidationError(
            {"file": _("The header row lacks: %(names)s.") % {"names": "、".join(missing)}}
        )
    return found


def _customer_row(values: dict[str, Any], cache: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    heads = {c.field: c.header for c in KINDS[ImportRun.Kind.CUSTOMERS]}
    name = as_text(values.get("name"))
    if not name or len(name) > 200:
        raise RowError(heads["name"], _("Give the customer's name (at most 200 characters)."))
    phone, address = as_text(values.get("phone")), as_text(values.get("address"))
    if len(address) > 300:
        raise RowError(heads["address"], _("At most 300 characters."))
    if phone and not _phone_ok(phone):
        raise RowError(heads["phone"], _("Not a phone number."))
    return name.casefold(), {
        "name": name,
        "region": as_text(values.get("region"))[:50],
        "phone": phone,
        "address": address,
        "is_key_customer": as_text(values.get("is_key_customer")).casefold() in YES,
    }


def _phone_ok(text: str) -> bool:
    try:
        phone_validator(text)
    except ValidationError:
        return False
    return True


def _equipment_row(values: dict[str, Any], cache: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    heads = {c.field: c.header for c in KINDS[ImportRun.Kind.EQUIPMENT]}
    serial = as_text(values.get("serial_number"))
    if not serial or len(serial) > 100:
        raise RowError(heads["serial_number"], _("Give the serial number (at most 100)."))
    name = as_text(values.get("customer"))
    customer = cache["customers"].get(name.casefold())
    if customer is None:
        raise RowError(heads["customer"], _("No customer of this name: import it first."))
    model = cache["models"].get(as_text(values.get("product_model")).casefold())
    if model is None:
        raise RowError(heads["product_model"], _("No product model with this code."))
    fields: dict[str, Any] = {
        "customer": customer,
        "product_model": model,
        "batch_number": as_text(values.get("batch_number"))[:100],
    }
    for field in ("delivered_on", "accepted_on"):
        try:
            fields[field] = as_date(values.get(field))
        except ValueError:
            raise RowError(heads[field], _("Not a date between 2000 and 2100.")) from None
    delivered, accepted = fields["delivered_on"], fields["accepted_on"]
    if delivered and accepted and accepted < delivered:
        raise RowError(heads["accepted_on"], _("Accepted before it was delivered."))
    months = as_text(values.get("warranty_months"))
    if months:
        if not months.isdigit() or int(months) > MAX_WARRANTY_MONTHS:
            raise RowError(heads["warranty_months"], _("A whole number of months."))
        fields["warranty_months"] = int(months)
    return serial.casefold(), {"serial_number": serial, **fields}


ROWS: dict[str, Callable[[dict[str, Any], dict[str, Any]], tuple[Any, dict[str, Any]]]] = {
    ImportRun.Kind.CUSTOMERS: _customer_row,
    ImportRun.Kind.EQUIPMENT: _equipment_row,
}


def _cache(kind: str, columns: dict[str, int], rows: list[list[Any]]) -> dict[str, Any]:
    """What the rows are matched against, read once: the records the file names (by
    customer name and serial number, in chunks; exact and as typed in another case),
    not the whole table."""

    def named(field: str) -> list[str]:
        index = columns.get(field)
        if index is None:
            return []
        return sorted({as_text(r[index]) for r in rows if index < len(r) and r[index]} - {""})

    def read(model: Any, field: str, values: list[str], *related: str) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for start in range(0, len(values), 1000):
            chunk = values[start : start + 1000]
            wanted = chunk + [v.upper() for v in chunk] + [v.lower() for v in chunk]
            for record in model.objects.filter(**{f"{field}__in": wanted}).select_related(*related):
                found[getattr(record, field).casefold()] = record
        return found

    key = "name" if kind == ImportRun.Kind.CUSTOMERS else "customer"
    cache: dict[str, Any] = {"customers": read(Customer, "name", named(key))}
    if kind == ImportRun.Kind.EQUIPMENT:
        cache["models"] = {m.code.casefold(): m for m in ProductModel.objects.all()}
        cache["units"] = read(
            Equipment, "serial_number", named("serial_number"), "customer", "product_model"
        )
    return cache


def _existing(kind: str, key: Any, cache: dict[str, Any]) -> Any:
    return cache["customers" if kind == ImportRun.Kind.CUSTOMERS else "units"].get(key)


def _changes(record: Any, values: dict[str, Any]) -> dict[str, Any]:
    return {field: value for field, value in values.items() if getattr(record, field) != value}


@transaction.atomic
def import_run(*, actor: User, kind: str, upload: Any, mode: str) -> ImportRun:
    """Check the file (``mode`` "check"), import it when clean ("import"), or import its
    good rows ("good"). The run and its report are kept either way."""
    if kind not in KINDS:
        raise ValidationError({"kind": _("Choose what the file holds.")})
    if mode not in ("check", "import", "good"):
        raise ValidationError({"mode": _("Choose whether to check or import.")})
    headers, rows = read_rows(upload)
    columns = _columns(kind, headers)
    cache = _cache(kind, columns, rows)
    problems: list[dict[str, Any]] = []
    planned: list[tuple[int, Any, dict[str, Any]]] = []
    seen: dict[Any, int] = {}
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        values = {f: row[i] if i < len(row) else None for f, i in columns.items()}
        try:
            key, clean = ROWS[kind](values, cache)
            if key in seen:
                raise RowError(KINDS[kind][0].header, _("Repeats row %(n)s.") % {"n": seen[key]})
            existing = _existing(kind, key, cache)
            if (
                kind == ImportRun.Kind.EQUIPMENT
                and existing is not None
                and existing.customer_id != clean["customer"].pk
            ):
                raise RowError(KINDS[kind][0].header, _("This unit is another customer's."))
        except RowError as error:
            problems.append({"row": number, "column": error.column, "reason": error.reason})
            continue
        seen[key] = number
        planned.append((number, existing, clean))
    run = ImportRun(kind=kind, file_name=str(upload.name)[:200], rows=len(rows), run_by=actor)
    run.problems = problems[:1000]
    if mode == "check" or (mode == "import" and problems):
        run.outcome = ImportRun.Outcome.CHECKED if mode == "check" else ImportRun.Outcome.REFUSED
        run.created = sum(1 for _n, existing, _v in planned if existing is None)
        run.updated = sum(1 for _n, old, v in planned if old is not None and _changes(old, v))
        run.unchanged = len(planned) - run.created - run.updated
        run.save()
        return run
    reason = f"imported from {run.file_name}"
    for number, existing, values in planned:
        try:
            with transaction.atomic():
                _apply(run, actor, kind, existing, values, reason)
        except ValidationError as error:
            said = "; ".join(str(m) for m in error.messages)
            if mode == "import":  # nothing half-imported: the whole file is refused
                raise ValidationError(
                    {"file": _("Row %(n)s: %(reason)s") % {"n": number, "reason": said}}
                ) from error
            run.problems.append({"row": number, "column": "", "reason": said})
    run.outcome = ImportRun.Outcome.IMPORTED
    run.save()
    return run


def _apply(
    run: ImportRun, actor: User, kind: str, existing: Any, values: dict[str, Any], reason: str
) -> None:
    """One row: its record created, updated where it differs, or left as it is."""
    if existing is None:
        made = (
            customers.customer_create(actor=actor, **values)
            if kind == ImportRun.Kind.CUSTOMERS
            else customers.equipment_create(actor=actor, **values)
        )
        update_change_reason(made, reason)
        run.created += 1
    elif changes := _changes(existing, values):
        if kind == ImportRun.Kind.CUSTOMERS:
            customers.customer_update(actor=actor, customer=existing, **changes)
        else:
            customers.equipment_update(actor=actor, equipment=existing, **changes)
        update_change_reason(existing, reason)
        run.updated += 1
    else:
        run.unchanged += 1
