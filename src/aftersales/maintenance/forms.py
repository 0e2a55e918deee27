"""Forms of the maintenance pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role
from aftersales.common.forms import StyledFormMixin
from aftersales.customers.models import MaintenanceContract, ProductModel
from aftersales.maintenance.models import ItemKind
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


class PeriodForm(StyledFormMixin, forms.Form):
    start = forms.DateField(
        label=pgettext_lazy("period", "From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=pgettext_lazy("period", "To"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", pgettext_lazy("period", "The end is before the start."))
        elif start and end and (end - start).days > 366 * 3:
            self.add_error("end", _("Ask for at most three years."))
        return data


class ChecklistForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    product_model = forms.ModelChoiceField(
        label=_("Product model"),
        queryset=ProductModel.objects.order_by("code"),
        required=False,
        help_text=_("Empty: for every model."),
    )
    level = forms.ChoiceField(
        label=_("Contract level"),
        choices=[("", _("Every level")), *MaintenanceContract.Level.choices],
        required=False,
    )


class ChecklistItemForm(StyledFormMixin, forms.Form):
    code = forms.CharField(label=_("Code"), max_length=10, required=False)
    text = forms.CharField(label=_("What to do"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=ItemKind.choices, initial=ItemKind.CHECK)
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)
    low = forms.DecimalField(
        label=_("Lowest acceptable"), max_digits=12, decimal_places=3, required=False
    )
    high = forms.DecimalField(
        label=_("Highest acceptable"), max_digits=12, decimal_places=3, required=False
    )


ChecklistItems = forms.formset_factory(ChecklistItemForm, extra=3, max_num=60, absolute_max=60)


class InstallationForm(StyledFormMixin, forms.Form):
    serial_number = forms.CharField(label=_("Serial number"), max_length=100)
    installer = forms.ModelChoiceField(label=_("Installer"), queryset=User.objects.none())
    planned_on = forms.DateField(
        label=_("Delivery planned for"), widget=forms.DateInput(attrs={"type": "date"})
    )
    contact_name = forms.CharField(label=_("Customer's contact"), max_length=50)
    contact_phone = forms.CharField(label=_("Contact's phone"), max_length=24)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["installer"].queryset = technicians()  # type: ignore[attr-defined]


class TrainingPlanForm(StyledFormMixin, forms.Form):
    customer = forms.ModelChoiceField(label=_("Customer"), queryset=None)  # type: ignore[arg-type]
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    times = forms.IntegerField(label=_("Sessions a year"), min_value=1, max_value=12, initial=2)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    trainer = forms.ModelChoiceField(
        label=_("Trainer"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, customers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = customers  # type: ignore[attr-defined]
        self.fields["trainer"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(
                groups__name__in=[Role.TECHNICIAN, Role.SERVICE_MANAGER, Role.TECHNICAL],
                is_active=True,
            )
            .distinct()
            .order_by("username")
        )


class UpgradeForm(StyledFormMixin, forms.Form):
    software = forms.CharField(label=_("Software"), max_length=100)
    from_version = forms.CharField(label=_("From version"), max_length=50)
    to_version = forms.CharField(label=_("To version"), max_length=50)
    changes = forms.CharField(
        label=_("What changed"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
