from typing import Any

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from aftersales.inbox.models import InboundMail, Mailbox
from aftersales.service.admin import ServicesOnly


@admin.register(Mailbox)
class MailboxAdmin(SimpleHistoryAdmin):
    list_display = ["name", "host", "username", "folder", "enabled", "last_polled_at", "last_error"]
    readonly_fields = ["last_polled_at", "last_error"]
    actions = ["read_now"]

    @admin.action(description=gettext_lazy("Read the mailbox now"))
    def read_now(self, request: Any, queryset: Any) -> None:
        from aftersales.inbox.imap import mailbox_poll

        for box in queryset:
            read = mailbox_poll(box)
            if box.last_error:
                self.message_user(request, f"{box}: {box.last_error}", messages.ERROR)
            else:
                self.message_user(
                    request, _("%(box)s: %(n)d mails read.") % {"box": box, "n": read}
                )


@admin.register(InboundMail)
class InboundMailAdmin(ServicesOnly):
    """Read-only: mail is placed on the mailbox pages, through the services."""

    list_display = ["received_at", "sender", "subject", "outcome", "service_request"]
    list_filter = ["outcome"]
    search_fields = ["sender", "subject", "message_id"]
