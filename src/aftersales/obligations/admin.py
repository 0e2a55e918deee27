from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from aftersales.obligations.models import (
    EscalationStep,
    Notification,
    Obligation,
    ObligationEvent,
    Policy,
)


class EscalationStepInline(admin.TabularInline):
    model = EscalationStep
    extra = 0


@admin.register(Policy)
class PolicyAdmin(SimpleHistoryAdmin):
    list_display = ("rule", "severity", "amount", "unit", "calendar", "warn_percent")
    list_filter = ("unit", "calendar")
    search_fields = ("rule", "description")
    inlines = [EscalationStepInline]


@admin.register(EscalationStep)
class EscalationStepAdmin(SimpleHistoryAdmin):
    list_display = ("policy", "step", "role", "delay_amount", "delay_unit")


class EventInline(admin.TabularInline):
    model = ObligationEvent
    extra = 0
    readonly_fields = ("at", "actor", "kind", "from_state", "to_state", "note")
    can_delete = False


@admin.register(Obligation)
class ObligationAdmin(admin.ModelAdmin):
    """Read-only: obligations change through their services (pause, meet, cancel…)."""

    list_display = ("rule", "severity", "state", "due_at", "responsible", "escalation_step")
    list_filter = ("state", "rule")
    raw_id_fields = ("responsible", "policy", "department")
    inlines = [EventInline]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("user", "message", "created_at", "read_at")
    raw_id_fields = ("user", "obligation")
