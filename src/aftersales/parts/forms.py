from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from aftersales.common.forms import StyledFormMixin
from aftersales.customers.models import PartItem
from aftersales.parts.models import Location


class ItemField(forms.CharField):
    """A part typed (or scanned) by its number or its name, found in the catalogue; a
    list's "number name" pick is read by its number."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Part number or name"))
        super().__init__(max_length=120, **kwargs)

    def clean(self, value: Any) -> PartItem:
        text = super().clean(value).strip()
        active = PartItem.objects.filter(is_active=True)
        item = (
            active.filter(code__iexact=text).first()
            or active.filter(code__iexact=text.split(" ", 1)[0]).first()
            or active.filter(name__iexact=text).first()
        )
        if item is None:
            named = list(active.filter(name__icontains=text)[:2]) if text else []
            if len(named) == 1:
                return named[0]
            raise forms.ValidationError(_("No active item has this part number or name."))
        return item


def _quantity() -> forms.DecimalField:
    return forms.DecimalField(label=_("Quantity"), max_digits=13, decimal_places=3, min_value=0)


class _Places(StyledFormMixin, forms.Form):
    """Location fields list only the places the user may see."""

    def __init__(self, *args: Any, places: QuerySet[Location], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("location", "source", "target"):
            if name in self.fields:
                self.fields[name].queryset = places.filter(is_active=True)  # type: ignore[attr-defined]


def _place(label: Any) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label=label, queryset=Location.objects.none())


class ReceiveForm(_Places):
    item = ItemField()
    location = _place(_("Into"))
    quantity = _quantity()
    unit_cost = forms.DecimalField(
        label=_("Unit cost"), max_digits=14, decimal_places=2, min_value=0
    )
    document = forms.CharField(label=_("Supplier's delivery note"), max_length=50)
    reason = forms.CharField(label=_("Note"), max_length=300, required=False)


class TransferForm(_Places):
    item = ItemField()
    source = _place(_("From"))
    target = _place(_("To"))
    quantity = _quantity()
    reason = forms.CharField(label=_("Note"), max_length=300, required=False)


class WriteOffForm(_Places):
    item = ItemField()
    location = _place(_("From"))
    quantity = _quantity()
    reason = forms.CharField(label=_("Reason"), max_length=300)


class IssueForm(_Places):
    """Parts used on a work order, on the order's page (the kit's parts offered by name)."""

    item = ItemField(widget=forms.TextInput(attrs={"list": "part-names", "autocomplete": "off"}))
    location = _place(_("From"))
    quantity = _quantity()


class StockFilterForm(StyledFormMixin, forms.Form):
    empty_choice = _("All")
    q = forms.CharField(label=_("Search"), max_length=50, required=False)
    location = forms.ModelChoiceField(
        label=_("Location"),
        queryset=Location.objects.none(),
        required=False,
        empty_label=_("All places"),
    )

    def __init__(self, *args: Any, places: QuerySet[Location], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = places  # type: ignore[attr-defined]


class BackupUnitForm(StyledFormMixin, forms.Form):
    serial_number = forms.CharField(label=_("Serial number"), max_length=100)
    product_model = forms.ModelChoiceField(label=_("Product model"), queryset=None)  # type: ignore[arg-type]
    location = forms.ModelChoiceField(label=_("Kept at"), queryset=None, required=False)  # type: ignore[arg-type]
    origin = forms.CharField(label=_("Origin"), max_length=200, required=False)

    def __init__(self, *args: Any, places: QuerySet[Location], **kwargs: Any) -> None:
        from aftersales.customers.models import ProductModel

        super().__init__(*args, **kwargs)
        self.fields["product_model"].queryset = ProductModel.objects.order_by("code")  # type: ignore[attr-defined]
        self.fields["location"].queryset = places.filter(is_active=True)  # type: ignore[attr-defined]


class LendForm(StyledFormMixin, forms.Form):
    """On a request's page: which available unit goes to the customer."""

    unit = forms.ModelChoiceField(
        label=_("Backup unit"),
        queryset=None,  # type: ignore[arg-type]
        empty_label=_("Choose a backup unit"),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, product_model: Any = None, **kwargs: Any) -> None:
        from django.db.models import Case, IntegerField, Value, When

        from aftersales.parts.models import BackupUnit

        super().__init__(*args, **kwargs)
        units = BackupUnit.objects.filter(status=BackupUnit.Status.AVAILABLE).select_related(
            "product_model"
        )
        if product_model is not None:  # the same model first
            units = units.annotate(
                same=Case(
                    When(product_model=product_model, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            ).order_by("same", "serial_number")
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class ToolKitForm(StyledFormMixin, forms.Form):
    code = forms.CharField(label=_("Code"), max_length=30)
    holder = forms.ModelChoiceField(label=_("Technician"), queryset=None)  # type: ignore[arg-type]
    tools = forms.CharField(
        label=_("Tools"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One tool a line: name, a comma, its asset number if it has one."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from aftersales.accounts.selectors import technicians

        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = technicians()  # type: ignore[attr-defined]

    def clean_tools(self) -> list[tuple[str, str]]:
        tools = []
        for line in self.cleaned_data["tools"].splitlines():
            if line.strip():
                name, _sep, asset = line.replace("，", ",").partition(",")
                tools.append((name.strip(), asset.strip()))
        return tools
