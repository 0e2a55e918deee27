"""Forms of the maintenance pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role
from aftersales.common.forms import StyledFormMixin
from aftersales.customers.models import MaintenanceContract
from aftersales.service.models import Severity


def technicians() -> Any:
    return User.objects.filter(groups__name=Role.TECHNICIAN, is_active=True).order_by("username")


class GenerateForm(StyledFormMixin, forms.Form):
    quarter = forms.CharField(label=_("Quarter"), max_length=7, help_text=_("For example 2026Q4."))
    contract = forms.ModelChoiceField(
        label=_("Maintenance contract"),
        queryset=MaintenanceContract.objects.select_related("customer").order_by("number"),
        required=False,
        help_text=_("Empty: every contract running in the quarter."),
    )


class ConfirmForm(StyledFormMixin, forms.Form):
    confirmed_by = forms.CharField(label=_("Confirmed by (customer)"), max_length=50)
    via = forms.CharField(
        label=_("How"), max_length=100, required=False, help_text=_("By phone, on paper…")
    )


class MoveForm(StyledFormMixin, forms.Form):
    planned_on = forms.DateField(label=_("New day"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Why"), max_length=300)
    technician = forms.ModelChoiceField(
        label=_("Technician"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["technician"].queryset = technicians()  # type: ignore[attr-defined]


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=300)


class ReportForm(StyledFormMixin, forms.Form):
    findings = forms.CharField(
        label=_("Findings"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    advice = forms.CharField(
        label=_("Advice on upgrade, modification or replacement"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RaiseForm(StyledFormMixin, forms.Form):
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, initial="P3")
    note = forms.CharField(label=_("Note for the agent"), max_length=1000, required=False)
