from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aftersales.common.forms import StyledFormMixin
from aftersales.imports.models import ImportRun

MODES = [
    ("check", _("Check only: report every bad row, import nothing")),
    ("import", _("Import, if every row is right")),
    ("good", _("Import the good rows, report the bad ones")),
]


class ImportForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportRun.Kind.choices)
    file = forms.FileField(
        label=_("Excel (.xlsx) or CSV file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    mode = forms.ChoiceField(
        label=pgettext_lazy("import", "What to do"),
        choices=MODES,
        initial="check",
        widget=forms.RadioSelect,
    )
