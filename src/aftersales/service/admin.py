from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from aftersales.service.models import Call, NumberSeries, ServiceRequest, StatusChange, WorkOrder


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    readonly_fields = ("at", "actor", "from_status", "to_status", "note")
    can_delete = False


class CallInline(admin.TabularInline):
    model = Call
    extra = 0
    readonly_fields = ("at", "actor", "channel", "caller_name", "caller_phone", "description")
    can_delete = False


@admin.register(ServiceRequest)
class ServiceRequestAdmin(SimpleHistoryAdmin):
    """Read-only here: requests move through their services, which keep the time limits."""

    list_display = ("number", "customer", "severity", "status", "received_at")
    list_filter = ("status", "severity", "channel")
    search_fields = ("number", "caller_phone", "caller_name")
    raw_id_fields = ("customer", "equipment", "duplicate_of", "created_by")
    inlines = [StatusChangeInline, CallInline]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


class ServicesOnly(SimpleHistoryAdmin):
    """Read-only here: these records change through their services (limits, numbers)."""

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(WorkOrder)
class WorkOrderAdmin(ServicesOnly):
    """Read-only: numbers are given and voided only through the services (R-WO-2)."""

    list_display = ("number", "service_request", "technician", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("number",)


@admin.register(NumberSeries)
class NumberSeriesAdmin(admin.ModelAdmin):
    list_display = ("code", "last")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
