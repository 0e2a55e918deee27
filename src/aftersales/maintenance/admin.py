from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from aftersales.maintenance.models import (
    Attendee,
    ChecklistItem,
    ChecklistTemplate,
    Inspection,
    InspectionItem,
    Installation,
    MaintenancePlan,
    PlannedVisit,
    TrainingSession,
)


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(SimpleHistoryAdmin):
    list_display = ["name", "version", "product_model", "level", "is_current"]
    inlines = [ChecklistItemInline]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        # A checklist an inspection used is never edited in place: its next version is.
        if obj is not None and Inspection.objects.filter(template=obj).exists():
            return False
        return super().has_change_permission(request, obj)


class VisitInline(admin.TabularInline):
    model = PlannedVisit
    extra = 0
    readonly_fields = ["period", "planned_on", "status", "moved_from", "move_reason"]


@admin.register(MaintenancePlan)
class MaintenancePlanAdmin(SimpleHistoryAdmin):
    list_display = ["contract", "quarter", "status", "confirmed_by", "confirmed_at"]
    list_filter = ["quarter", "status"]
    readonly_fields = ["status"]
    inlines = [VisitInline]


class InspectionItemInline(admin.TabularInline):
    model = InspectionItem
    extra = 0
    readonly_fields = ["item", "result", "measurement", "remark", "flagged", "service_request"]


@admin.register(Inspection)
class InspectionAdmin(SimpleHistoryAdmin):
    list_display = ["number", "customer", "equipment", "technician", "status", "started_at"]
    list_filter = ["status"]
    search_fields = ["number", "equipment__serial_number"]
    readonly_fields = ["status", "technician_signature", "customer_signature"]
    inlines = [InspectionItemInline]


@admin.register(Installation)
class InstallationAdmin(SimpleHistoryAdmin):
    list_display = ["number", "customer", "equipment", "installer", "status", "planned_on"]
    list_filter = ["status"]
    search_fields = ["number", "equipment__serial_number"]
    readonly_fields = ["status", "technician_signature", "customer_signature", "accepted_on"]


class AttendeeInline(admin.TabularInline):
    model = Attendee
    extra = 0


@admin.register(TrainingSession)
class TrainingSessionAdmin(SimpleHistoryAdmin):
    list_display = ["number", "customer", "topic", "planned_on", "trainer", "status"]
    list_filter = ["status", "year"]
    search_fields = ["number", "customer__name", "topic"]
    readonly_fields = ["status", "technician_signature", "customer_signature"]
    inlines = [AttendeeInline]
