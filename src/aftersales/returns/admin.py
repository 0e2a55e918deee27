from django.contrib import admin

from aftersales.returns.models import ReturnRequest, UnpackingInspection
from aftersales.service.admin import ServicesOnly


@admin.register(ReturnRequest)
class ReturnRequestAdmin(ServicesOnly):
    list_display = ("number", "customer", "kind", "status", "requested_at")
    list_filter = ("status", "kind")
    search_fields = ("number",)


@admin.register(UnpackingInspection)
class UnpackingInspectionAdmin(admin.ModelAdmin):
    list_display = ("customer", "outcome", "inspected_at", "signed_by")
    list_filter = ("outcome",)

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
