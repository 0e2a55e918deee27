from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aftersales.common.forms import StyledFormMixin
from aftersales.customers.models import FaultCode, PartItem, ProductModel
from aftersales.imports.columns import by_key, split_list


class ArticleForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=pgettext_lazy("article", "Title"), max_length=200)
    symptom = forms.CharField(
        label=_("Symptom (what the customer sees)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    cause = forms.CharField(
        label=_("Cause"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    steps = forms.CharField(
        label=_("Steps to fix"), max_length=8000, widget=forms.Textarea(attrs={"rows": 6})
    )
    product_models = forms.ModelMultipleChoiceField(
        label=_("Product models"),
        queryset=ProductModel.objects.filter(is_active=True).order_by("code"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    fault_codes = forms.ModelMultipleChoiceField(
        label=_("Fault codes"),
        queryset=FaultCode.objects.select_related("product_model").order_by(
            "product_model__code", "code"
        ),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    parts = forms.CharField(
        label=_("Parts used (part numbers)"),
        max_length=1000,
        required=False,
        help_text=_("Separated by commas, e.g. P-100, P-200."),
    )
    public = forms.BooleanField(label=_("Customers may read it in the portal"), required=False)

    def clean_parts(self) -> list[PartItem]:
        codes = split_list(self.cleaned_data.get("parts") or "")
        found = by_key(PartItem, "code", codes)  # as typed, or in another letter case
        missing = [c for c in codes if c.casefold() not in found]
        if missing:
            raise ValidationError(
                _("No part number %(codes)s.") % {"codes": "、".join(missing[:5])}
            )
        return [found[c.casefold()] for c in dict.fromkeys(codes)]

    @classmethod
    def initial_of(cls, article: Any) -> dict[str, Any]:
        return {
            "title": article.title,
            "symptom": article.symptom,
            "cause": article.cause,
            "steps": article.steps,
            "product_models": list(article.product_models.all()),
            "fault_codes": list(article.fault_codes.all()),
            "parts": ", ".join(p.code for p in article.parts.all()),
            "public": article.public,
        }


class NoteForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label=_("What to change"), max_length=500)


class WithdrawForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Why it is withdrawn"), max_length=500)
