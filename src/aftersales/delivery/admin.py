from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from aftersales.common.messaging import message_send
from aftersales.common.models import OutboundMessage
from aftersales.delivery.models import Channel, Preference


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


from aftersales.common.admin import ReadOnlyAdmin  # noqa: E402
from aftersales.delivery.models import WebhookDelivery, WebhookSubscription  # noqa: E402


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "url", "events", "enabled"]
    readonly_fields = ["secret"]  # generated; the receiver is given it to check signatures


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    """The delivery log, with replay."""

    list_display = ["created_at", "subscription", "event", "status", "attempts", "response_status"]
    list_filter = ["status", "event", "subscription"]
    list_select_related = ["subscription"]
    actions = ["replay"]

    @admin.action(description=gettext_lazy("Send again (replay)"))
    def replay(self, request: Any, queryset: Any) -> None:
        from aftersales.delivery.webhooks import webhook_replay

        with transaction.atomic():
            for delivery in queryset.select_related("subscription"):
                webhook_replay(actor=request.user, delivery=delivery)
        self.message_user(request, _("Queued to be sent again."))


from django.utils.html import format_html  # noqa: E402

from aftersales.delivery.models import MessageText  # noqa: E402
from aftersales.delivery.texts import EVENTS, fill, sms_parts  # noqa: E402


@admin.register(MessageText)
class MessageTextAdmin(SimpleHistoryAdmin):
    """Each message's words, with a preview filled with sample values and its SMS
    length; an unknown variable is refused when saved."""

    list_display = ["event", "channel", "body"]
    list_filter = ["event", "channel"]
    readonly_fields = ["variables", "preview"]
    fields = ["event", "channel", "subject", "body", "variables", "preview"]

    @admin.display(description=gettext_lazy("variables"))
    def variables(self, obj: Any) -> str:
        event = EVENTS.get(getattr(obj, "event", "") or "")
        if event is None:
            return _("Save once to see this message's variables.")
        return "、".join("{" + name + "}" for name in event.variables)

    @admin.display(description=gettext_lazy("preview"))
    def preview(self, obj: Any) -> str:
        event = EVENTS.get(getattr(obj, "event", "") or "")
        if event is None or not obj.body:
            return "—"
        text = fill(obj.body, event.variables)
        return format_html(
            "<div style='white-space: pre-line'>{}</div><div class='help'>{}</div>",
            text,
            _("%(n)s characters; as SMS: %(parts)s message(s)")
            % {"n": len(text), "parts": sms_parts(text)},
        )


@admin.register(Preference)
class PreferenceAdmin(SimpleHistoryAdmin):
    """A role's row is everyone's default in that role; a person's own row (their
    account page) replaces their roles' for that kind of alert."""

    list_display = ["role", "user", "event", "email", "sms"]
    list_filter = ["role", "event"]
    raw_id_fields = ["user"]
