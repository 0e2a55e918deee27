"""What every kind of import shares: its columns (the template's Chinese headers, also
read in English), the reading of one cell as text, a date, a number or a choice — each
refusing with the column's name and a reason — and the loading of the records a file
names (by their natural key, a thousand at a time, in any letter case)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from aftersales.accounts.models import User, phone_validator
from aftersales.common.validation import CONTROL
from aftersales.imports.readers import DateError, as_date, as_text

YES = {"是", "y", "yes", "true", "1", "√", "✓"}
NO = {"否", "n", "no", "false", "0", "×", ""}


@dataclass(frozen=True)
class Column:
    field: str
    header: Any  # the template's header (translated), also read in English
    required: bool = False


class RowError(Exception):
    def __init__(self, column: Any, reason: str) -> None:
        super().__init__(reason)
        self.column, self.reason = str(column), reason


def english(text: Any) -> str:
    with translation.override("en"):
        return str(text)


class Spec:
    """One kind of record a spreadsheet may hold. A row becomes ``(key, values)``: the
    natural key it is found by and the fields it sets. ``grouped`` kinds (an order and
    its lines) take several rows with the same key as one record."""

    kind: ClassVar[str]
    columns: ClassVar[list[Column]]
    grouped: ClassVar[bool] = False
    bulk: ClassVar[bool] = False  # new records are written many at a time (create_many)

    def __init__(self) -> None:
        self.heads = {c.field: c.header for c in self.columns}
        self.values: dict[str, Any] = {}

    # --- what a subclass gives ---------------------------------------------------

    def load(self, named: Callable[[str], list[str]]) -> dict[str, Any]:
        raise NotImplementedError

    def parse(self, cache: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        raise NotImplementedError

    def existing(self, key: Any, cache: dict[str, Any]) -> Any:
        raise NotImplementedError

    def changes(self, record: Any, values: dict[str, Any]) -> dict[str, Any]:
        return {f: v for f, v in values.items() if getattr(record, f) != v}

    def create(self, actor: User, values: dict[str, Any]) -> Any:
        raise NotImplementedError

    def create_many(self, actor: User, rows: list[dict[str, Any]]) -> Any:
        raise NotImplementedError

    def update(self, actor: User, record: Any, changes: dict[str, Any]) -> None:
        raise NotImplementedError

    def group_key(self) -> Any:
        """A grouped kind's key from the row's cells, even when the row is bad."""
        raise NotImplementedError

    def merge(self, values: dict[str, Any], more: dict[str, Any]) -> None:
        """A grouped kind's further row joins the first one's record."""
        raise NotImplementedError

    # --- reading the row's cells -------------------------------------------------

    def fail(self, field: str, reason: str) -> RowError:
        return RowError(self.heads[field], reason)

    def text(self, field: str, limit: int, *, required: bool = False) -> str:
        value = as_text(self.values.get(field))
        if required and not value:
            raise self.fail(field, _("This column must be filled in."))
        if len(value) > limit:
            raise self.fail(field, _("At most %(n)s characters.") % {"n": limit})
        if CONTROL.search(value):
            raise self.fail(field, _("Remove the control characters."))
        return value

    def date(self, field: str, *, required: bool = False) -> Any:
        try:
            day = as_date(self.values.get(field))
        except DateError as error:
            reason = {
                "order": _("Write the date year first, e.g. 2026-03-05 (%(text)s is not)."),
                "no such day": _("%(text)s is not a day of the calendar."),
            }.get(error.kind, _("A date between 2000 and 2100, please (%(text)s is not)."))
            raise self.fail(field, reason % {"text": str(error)[:20]}) from None
        if required and day is None:
            raise self.fail(field, _("This column must be filled in."))
        return day

    def whole(self, field: str, low: int, high: int, *, default: Any = None) -> Any:
        value = as_text(self.values.get(field))
        if not value:
            return default
        if not value.isdigit() or not low <= int(value) <= high:
            raise self.fail(
                field, _("A whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
            )
        return int(value)

    def amount(self, field: str, *, default: Any = None, places: int = 2) -> Any:
        value = as_text(self.values.get(field)).replace(",", "").lstrip("¥￥")
        if not value:
            return default
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = Decimal(-1)
        if not number.is_finite() or not 0 <= number < Decimal("1e10"):
            raise self.fail(field, _("Not an amount."))
        return number.quantize(Decimal(1).scaleb(-places))

    def flag(self, field: str) -> bool:
        value = as_text(self.values.get(field)).casefold()
        if value in YES or value == _("Yes").casefold():
            return True
        if value in NO or value == _("No").casefold():
            return False
        raise self.fail(field, _("Write 是 or 否."))

    def choice(self, field: str, choices: type[models.TextChoices], default: str) -> str:
        value = as_text(self.values.get(field)).casefold()
        if not value:
            return default
        for choice in choices:
            names = {choice.value.casefold(), str(choice.label).casefold()}
            if value in names | {english(choice.label).casefold()}:
                return str(choice.value)
        raise self.fail(
            field,
            _("One of: %(names)s.") % {"names": "、".join(str(c.label) for c in choices)},
        )

    def phone(self, field: str) -> str:
        value = self.text(field, 24)
        if value:
            try:
                phone_validator(value)
            except ValidationError:
                raise self.fail(field, _("Not a phone number.")) from None
        return value

    def found(self, field: str, records: dict[str, Any], reason: str) -> Any:
        record = records.get(self.text(field, 200, required=True).casefold())
        if record is None:
            raise self.fail(field, reason)
        return record


class WithLinks(Spec):
    """A kind whose record links to many others — a part to the models it fits, a
    contract to the units it covers — given in ``values[link]`` as their ids."""

    link: ClassVar[str]
    link_model: ClassVar[Any]

    def __init__(self) -> None:
        super().__init__()
        self.linked: dict[int, list[int]] = {}

    def remember_links(self, through: Any, owner: str, other: str, owners: list[Any]) -> None:
        """The links the named records have now (from the many-to-many table)."""
        self.linked = {record.pk: [] for record in owners}
        rows = through.objects.filter(**{f"{owner}__in": list(self.linked)})
        for owner_id, other_id in rows.values_list(owner, other):
            self.linked[owner_id].append(other_id)

    def changes(self, record: Any, values: dict[str, Any]) -> dict[str, Any]:
        changed = super().changes(record, {f: v for f, v in values.items() if f != self.link})
        if sorted(self.linked.get(record.pk, [])) != values[self.link]:
            changed[self.link] = values[self.link]
        return changed

    def create(self, actor: User, values: dict[str, Any]) -> Any:
        fields = dict(values)
        linked = self.link_model.objects.filter(pk__in=fields.pop(self.link))
        return self.create_linked(actor, fields, linked)

    def update(self, actor: User, record: Any, changes: dict[str, Any]) -> None:
        fields = dict(changes)
        ids = fields.pop(self.link, None)
        linked = None if ids is None else self.link_model.objects.filter(pk__in=ids)
        self.update_linked(actor, record, fields, linked)

    def create_linked(self, actor: User, fields: dict[str, Any], linked: Any) -> Any:
        raise NotImplementedError

    def update_linked(self, actor: User, record: Any, fields: dict[str, Any], linked: Any) -> None:
        raise NotImplementedError


def by_key(model: Any, field: str, values: list[str], *related: str) -> dict[str, Any]:
    """The records whose ``field`` is one of ``values`` (as typed, in capitals or in
    small letters), keyed by the value's case-folded text."""
    found: dict[str, Any] = {}
    for start in range(0, len(values), 1000):
        chunk = values[start : start + 1000]
        wanted = set(chunk) | {v.upper() for v in chunk} | {v.lower() for v in chunk}
        for record in model.objects.filter(**{f"{field}__in": wanted}).select_related(*related):
            found[str(getattr(record, field)).casefold()] = record
    return found


def split_list(text: str) -> list[str]:
    """Several values in one cell: separated by commas, 、, semicolons or new lines."""
    for mark in ("，", "、", ";", "；", "\n"):
        text = text.replace(mark, ",")
    return [part.strip() for part in text.split(",") if part.strip()]
