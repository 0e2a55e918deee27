from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.common.forms import PhoneField, StyledFormMixin
from aftersales.customers.models import Customer
from aftersales.service.forms import SEVERITY_CHOICES


class MakeRequestForm(StyledFormMixin, forms.Form):
    customer = forms.ModelChoiceField(label=_("Customer"), queryset=Customer.objects.none())
    caller_name = forms.CharField(label=_("Caller"), max_length=50)
    caller_phone = PhoneField(label=_("Caller's phone"))
    serial_number = forms.CharField(label=_("Serial number"), max_length=100, required=False)
    severity = forms.ChoiceField(
        label=_("Severity"), choices=SEVERITY_CHOICES, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label=_("Fault description"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    save_contact = forms.BooleanField(
        label=_("Keep the sender's address as this customer's contact"), required=False
    )

    def __init__(self, *args: Any, customers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = customers


class AddToRequestForm(StyledFormMixin, forms.Form):
    number = forms.CharField(label=_("Request number"), max_length=20)


class DiscardForm(StyledFormMixin, forms.Form):
    why = forms.CharField(label=_("Why it is discarded"), max_length=300)
