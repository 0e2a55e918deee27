"""Glue between a validated form and the service that acts on it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from aftersales.common.exceptions import ConflictError

T = TypeVar("T")


def run_service(form: forms.BaseForm, action: Callable[[], T]) -> T | None:
    """Run ``action``; a ValidationError it raises lands on the form's fields."""
    try:
        return action()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return None


class StyledFormMixin:
    """Gives every widget Bootstrap's classes."""

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                continue
            widget.attrs["class"] = (
                "form-select" if isinstance(widget, forms.Select) else "form-control"
            )


@contextmanager
def errors_as_messages(request: HttpRequest) -> Iterator[None]:
    """For a page's buttons: a refused step shows its reason on the page it returns to."""
    try:
        yield
    except ValidationError as error:
        messages.error(request, " ".join(str(m) for m in error.messages))
    except ConflictError as error:
        messages.error(request, error.message)
