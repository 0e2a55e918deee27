from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.common.forms import StyledFormMixin
from aftersales.customers.models import Customer
from aftersales.service.models import SEVERITY_HELP, Channel, ServiceRequest, Severity


class IntakeForm(StyledFormMixin, forms.Form):
    customer = forms.ModelChoiceField(label=_("Customer"), queryset=Customer.objects.none())
    serial_number = forms.CharField(label=_("Serial number"), max_length=100, required=False)
    caller_name = forms.CharField(label=_("Caller"), max_length=50)
    caller_phone = forms.RegexField(
        label=_("Caller's phone"), regex=r"^\+?[0-9][0-9\- ]{4,22}$", max_length=24
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial="phone")
    severity = forms.ChoiceField(
        label=_("Severity"),
        choices=Severity.choices,
        widget=forms.RadioSelect,
        help_text=" · ".join(f"{Severity(k).label}: {v}" for k, v in SEVERITY_HELP.items()),
    )
    description = forms.CharField(
        label=_("Fault description"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, customers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = customers


class RequestFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *ServiceRequest.Status.choices]
    )
    severity = forms.ChoiceField(
        label=_("Severity"), required=False, choices=[("", _("All")), *Severity.choices]
    )
    breached = forms.ChoiceField(
        label=_("Time limits"), required=False, choices=[("", _("All")), ("1", _("Breached"))]
    )
