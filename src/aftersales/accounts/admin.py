from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm as BaseUserChangeForm
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from aftersales.accounts.models import Department, User


class UserChangeForm(BaseUserChangeForm):
    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean() or {}
        # R-WO-6: no account is deactivated while it holds open work orders.
        if self.instance.pk and self.instance.is_active and data.get("is_active") is False:
            from aftersales.service.services import open_orders_of

            orders = open_orders_of(self.instance)
            if orders:
                numbers = ", ".join(o.number for o in orders[:10])
                raise forms.ValidationError(
                    _("%(user)s still holds open work orders (%(numbers)s): hand them over first.")
                    % {"user": self.instance, "numbers": numbers}
                )
        return data


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    list_display = ("username", "full_name", "department", "phone", "is_active")
    list_filter = ("is_active", "groups", "department")
    search_fields = ("username", "full_name", "phone", "email")

    form = UserChangeForm

    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Service company"), {"fields": ("full_name", "phone", "department")}),
    )


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "head", "is_active")
    search_fields = ("code", "name")
