from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from aftersales.common.forms import PhoneField, StyledFormMixin
from aftersales.customers.forms import SiteSelect
from aftersales.customers.models import Customer, ProductModel, Site
from aftersales.service.models import (
    SEVERITY_HELP,
    Channel,
    Confirmation,
    Diagnosis,
    Result,
    ServiceRequest,
    Severity,
)

# Each severity with its definition (R-SR-2), so the agent chooses by what the caller says.
SEVERITY_CHOICES = [
    (code, format_lazy("{} — {}", Severity(code).label, SEVERITY_HELP[Severity(code)]))
    for code in Severity.values
]


class IntakeForm(StyledFormMixin, forms.Form):
    customer = forms.ModelChoiceField(label=_("Customer"), queryset=Customer.objects.none())
    serial_number = forms.CharField(label=_("Serial number"), max_length=100, required=False)
    caller_name = forms.CharField(label=_("Caller"), max_length=50)
    caller_phone = PhoneField(label=_("Caller's phone"))
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial="phone")
    severity = forms.ChoiceField(
        label=_("Severity"), choices=SEVERITY_CHOICES, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label=_("Fault description"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    received_at = forms.DateTimeField(
        label=_("Received at (if not now: a letter, a fax, a message left)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    product_model = forms.ModelChoiceField(
        label=_("Product model (when the unit is not in the register)"),
        queryset=ProductModel.objects.none(),
        required=False,
    )
    purchased_on = forms.DateField(
        label=_("Purchase date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.none(), required=False, widget=SiteSelect
    )

    def __init__(
        self, *args: Any, customers: Any, for_customer: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if for_customer:  # reported in the portal, now (the service records both)
            del self.fields["channel"], self.fields["received_at"]
        self.fields["customer"].queryset = customers
        self.fields["product_model"].queryset = ProductModel.objects.filter(is_active=True)
        self.fields["site"].queryset = (
            Site.objects.filter(customer__in=customers)
            .select_related("customer")
            .order_by("customer__name", "name")
        )
        # Sites of many customers share names (总部机房): each says whose it is.
        self.fields["site"].label_from_instance = lambda site: f"{site.customer.name} · {site.name}"  # type: ignore[attr-defined]


class RequestFilterForm(StyledFormMixin, forms.Form):
    empty_choice = _("All")
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
    technician = forms.ModelChoiceField(label=_("Technician"), required=False, queryset=None)  # type: ignore[arg-type]
    received_from = forms.DateField(
        label=_("Received from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = forms.DateField(
        label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from aftersales.accounts.selectors import technicians

        self.fields["technician"].queryset = technicians()


class RecordForm(StyledFormMixin, forms.Form):
    work_done = forms.CharField(
        label=_("Work done"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    diagnosis = forms.ChoiceField(
        label=_("Diagnosis"), required=False, choices=[("", "—"), *Diagnosis.choices]
    )
    parts_used = forms.CharField(
        label=_("Other parts used (not from stock)"), max_length=2000, required=False
    )
    result = forms.ChoiceField(
        label=_("Result"), required=False, choices=[("", "—"), *Result.choices]
    )
    delay_reason = forms.CharField(
        label=_("Delay reason analysis"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SignForm(StyledFormMixin, forms.Form):
    """One pad: the customer's (with their name) or the technician's own."""

    signed_by = forms.CharField(label=_("Signed by"), max_length=50, required=False)
    signature = forms.CharField(
        widget=forms.HiddenInput,
        max_length=300_000,
        error_messages={"required": _("Sign in the box first: it is still blank.")},
    )
    signer = forms.ChoiceField(
        widget=forms.HiddenInput,
        required=False,
        choices=[("customer", "customer"), ("technician", "technician")],
    )

    def clean_signer(self) -> str:
        return self.cleaned_data["signer"] or "customer"


class DispatchForm(StyledFormMixin, forms.Form):
    technician = forms.ModelChoiceField(
        label=_("Technician"),
        queryset=None,  # type: ignore[arg-type]
        empty_label=_("Choose a technician"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from aftersales.accounts.selectors import technicians

        self.fields["technician"].queryset = technicians()


class TeamDispatchForm(StyledFormMixin, forms.Form):
    technicians = forms.ModelMultipleChoiceField(
        label=_("Technicians"),
        queryset=None,  # type: ignore[arg-type]
        widget=forms.SelectMultiple(attrs={"size": 3}),
    )
    planned_arrival = forms.DateTimeField(
        label=_("Planned arrival (told to the customer)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from aftersales.accounts.selectors import technicians

        self.fields["technicians"].queryset = technicians()


class CloseForm(StyledFormMixin, forms.Form):
    """The customer's confirmation that the fault is cleared (R-SR-5)."""

    confirmed_by = forms.CharField(label=_("Confirmed by"), max_length=50)
    confirmed_via = forms.ChoiceField(label=_("How"), choices=Confirmation.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ConfirmForm(StyledFormMixin, forms.Form):
    """The customer contact's own answer in the portal."""

    fixed = forms.TypedChoiceField(
        label=_("Is the fault cleared?"),
        choices=[("1", _("Yes, it works")), ("0", _("No, it still fails"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label=_("What is still wrong?"), max_length=300, required=False)


class HandOverForm(StyledFormMixin, forms.Form):
    """R-WO-6: someone leaves; their open orders go to another technician first."""

    leaving = forms.ModelChoiceField(
        label=_("Who is leaving"),
        queryset=None,
        empty_label=_("Choose a person"),  # type: ignore[arg-type]
    )
    to_user = forms.ModelChoiceField(
        label=_("Hand the open work orders to"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
        empty_label=_("Choose a technician"),
    )
    deactivate = forms.BooleanField(label=_("Deactivate the account"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from aftersales.accounts.models import User
        from aftersales.accounts.roles import Role
        from aftersales.accounts.selectors import technicians

        self.fields["leaving"].queryset = (
            User.objects.filter(is_active=True, portal_contact__isnull=True)
            .exclude(groups__name=Role.CUSTOMER)
            .order_by("username")
        )
        self.fields["to_user"].queryset = technicians()


class ReplaceForm(StyledFormMixin, forms.Form):
    """A spoiled order is voided with the reason and a replacement issued (作废重开)."""

    reason = forms.CharField(
        label=_("Why the order is void"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    technician = forms.ModelChoiceField(
        label=_("Replacement order to"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
        empty_label=_("The same technician"),
    )
    planned_arrival = forms.DateTimeField(
        label=_("Planned arrival (the customer is told; empty: the voided order's)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from aftersales.accounts.selectors import technicians

        self.fields["technician"].queryset = technicians()
