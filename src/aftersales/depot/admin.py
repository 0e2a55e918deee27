from django.contrib import admin

from aftersales.depot.models import RepairBatch, RepairUnit
from aftersales.service.admin import ServicesOnly


class RepairUnitInline(admin.TabularInline):
    model = RepairUnit
    extra = 0
    can_delete = False
    readonly_fields = ("serial_number", "equipment", "fault", "status", "result", "finished_at")


@admin.register(RepairBatch)
class RepairBatchAdmin(ServicesOnly):
    list_display = ("number", "customer", "status", "received_at")
    list_filter = ("status",)
    search_fields = ("number",)
    inlines = [RepairUnitInline]
