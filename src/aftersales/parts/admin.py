from typing import Any

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from aftersales.common.admin import ReadOnlyAdmin
from aftersales.parts.models import (
    BackupBaseline,
    BackupLoan,
    BackupUnit,
    Balance,
    Location,
    Movement,
    PeriodBalance,
    PeriodClose,
    Tool,
    ToolKit,
)


@admin.register(Location)
class LocationAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "kind", "holder", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name")
    raw_id_fields = ("holder",)


@admin.register(Movement)
class MovementAdmin(ReadOnlyAdmin):
    list_display = ("at", "document", "kind", "item", "location", "quantity", "value", "actor")
    list_filter = ("kind", "month")
    search_fields = ("document", "item__code", "item__name")
    date_hierarchy = "at"


@admin.register(Balance)
class BalanceAdmin(ReadOnlyAdmin):
    list_display = ("item", "location", "quantity", "value")
    search_fields = ("item__code", "item__name")
    list_filter = ("location",)


class PeriodBalanceInline(admin.TabularInline):
    model = PeriodBalance
    extra = 0
    can_delete = False
    readonly_fields = ("item", "quantity", "value")

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(PeriodClose)
class PeriodCloseAdmin(ReadOnlyAdmin):
    list_display = ("month", "closed_at", "closed_by")
    inlines = [PeriodBalanceInline]


@admin.register(BackupUnit)
class BackupUnitAdmin(SimpleHistoryAdmin):
    """Read-only: units move through the backup services, which keep the loans and limits."""

    list_display = ("serial_number", "product_model", "status", "location")
    list_filter = ("status", "product_model")
    search_fields = ("serial_number",)

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(BackupLoan)
class BackupLoanAdmin(ReadOnlyAdmin):
    list_display = ("unit", "customer", "service_request", "lent_at", "returned_at")
    raw_id_fields = ("unit", "customer", "service_request")


@admin.register(BackupBaseline)
class BackupBaselineAdmin(SimpleHistoryAdmin):
    list_display = ("product_model", "quantity")


class ToolInline(admin.TabularInline):
    model = Tool
    extra = 0
    can_delete = False
    readonly_fields = ("name", "asset_number", "status", "replaces", "note")

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(ToolKit)
class ToolKitAdmin(SimpleHistoryAdmin):
    list_display = ("code", "holder", "issued_on")
    search_fields = ("code", "holder__username")
    inlines = [ToolInline]

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False
