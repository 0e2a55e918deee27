from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.accounts.models import Department, User
from aftersales.calendars.forms import UNIT_LABELS
from aftersales.common.forms import StyledFormMixin
from aftersales.obligations.models import EscalationStep, Obligation, Policy
from aftersales.obligations.rules import rule_name


class MonitorFilterForm(StyledFormMixin, forms.Form):
    empty_choice = _("All")
    number = forms.CharField(label=_("Record number"), required=False, max_length=40)
    rule = forms.ChoiceField(label=_("Rule"), required=False)
    state = forms.MultipleChoiceField(
        label=_("State"),
        required=False,
        choices=Obligation.State.choices,
        widget=forms.SelectMultiple(attrs={"size": 3}),
    )
    responsible = forms.ModelChoiceField(
        label=_("Responsible"), required=False, queryset=User.objects.none()
    )
    department = forms.ModelChoiceField(
        label=_("Department"), required=False, queryset=Department.objects.all()
    )

    def __init__(self, *args: Any, rules: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [("", _("All rules")), *[(r, rule_name(r)) for r in rules]]
        self.fields["responsible"].queryset = (
            User.objects.filter(obligations__isnull=False)
            .distinct()
            .order_by("full_name", "username")
        )


class PolicyForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Policy
        fields = ["amount", "unit", "calendar", "warn_percent"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = list(UNIT_LABELS.items())
        self.fields["warn_percent"].max_value = 99
        self.fields["warn_percent"].min_value = 1
        self.fields["warn_percent"].widget.attrs.update({"min": 1, "max": 99})

    def clean_warn_percent(self) -> int:
        value = self.cleaned_data["warn_percent"]
        if not 1 <= value <= 99:
            raise forms.ValidationError(_("Between 1 and 99."))
        return value


class StepForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = EscalationStep
        fields = ["role", "delay_amount", "delay_unit", "delay_calendar"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["delay_unit"].choices = list(UNIT_LABELS.items())


LadderFormSet = forms.modelformset_factory(
    EscalationStep, form=StepForm, extra=1, can_delete=True, max_num=6, validate_max=True
)
