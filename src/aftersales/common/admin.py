from django.contrib import admin

from aftersales.common.models import OutboundMessage


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    """What was sent, as it was sent: read-only."""

    list_display = ("at", "channel", "to", "status")
    list_filter = ("channel", "status")
    search_fields = ("to",)

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
