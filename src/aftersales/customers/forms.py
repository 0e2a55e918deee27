from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.accounts.roles import Role
from aftersales.accounts.selectors import users_with_role
from aftersales.common.forms import StyledFormMixin
from aftersales.customers.models import Contact, Customer, Equipment, MaintenanceContract, Site
from aftersales.customers.warranty import WarrantyStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SiteSelect(forms.Select):
    """Each site's option names its customer, so the page shows only the chosen customer's."""

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        site = getattr(value, "instance", None)
        if site is not None:
            option["attrs"]["data-customer"] = site.customer_id
        return option


class CustomerForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Customer
        fields = [
            "name",
            "kind",
            "is_key_customer",
            "region",
            "sales_owner",
            "phone",
            "address",
            "notes",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sales_owner"].queryset = users_with_role(Role.SALES)


class SiteForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Site
        fields = ["name", "address"]


class ContactForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "title", "phone", "email", "site", "is_primary"]

    def __init__(self, *args: Any, customer: Customer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = customer.sites.all()


class EquipmentForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Equipment
        fields = [
            "serial_number",
            "customer",
            "site",
            "product_model",
            "batch_number",
            "delivered_on",
            "accepted_on",
            "warranty_months",
            "maintenance_months",
            "installed_by_us",
            "notes",
        ]
        widgets = {"delivered_on": DATE, "accepted_on": DATE, "site": SiteSelect}

    def __init__(self, *args: Any, customers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = customers
        self.fields["site"].queryset = Site.objects.filter(customer__in=customers).select_related(
            "customer"
        )
        self.fields["site"].label_from_instance = lambda site: f"{site.customer} · {site.name}"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        delivered, accepted = data.get("delivered_on"), data.get("accepted_on")
        if delivered and accepted and accepted < delivered:
            self.add_error(
                "accepted_on", _("The acceptance date cannot be before the delivery date.")
            )
        site, customer = data.get("site"), data.get("customer")
        if site and customer and site.customer_id != customer.pk:
            self.add_error("site", _("The site belongs to another customer."))
        return data


class ContractForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = MaintenanceContract
        fields = [
            "number",
            "level",
            "starts_on",
            "ends_on",
            "visits_per_year",
            "annual_fee",
            "equipment",
            "notes",
        ]
        widgets = {"starts_on": DATE, "ends_on": DATE, "equipment": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, customer: Customer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.customer = customer
        self.fields["equipment"].queryset = customer.equipment.select_related("product_model")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("A contract cannot end before it starts."))
        return data


class CustomerFilterForm(StyledFormMixin, forms.Form):
    empty_choice = _("All")
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    region = forms.CharField(label=_("Region"), required=False, max_length=50)
    key = forms.ChoiceField(
        label=_("Key customer"),
        required=False,
        choices=[("", _("All")), ("1", _("Key customers")), ("0", _("Others"))],
    )


class EquipmentFilterForm(StyledFormMixin, forms.Form):
    empty_choice = _("All")
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Warranty status"),
        required=False,
        choices=[("", _("All")), *WarrantyStatus.choices],
    )
    customer = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
