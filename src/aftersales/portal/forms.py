"""The portal's forms, phone-sized: few fields, the customer's own words."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.common.forms import AttachmentsField, PhoneField, StyledFormMixin
from aftersales.complaints.models import Category
from aftersales.service.models import SEVERITY_HELP, Severity

# How bad it is, as the customer sees it (the definitions of R-SR-2).
HOW_BAD = [(code, f"{label} — {SEVERITY_HELP[Severity(code)]}") for code, label in Severity.choices]


class ReportForm(StyledFormMixin, forms.Form):
    """报修: the unit from their list, what is wrong, photos; who to call back."""

    equipment = forms.ModelChoiceField(
        label=_("Which unit"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
        empty_label=_("Not in the list / not sure"),
    )
    severity = forms.ChoiceField(
        label=_("How bad is it?"), choices=HOW_BAD, initial="P3", widget=forms.RadioSelect
    )
    description = forms.CharField(
        label=_("What is wrong?"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    photos = AttachmentsField(label=_("Photos (optional)"), required=False)
    caller_name = forms.CharField(label=_("Your name"), max_length=50)
    caller_phone = PhoneField(label=_("Phone to call you back"))

    def __init__(self, *args: Any, equipment: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["equipment"].queryset = equipment
        self.fields["equipment"].label_from_instance = lambda unit: (  # type: ignore[attr-defined]
            f"{unit.product_model.name} · {unit.serial_number}"
            + (f" · {unit.site.name}" if unit.site else "")
        )


class ScanReportForm(StyledFormMixin, forms.Form):
    """扫码报修: anyone at the unit, no account; who they are and what is wrong."""

    caller_name = forms.CharField(label=_("Your name"), max_length=50)
    caller_phone = PhoneField(label=_("Phone to call you back"))
    description = forms.CharField(
        label=_("What is wrong?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    photos = AttachmentsField(label=_("Photos (optional)"), required=False)
    # Never shown: people leave it empty, form-filling robots do not.
    website = forms.CharField(required=False, widget=forms.HiddenInput)


class QuoteAnswerForm(StyledFormMixin, forms.Form):
    accepted = forms.TypedChoiceField(
        label=_("Your answer to the quote"),
        choices=[("1", _("Accept the quote")), ("0", _("Refuse the quote"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label=_("Anything to add"), max_length=300, required=False)


class PortalComplaintForm(StyledFormMixin, forms.Form):
    # Misuse is what staff find, not what a customer complains of.
    category = forms.ChoiceField(
        label=_("What is it about?"),
        choices=[(code, label) for code, label in Category.choices if code != Category.MISUSE],
    )
    description = forms.CharField(
        label=_("What happened?"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    demand = forms.CharField(
        label=_("What would you like us to do?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    complainant_name = forms.CharField(label=_("Your name"), max_length=50)
    complainant_phone = PhoneField(label=_("Phone to call you back"))
