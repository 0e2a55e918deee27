from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.calendars import engine
from aftersales.calendars.models import Calendar, CalendarException
from aftersales.common.forms import StyledFormMixin

UNIT_LABELS = {
    "minutes": _("minutes"),
    "hours": _("hours"),
    "days": _("days"),
    "working_minutes": _("working minutes"),
    "working_hours": _("working hours"),
    "working_days": _("working days"),
    "same_working_day": _("same working day"),
}


ENGINE_MESSAGES = {
    "too_far": _("The amount is beyond ten years."),
    "same_day_zero": _("same_working_day takes the amount 0."),
    "negative": _("The amount cannot be negative."),
    "whole": _("The amount must be a whole number."),
    "unit": _("Unknown unit."),
    "naive": _("Give the time with its UTC offset, e.g. 2026-09-18T16:00:00+08:00."),
    "range": _("Give a date between 2000 and 2100."),
}


def engine_error_message(error: engine.CalendarError) -> str:
    return str(ENGINE_MESSAGES.get(error.code, str(error)))


class CalculatorForm(StyledFormMixin, forms.Form):
    calendar = forms.ModelChoiceField(
        label=_("Calendar"), queryset=Calendar.objects.order_by("code"), to_field_name="code"
    )
    start = forms.DateTimeField(
        label=_("Start"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    amount = forms.IntegerField(label=_("Amount"), min_value=0)
    unit = forms.ChoiceField(label=_("Unit"), choices=[(u, UNIT_LABELS[u]) for u in engine.UNITS])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "amount" in data and "unit" in data:
            try:
                engine.check_amount(data["amount"], data["unit"])
            except engine.CalendarError as error:
                messages = {
                    "the amount is beyond ten years": _("The amount is beyond ten years."),
                    "same_working_day takes the amount 0": _(
                        "same_working_day takes the amount 0."
                    ),
                }
                self.add_error("amount", messages.get(str(error), str(error)))
        return data


class ExceptionForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = CalendarException
        fields = ["date", "kind", "name"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, calendar: Calendar, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.calendar = calendar

    def validate_unique(self) -> None:
        """The service answers duplicates with a clearer message."""


class ImportForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        initial=lambda: timezone.localdate().year + 1,
    )


def year_from(request_value: str | None) -> int:
    today = timezone.localdate()
    try:
        year = int(request_value or today.year)
    except ValueError:
        return today.year
    return year if 1990 <= year <= 2200 else today.year
