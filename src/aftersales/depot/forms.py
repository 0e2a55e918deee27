"""Receiving returned units at the depot (R-WO-8)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.common.forms import StyledFormMixin


class RepairBatchForm(StyledFormMixin, forms.Form):
    """Returned units received at the depot (R-WO-8)."""

    customer = forms.ModelChoiceField(label=_("Customer"), queryset=None)  # type: ignore[arg-type]
    lines = forms.CharField(
        label=_("Returned units"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One unit a line: serial number, a comma, what is wrong."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: object, customers: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["customer"].queryset = customers  # type: ignore[attr-defined]

    def clean_lines(self) -> list[dict[str, str]]:
        units = []
        for line in self.cleaned_data["lines"].splitlines():
            if not line.strip():
                continue
            serial, _sep, fault = line.replace("，", ",").partition(",")
            units.append({"serial_number": serial.strip(), "fault": fault.strip()})
        return units
