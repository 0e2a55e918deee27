"""Exact decimals on every database.

SQLite keeps Django's ``DecimalField`` as a floating-point number, so a SUM
over many money amounts drifts (0.1 + 0.2 is not 0.3), and a stock ledger
must add up exactly. ``ScaledDecimalField`` stores a decimal as a whole
number of its smallest unit (cents, thousandths) in a BIGINT: sums and
comparisons are exact integer arithmetic on SQLite and PostgreSQL alike, and
Python sees ``Decimal`` values. Compare such a column only with values or
columns of the same scale.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.expressions import Combinable
from django.utils.translation import gettext_lazy as _


class ScaledDecimalField(models.BigIntegerField):  # type: ignore[type-arg]
    description = _("Decimal number stored in its smallest unit")
    # What the type checker's Django plugin reads as the field's Python types.
    _pyi_private_set_type: Decimal | int | str | Combinable  # type: ignore[assignment]
    _pyi_private_get_type: Decimal  # type: ignore[assignment]

    def __init__(self, *args: Any, places: int = 2, **kwargs: Any) -> None:
        self.places = places
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["places"] = self.places
        return name, path, args, kwargs

    @property
    def _unit(self) -> Decimal:
        return Decimal(1).scaleb(-self.places)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Decimal | None:
        if value is None:
            return None
        return Decimal(int(value)).scaleb(-self.places).quantize(self._unit)

    def to_python(self, value: Any) -> Decimal | None:
        if value is None or isinstance(value, Decimal):
            return value
        try:
            return Decimal(str(value)).quantize(self._unit)
        except InvalidOperation:
            raise ValidationError(_("Enter a number."), code="invalid") from None

    def get_prep_value(self, value: Any) -> Any:
        if value is None or hasattr(value, "resolve_expression"):
            return value
        scaled = (Decimal(str(value)) * (10**self.places)).to_integral_value()
        return int(scaled)

    def get_db_prep_save(self, value: Any, connection: Any) -> Any:
        return self.get_prep_value(value)

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        from django import forms

        return super(models.BigIntegerField, self).formfield(
            **{"form_class": forms.DecimalField, "decimal_places": self.places, **kwargs}
        )

    def run_validators(self, value: Any) -> None:
        # The integer range validators of BigIntegerField apply to the stored units.
        if value is not None:
            super().run_validators(self.get_prep_value(value))
