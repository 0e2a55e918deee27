from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from aftersales.customers.models import (
    Contact,
    Customer,
    Equipment,
    FaultCode,
    MaintenanceContract,
    PartItem,
    ProductModel,
    Site,
)


class SiteInline(admin.TabularInline):
    model = Site
    extra = 0


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Customer)
class CustomerAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "region", "is_key_customer", "sales_owner", "is_active")
    list_filter = ("is_key_customer", "kind", "region", "is_active")
    search_fields = ("name", "phone")
    inlines = [SiteInline, ContactInline]
    raw_id_fields = ("sales_owner",)


@admin.register(Site)
class SiteAdmin(SimpleHistoryAdmin):
    list_display = ("name", "customer", "address")
    search_fields = ("name", "customer__name")
    raw_id_fields = ("customer",)


@admin.register(Contact)
class ContactAdmin(SimpleHistoryAdmin):
    list_display = ("name", "customer", "phone", "email", "is_primary", "user")
    search_fields = ("name", "phone", "email", "customer__name")
    raw_id_fields = ("customer", "site", "user")


@admin.register(ProductModel)
class ProductModelAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "brand", "category", "default_warranty_months", "is_active")
    list_filter = ("is_active", "category")
    search_fields = ("code", "name", "brand")


@admin.register(PartItem)
class PartItemAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "kind", "unit", "unit_price", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name")
    filter_horizontal = ("product_models",)


@admin.register(Equipment)
class EquipmentAdmin(SimpleHistoryAdmin):
    list_display = (
        "serial_number",
        "product_model",
        "customer",
        "accepted_on",
        "warranty_until",
        "maintenance_until",
    )
    list_filter = ("product_model", "installed_by_us")
    search_fields = ("serial_number", "batch_number", "customer__name")
    raw_id_fields = ("customer", "site", "product_model")
    readonly_fields = ("warranty_until", "maintenance_until")

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        # The derived dates follow the same rule as the services.
        from aftersales.customers.services import derive_periods

        derive_periods(obj)
        super().save_model(request, obj, form, change)


@admin.register(MaintenanceContract)
class MaintenanceContractAdmin(SimpleHistoryAdmin):
    list_display = ("number", "customer", "level", "starts_on", "ends_on")
    list_filter = ("level",)
    search_fields = ("number", "customer__name")
    raw_id_fields = ("customer",)
    filter_horizontal = ("equipment",)


@admin.register(FaultCode)
class FaultCodeAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "product_model")
    list_filter = ("product_model",)
    search_fields = ("code", "name")
