from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from aftersales.common.messaging import message_send
from aftersales.common.models import OutboundMessage
from aftersales.delivery.models import Channel


@admin.register(Channel)
class ChannelAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "enabled", "alerts", "endpoint"]
    list_filter = ["kind", "enabled"]
    actions = ["send_test"]
    fieldsets = [
        (None, {"fields": ["name", "kind", "enabled", "alerts", "timeout"]}),
        (gettext_lazy("Provider or robot"), {"fields": ["endpoint", "key_id", "secret_env"]}),
        (gettext_lazy("SMS"), {"fields": ["sign_name", "app_id", "region", "templates"]}),
        (gettext_lazy("E-mail"), {"fields": ["host", "port", "security", "from_address"]}),
    ]

    @admin.action(description=gettext_lazy("Send a test message (to you, or to the group)"))
    def send_test(self, request: Any, queryset: Any) -> None:
        user = request.user
        text = _("Test message from the after-sales system: this channel works.")
        with transaction.atomic():
            for channel in queryset:
                if channel.kind in (Channel.Kind.DINGTALK, Channel.Kind.WECOM):
                    kind, to = OutboundMessage.Channel.ROBOT, channel.name
                elif channel.kind == Channel.Kind.SMTP:
                    kind, to = OutboundMessage.Channel.EMAIL, user.email
                else:
                    kind, to = OutboundMessage.Channel.SMS, user.phone
                if not to:
                    self.message_user(
                        request,
                        _("%(channel)s: your account has no address for it.")
                        % {"channel": channel},
                        messages.WARNING,
                    )
                    continue
                message_send(actor=user, about=channel, to=to, body=text, channel=kind, kind="test")
        self.message_user(request, _("Queued: see the messages sent for how it went."))
