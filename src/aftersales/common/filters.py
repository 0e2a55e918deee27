"""List filters that answer by id (issue 14 item 10).

A filter on a related record (``?customer=12``) is a number, as the schema says: an id
that matches nothing — or a record the user may not see — gives an empty page, not a
400, so the answer never tells whether such a record exists. The id is bounded to a
positive 64-bit integer, so no value reaches the database that it cannot hold. A yes/no
filter takes ``true`` or ``false``, and a filter given empty is a 400: a value that
means nothing is never read silently as "no filter".
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import filterset
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field

LARGEST_ID = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": LARGEST_ID})
class IdFilter(django_filters.Filter):
    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", LARGEST_ID)
        super().__init__(*args, **kwargs)


class YesNoField(forms.Field):
    default_error_messages = {"invalid": gettext_lazy("Give true or false.")}
    WORDS = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        answer = self.WORDS.get(str(value).lower())
        if answer is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return answer


class YesNoFilter(django_filters.BooleanFilter):
    field_class = YesNoField


_STRICT: dict[Any, dict[str, Any]] = {
    models.ForeignKey: {"filter_class": IdFilter},
    models.OneToOneField: {"filter_class": IdFilter},
    models.BooleanField: {"filter_class": YesNoFilter},
}


class FilterSet(django_filters.FilterSet):
    FILTER_DEFAULTS = {**filterset.FILTER_FOR_DBFIELD_DEFAULTS, **_STRICT}

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name in self.filters:
            if "" in self.data.getlist(name):
                self.form.add_error(name, _("Give a value, or leave the parameter out."))
                valid = False
        return valid


class FilterBackend(DjangoFilterBackend):
    """Generated filter sets (``filterset_fields``) filter related records by id."""

    filterset_base = FilterSet
