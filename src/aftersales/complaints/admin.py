from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from aftersales.complaints.models import (
    AcceptanceWindow,
    Complaint,
    CorrectiveAction,
    MonthlyReview,
    RegionalWarning,
    Step,
)


class StepInline(admin.TabularInline):
    model = Step
    extra = 0
    can_delete = False
    readonly_fields = ("at", "actor", "kind", "text")


@admin.register(Complaint)
class ComplaintAdmin(SimpleHistoryAdmin):
    """Read-only here: complaints move through their services, which keep the limits."""

    list_display = ("number", "complainant_name", "category", "status", "received_at")
    list_filter = ("status", "category", "is_major")
    search_fields = ("number", "complainant_name", "complainant_phone")
    inlines = [StepInline]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(CorrectiveAction)
class CorrectiveActionAdmin(SimpleHistoryAdmin):
    list_display = ("complaint", "kind", "owner", "due_on", "done_at", "verified_at")
    list_filter = ("kind",)

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(RegionalWarning)
class RegionalWarningAdmin(admin.ModelAdmin):
    list_display = ("title", "issued_by", "issued_at")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(MonthlyReview)
class MonthlyReviewAdmin(admin.ModelAdmin):
    list_display = ("month", "signed_by", "signed_at")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(AcceptanceWindow)
class AcceptanceWindowAdmin(SimpleHistoryAdmin):
    """Configuration: which categories have an acceptance window (R-CP-8)."""

    list_display = ("category", "days", "counted_from")
