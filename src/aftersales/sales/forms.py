from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.accounts.roles import Role
from aftersales.common.forms import StyledFormMixin
from aftersales.customers.models import Customer

DATE = forms.DateInput(attrs={"type": "date", "min": "2000-01-01", "max": "2100-12-31"})
LINE_ROWS = 8
LINE_FIELDS = ("item", "description", "quantity", "unit_price", "shipped_on", "serial_numbers")


class OrderForm(StyledFormMixin, forms.Form):
    """A sales order; its lines are the rows under it (``item-1``, ``quantity-1``…)."""

    number = forms.CharField(label=_("Order number"), max_length=50)
    customer = forms.ModelChoiceField(label=_("Customer"), queryset=Customer.objects.none())
    ordered_on = forms.DateField(label=_("Order date"), widget=DATE)
    salesperson = forms.ModelChoiceField(
        label=_("Salesperson"),
        queryset=None,
        required=False,  # type: ignore[arg-type]
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, customers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from aftersales.accounts.models import User

        self.fields["customer"].queryset = customers.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["salesperson"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            is_active=True, groups__name__in=[Role.SALES, Role.SALES_VP]
        ).distinct()

    def lines(self) -> list[dict[str, Any]]:
        """The rows typed under the order (an empty row is no line)."""
        return [row for row in self.rows() if any(str(v).strip() for v in row.values())]

    def rows(self) -> list[dict[str, Any]]:
        """Every row under the order as typed (``LINE_FIELDS``), empty ones too."""
        return [
            {key: self.data.get(f"{key}-{n}", "") for key in LINE_FIELDS}
            for n in range(1, LINE_ROWS + 1)
        ]


class FilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100)
    customer = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
