from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from aftersales.accounts.models import Department, User


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    list_display = ("username", "full_name", "department", "phone", "is_active")
    list_filter = ("is_active", "groups", "department")
    search_fields = ("username", "full_name", "phone", "email")

    # Deactivating a technician hands over their open work orders first (R-WO-6): the
    # service manager does both on the hand-over page, never here.
    readonly_fields = ("is_active",)

    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Service company"), {"fields": ("full_name", "phone", "department")}),
    )


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "head", "is_active")
    search_fields = ("code", "name")
