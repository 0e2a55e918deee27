"""A JSON body's values have the types the schema gives them (issue 14 item 10).

DRF reads ``"text": 0`` as the string ``"0"``, ``"is_active": 0`` as ``False`` and
``"quantity_minutes": "5"`` as ``5``: a client with a bug is never told. In a JSON body
a text field takes a string, a yes/no field ``true`` or ``false``, a whole number an
integer and a number a number, else a 400 under the field. Form and query input (all
strings by nature) is read as before.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import QueryDict
from rest_framework import serializers

# field class → the JSON types it takes (bool is an int in Python: refused apart), and
# the error it gives otherwise.
JSON_TYPES: dict[type[serializers.Field], tuple[tuple[type, ...], str]] = {
    serializers.CharField: ((str,), "invalid"),
    serializers.BooleanField: ((bool,), "invalid"),
    serializers.IntegerField: ((int,), "invalid"),
    serializers.FloatField: ((int, float), "invalid"),
    serializers.DecimalField: ((str, int, float, Decimal), "invalid"),
    # DRF takes any iterable as a list: ``{}`` would be read as "none".
    serializers.ManyRelatedField: ((list,), "not_a_list"),
    serializers.ListField: ((list,), "not_a_list"),
}


def _from_json(field: serializers.Field) -> bool:
    """Whether the field reads a parsed JSON body (not a form, a query or Python)."""
    root = field.root
    data = getattr(root, "initial_data", None)
    return isinstance(data, (dict, list)) and not isinstance(data, QueryDict)


def _strict(field_class: type[serializers.Field], types: tuple[type, ...], error: str) -> None:
    reading = field_class.to_internal_value
    refuses_bool = bool not in types

    def to_internal_value(self: serializers.Field, data: Any) -> Any:
        if _from_json(self) and (
            not isinstance(data, types) or (refuses_bool and isinstance(data, bool))
        ):
            self.fail(error, input_type=type(data).__name__)
        return reading(self, data)

    field_class.to_internal_value = to_internal_value  # type: ignore[method-assign]


def install() -> None:
    for field_class, (types, error) in JSON_TYPES.items():
        _strict(field_class, types, error)
