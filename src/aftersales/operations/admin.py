from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from aftersales.operations.models import DutyGroup, Incident, Shift, ShiftSwap
from aftersales.operations.roster import holds_role
from aftersales.service.admin import ServicesOnly


class DutyGroupForm(forms.ModelForm):
    class Meta:
        model = DutyGroup
        fields = ["name", "kind", "cover", "calendar", "phone", "members"]

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean() or {}
        kind, members = data.get("kind"), data.get("members")
        if kind and members is not None:
            wrong = [str(m) for m in members if not holds_role(kind, m)]
            if wrong:
                self.add_error(
                    "members",
                    _("Not qualified for this kind of group: %(names)s.")
                    % {"names": "、".join(wrong)},
                )
        return data


@admin.register(DutyGroup)
class DutyGroupAdmin(SimpleHistoryAdmin):
    form = DutyGroupForm
    list_display = ("name", "kind", "cover", "phone")
    filter_horizontal = ("members",)


@admin.register(Shift)
class ShiftAdmin(ServicesOnly):
    """Planned on the roster page (overlaps and qualifications are checked there)."""

    list_display = ("group", "person", "starts_at", "ends_at")
    list_filter = ("group",)


@admin.register(ShiftSwap)
class ShiftSwapAdmin(ServicesOnly):
    list_display = ("shift", "from_person", "to_person", "status", "requested_at")
    list_filter = ("status",)


@admin.register(Incident)
class IncidentAdmin(ServicesOnly):
    list_display = ("number", "nature", "place", "status", "reported_at")
    list_filter = ("status",)
    search_fields = ("number", "nature", "place")
