"""Glue between a validated form and the service that acts on it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from aftersales.common.exceptions import ConflictError
from aftersales.common.validation import (
    FIRST_DAY,
    LAST_DAY,
    no_control_characters,
    within_years,
)
from aftersales.common.words import labelled

T = TypeVar("T")


def run_service(form: forms.BaseForm, action: Callable[[], T]) -> T | None:
    """Run ``action``; a ValidationError it raises lands on the form's fields, a refusal
    by the record's state (ConflictError) on the form as a whole."""
    try:
        return action()
    except ConflictError as error:
        form.add_error(None, error.message)
        return None
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return None


def _bound_dates(field: forms.Field) -> None:
    """Dates and times are 2000–2100 (``within_years``), and the picker says so; its
    value is written the one way the browser's picker reads (not the locale's 2026/12/07)."""
    if within_years not in field.validators:
        field.validators.append(within_years)
    kind = field.widget.attrs.get("type") or getattr(field.widget, "input_type", "")
    if kind == "date":
        field.widget.format = "%Y-%m-%d"  # type: ignore[attr-defined]
        field.widget.attrs.setdefault("min", f"{FIRST_DAY:%Y-%m-%d}")
        field.widget.attrs.setdefault("max", f"{LAST_DAY:%Y-%m-%d}")
    elif kind == "datetime-local":
        field.widget.format = "%Y-%m-%dT%H:%M"  # type: ignore[attr-defined]
        field.widget.attrs.setdefault("min", f"{FIRST_DAY:%Y-%m-%d}T00:00")
        field.widget.attrs.setdefault("max", f"{LAST_DAY:%Y-%m-%d}T23:59")


class StyledFormMixin:
    """Gives every widget Bootstrap's classes, bounds its dates, and words its empty
    choice (``empty_choice``: a filter form says 全部)."""

    empty_choice: Any = None

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field, forms.DateField | forms.DateTimeField):
                _bound_dates(field)
            if isinstance(field, forms.CharField) and no_control_characters not in field.validators:
                field.validators.append(no_control_characters)
            if getattr(field, "empty_label", None) == "---------":  # Django's, in no language
                field.empty_label = self.empty_choice or pgettext("select", "Choose…")  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                widget.attrs.setdefault("class", "form-check-input")  # beside its label
                continue
            if isinstance(widget, forms.CheckboxInput):
                continue
            widget.attrs["class"] = (
                "form-select" if isinstance(widget, forms.Select) else "form-control"
            )

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        # A field posted with a NUL (taken out by NoNullBytesMiddleware) is refused here.
        refused = getattr(self.data, "refused", None)  # type: ignore[attr-defined]
        if not refused:
            return
        for name in self.fields:  # type: ignore[attr-defined]
            posted_as = self.add_prefix(name)  # type: ignore[attr-defined]
            if posted_as in refused:
                self.add_error(name, _("Remove the control characters from the text."))  # type: ignore[attr-defined]
                self.data.shown.add(posted_as)  # type: ignore[attr-defined]


@dataclass
class Refusal:
    """A step of a page that was refused: shown beside the form that posted it (the
    ``{% refused %}`` tag), with what was typed put back (``{% again %}``)."""

    step: str
    messages: list[str]
    posted: Any

    def concerns(self, step: str, key: str = "", value: Any = None) -> bool:
        """This step's form — and, for a form repeated per row, the row whose ``key``
        field was ``value``."""
        return self.step == step and (not key or self.posted.get(key) == str(value))


def attempt(step: str, request: HttpRequest, action: Callable[[], object]) -> Refusal | None:
    """Run a page step's service; its refusal, if any, to show on the page."""
    try:
        action()
    except ValidationError as error:
        return Refusal(step, [str(m) for m in error.messages], request.POST)
    except ConflictError as error:
        return Refusal(step, [error.message], request.POST)
    return None


@contextmanager
def errors_as_messages(request: HttpRequest) -> Iterator[None]:
    """For a page's buttons: a refused step shows its reason on the page it returns to."""
    try:
        yield
    except ValidationError as error:
        messages.error(request, " ".join(str(m) for m in error.messages))
    except ConflictError as error:
        messages.error(request, error.message)


class PhoneField(forms.CharField):
    """A phone number as people type it: digits, spaces, hyphens, an optional +
    (accounts.models.phone_validator, the rule every stored phone number follows)."""

    def __init__(self, **kwargs: Any) -> None:
        from aftersales.accounts.models import phone_validator

        kwargs.setdefault("max_length", 24)
        super().__init__(validators=[phone_validator], **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files at once (photos of a defect), each checked as ``attach`` will."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": "image/*,application/pdf,.docx,.xlsx"}),
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        from aftersales.common.attachments import check_upload

        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = [super(AttachmentsField, self).clean(one, initial) for one in files]
        for upload in cleaned:
            try:
                check_upload(upload)
            except ValidationError as error:
                raise forms.ValidationError(
                    labelled(upload.name, " ".join(error.messages))
                ) from None
        return cleaned
