"""Forms of the duty roster and of emergency incidents."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aftersales.accounts.models import User
from aftersales.common.forms import StyledFormMixin
from aftersales.customers.models import Customer
from aftersales.operations.emergencies import LEADERS
from aftersales.operations.models import CompTimeRequest, DutyGroup, IncidentEntry

WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _staff() -> Any:
    return (
        User.objects.filter(is_active=True, portal_contact__isnull=True)
        .exclude(groups__name="customer")
        .order_by("full_name", "username")
    )


class ShiftForm(StyledFormMixin, forms.Form):
    group = forms.ModelChoiceField(label=_("Duty group"), queryset=DutyGroup.objects.all())
    person = forms.ModelChoiceField(label=_("On duty"), queryset=User.objects.none())
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(
        label=pgettext_lazy("shift", "From"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    end = forms.TimeField(
        label=pgettext_lazy("shift", "Until"),
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("An end earlier than the start is the next day's (a night shift)."),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _staff().filter(duty_groups__isnull=False).distinct()  # type: ignore[attr-defined]

    def span(self) -> tuple[dt.datetime, dt.datetime]:
        data = self.cleaned_data
        starts = timezone.make_aware(dt.datetime.combine(data["day"], data["start"]))
        end_day = data["day"] + dt.timedelta(days=1 if data["end"] <= data["start"] else 0)
        return starts, timezone.make_aware(dt.datetime.combine(end_day, data["end"]))


class SwapForm(StyledFormMixin, forms.Form):
    to_person = forms.ModelChoiceField(label=_("Hand over to"), queryset=User.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args: Any, group: DutyGroup, exclude: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_person"].queryset = (
            group.members.filter(is_active=True)
            .exclude(  # type: ignore[attr-defined]
                pk=exclude
            )
            .order_by("full_name", "username")
        )


class IncidentForm(StyledFormMixin, forms.Form):
    nature = forms.CharField(label=_("Nature of the incident"), max_length=200)
    place = forms.CharField(label=_("Place"), max_length=200)
    occurred_at = forms.DateTimeField(label=_("Happened at"), widget=WHEN)
    casualties = forms.CharField(label=_("Casualties"), max_length=200, required=False)
    property_loss = forms.CharField(label=_("Property loss"), max_length=200, required=False)
    progress = forms.CharField(
        label=_("Progress of the response"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reporter = forms.CharField(label=_("Reporting unit or person"), max_length=100)
    reporter_contact = forms.CharField(label=_("Their contact"), max_length=100)
    customer = forms.ModelChoiceField(
        label=_("Customer"), queryset=Customer.objects.order_by("name"), required=False
    )
    responders = forms.ModelMultipleChoiceField(
        label=_("Managers to alert"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They are alerted at once and each confirms arrival."),
    )

    def __init__(self, *args: Any, managers: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from aftersales.operations.roster import MANAGER_ROLES

        field = self.fields["responders"]
        field.queryset = _staff().filter(groups__name__in=MANAGER_ROLES).distinct()  # type: ignore[attr-defined]
        field.initial = [m.pk for m in managers]
        if not self.is_bound:
            self.initial.setdefault(
                "occurred_at", timezone.localtime().replace(second=0, microsecond=0)
            )


class NoteForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("What"),
        choices=[
            (k.value, k.label)
            for k in (
                IncidentEntry.Kind.CALL,
                IncidentEntry.Kind.INSTRUCTION,
                IncidentEntry.Kind.MEASURE,
                IncidentEntry.Kind.PROGRESS,
            )
        ],
    )
    leader = forms.ChoiceField(
        label=_("Whom you called"), choices=[("", "—"), *LEADERS.items()], required=False
    )
    text = forms.CharField(label=_("Text"), max_length=900, required=False)


class CompTimeForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("What"), choices=CompTimeRequest.Kind.choices)
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.DecimalField(
        label=_("Hours"), min_value=Decimal("0.5"), max_value=Decimal("80"), decimal_places=1
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
