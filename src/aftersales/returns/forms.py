"""Return requests and unpacking inspections (R-RT-1, R-RT-2, R-RT-3)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.common.forms import StyledFormMixin
from aftersales.returns.models import ReturnRequest, UnpackingInspection


class ReturnForm(StyledFormMixin, forms.Form):
    """A return or exchange request (R-RT-1): the rules are checked by the service."""

    customer = forms.ModelChoiceField(label=_("Customer"), queryset=None)  # type: ignore[arg-type]
    serial_number = forms.CharField(label=_("Serial number"), max_length=100)
    kind = forms.ChoiceField(label=_("Refund or exchange"), choices=ReturnRequest.Kind.choices)
    purchased_on = forms.DateField(
        label=_("Purchased on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        required=False,
        help_text=_("Taken from the sales order when the unit has one."),
    )
    problem = forms.CharField(
        label=_("Quality problem"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    caused_by_misuse = forms.BooleanField(label=_("Caused by misuse"), required=False)
    proof_checked = forms.BooleanField(label=_("Purchase proof checked"), required=False)
    packaging_intact = forms.BooleanField(label=_("Original packaging intact"), required=False)

    def __init__(self, *args: Any, customers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = customers  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        customer, serial = data.get("customer"), data.get("serial_number", "").strip()
        if customer is not None and serial:
            unit = customer.equipment.filter(serial_number__iexact=serial).first()
            if unit is None:
                self.add_error("serial_number", _("No unit of this customer has this serial."))
            data["equipment"] = unit
        return data


class UnpackingForm(StyledFormMixin, forms.Form):
    """开箱验收 of a delivery with the customer (R-RT-3)."""

    customer = forms.ModelChoiceField(label=_("Customer"), queryset=None)  # type: ignore[arg-type]
    serial_number = forms.CharField(label=_("Serial number"), max_length=100, required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=UnpackingInspection.Outcome.choices)
    note = forms.CharField(label=_("What was found"), max_length=500, required=False)
    signed_by = forms.CharField(
        label=_("Signed for by"),
        max_length=50,
        required=False,
        help_text=_("Only when everything is there and undamaged."),
    )

    def __init__(self, *args: Any, customers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = customers  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        customer, serial = data.pop("customer", None), data.pop("serial_number", "").strip()
        data["customer"], data["equipment"] = customer, None
        if customer is not None and serial:
            data["equipment"] = customer.equipment.filter(serial_number__iexact=serial).first()
            if data["equipment"] is None:
                self.add_error("serial_number", _("No unit of this customer has this serial."))
        return data
