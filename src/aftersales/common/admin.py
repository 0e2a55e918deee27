from typing import Any

from django.contrib import admin

from aftersales.common.models import Attachment, IdempotentRequest, OutboundMessage, Transition


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written by services only (ledgers, messages sent, evidence): the admin
    shows them and changes nothing."""

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(OutboundMessage)
class OutboundMessageAdmin(ReadOnlyAdmin):
    """What was sent, as it was sent."""

    list_display = ("at", "channel", "to", "status", "attempts")
    list_filter = ("channel", "status")
    search_fields = ("to",)


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    """Files kept as evidence; withdrawn through the record's page, never deleted."""

    list_display = ("uploaded_at", "name", "mime", "size", "content_type", "uploaded_by")
    list_filter = ("mime", "content_type")
    search_fields = ("name", "caption", "sha256")
    exclude = ("file",)


@admin.register(Transition)
class TransitionAdmin(ReadOnlyAdmin):
    """Every status change of the records that keep no log of their own."""

    list_display = ("at", "content_type", "object_id", "from_status", "to_status", "actor")
    list_filter = ("content_type", "to_status")


@admin.register(IdempotentRequest)
class IdempotentRequestAdmin(ReadOnlyAdmin):
    """The API creates sent with an Idempotency-Key, and what each answered."""

    list_display = ("created_at", "user", "key", "status_code")
    search_fields = ("key",)
