from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.common.forms import AttachmentsField, StyledFormMixin
from aftersales.complaints.models import Category, Channel, Step, TargetKind


class RegisterForm(StyledFormMixin, forms.Form):
    """The complaint in full (R-CP-1); the rules are checked by the service."""

    complainant_name = forms.CharField(label=_("Complainant"), max_length=50)
    complainant_phone = forms.CharField(label=_("Complainant's phone"), max_length=24)
    complainant_email = forms.EmailField(label=_("Complainant's e-mail"), required=False)
    customer = forms.ModelChoiceField(label=_("Customer"), queryset=None, required=False)  # type: ignore[arg-type]
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    target_kind = forms.ChoiceField(label=_("Complaint about"), choices=TargetKind.choices)
    target_person = forms.ModelChoiceField(
        label=_("Person complained about"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
    )
    target_department = forms.ModelChoiceField(
        label=_("Department complained about"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
    )
    demand = forms.CharField(
        label=_("Demand"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    description = forms.CharField(
        label=_("Description"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    received_at = forms.DateTimeField(
        label=_("Received at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("When the letter, fax or call came in; leave empty for now."),
    )
    is_major = forms.BooleanField(label=_("Major complaint"), required=False)
    is_especially_major = forms.BooleanField(label=_("Especially major"), required=False)
    group = forms.ModelMultipleChoiceField(
        label=_("Handling group"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
        help_text=_("For a major complaint: the people who handle it, none of them named in it."),
    )
    reference_date = forms.DateField(
        label=_("Window counted from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "For categories with an acceptance window: e.g. the date the report was issued."
        ),
    )

    serial_number = forms.CharField(
        label=_("Serial number"),
        max_length=100,
        required=False,
        help_text=_("The customer's unit complained of: its sales order fills the product's data."),
    )
    order_number = forms.CharField(label=_("Order number"), max_length=50, required=False)
    part_number = forms.CharField(label=_("Item or part number"), max_length=100, required=False)
    shipped_on = forms.DateField(
        label=_("Ship date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    quantity = forms.IntegerField(
        label=_("Quantity"), required=False, min_value=0, max_value=10_000_000
    )
    defective_quantity = forms.IntegerField(
        label=_("Defective quantity"), required=False, min_value=0, max_value=10_000_000
    )

    photos = AttachmentsField(
        label=_("Photos and documents"),
        help_text=_("Photos of the defect, the customer's letter: attached to the complaint."),
    )

    def __init__(self, *args: Any, customers: Any, **kwargs: Any) -> None:
        from aftersales.accounts.models import Department, User

        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = customers  # type: ignore[attr-defined]
        staff = User.objects.filter(is_active=True, portal_contact__isnull=True).order_by(
            "username"
        )
        self.fields["target_person"].queryset = staff  # type: ignore[attr-defined]
        self.fields["group"].queryset = staff  # type: ignore[attr-defined]
        self.fields["target_department"].queryset = Department.objects.order_by("name")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        """The unit complained of, by the customer's serial number (as returns do)."""
        data = super().clean() or {}
        customer, serial = data.get("customer"), data.pop("serial_number", "").strip()
        data["equipment"] = None
        if serial:
            unit = (
                customer.equipment.filter(serial_number__iexact=serial)
                .select_related("sale__line__order")
                .first()
                if customer is not None
                else None
            )
            if unit is None:
                self.add_error("serial_number", _("The customer has no unit with this serial."))
            data["equipment"] = unit
        return data


class RecordForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("What"),
        choices=[(k, Step.Kind(k).label) for k in ("finding", "proposal", "progress")],
    )
    text = forms.CharField(
        label=_("Text"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
