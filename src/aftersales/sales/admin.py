from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from aftersales.sales.models import DeliveredUnit, SalesOrder, SalesOrderLine

LINE_FIELDS = (
    "position",
    "item",
    "description",
    "product_model",
    "quantity",
    "unit_price",
    "shipped_on",
)


class LineInline(admin.TabularInline):
    model = SalesOrderLine
    extra = 0
    fields = LINE_FIELDS
    readonly_fields = LINE_FIELDS
    can_delete = False
    show_change_link = True


@admin.register(SalesOrder)
class SalesOrderAdmin(SimpleHistoryAdmin):
    list_display = ["number", "customer", "ordered_on", "salesperson"]
    search_fields = ["number", "customer__name"]
    list_select_related = ["customer", "salesperson"]
    date_hierarchy = "ordered_on"
    raw_id_fields = ["customer", "salesperson"]
    inlines = [LineInline]


class UnitInline(admin.TabularInline):
    model = DeliveredUnit
    extra = 0
    raw_id_fields = ["equipment"]


@admin.register(SalesOrderLine)
class SalesOrderLineAdmin(SimpleHistoryAdmin):
    list_display = ["order", "position", "item", "quantity", "shipped_on"]
    search_fields = ["order__number", "item"]
    list_select_related = ["order"]
    raw_id_fields = ["order", "product_model"]
    inlines = [UnitInline]
