"""The default sender of ``common.messaging``: each message through its configured
channel — an SMS provider, the SMTP server, or the group robot it names — or, where
none is configured, e-mail through Django's mail settings and SMS to the log (the
demo: nothing leaves)."""

from __future__ import annotations

import logging

from django.core.mail import EmailMessage

from aftersales.common.messaging import TryLater, mail_id
from aftersales.common.models import OutboundMessage
from aftersales.delivery import providers
from aftersales.delivery.models import Channel

log = logging.getLogger("aftersales.messages")
SMS_KINDS = (Channel.Kind.ALIYUN_SMS, Channel.Kind.TENCENT_SMS)
Status = OutboundMessage.Status


def channel_for(message: OutboundMessage) -> Channel | None:
    enabled = Channel.objects.filter(enabled=True)
    if message.channel == OutboundMessage.Channel.ROBOT:
        return enabled.filter(
            name=message.to, kind__in=[Channel.Kind.DINGTALK, Channel.Kind.WECOM]
        ).first()
    if message.channel == OutboundMessage.Channel.SMS:
        return (
            enabled.filter(kind__in=[*SMS_KINDS, Channel.Kind.LOG]).order_by("kind", "pk").first()
        )
    return enabled.filter(kind=Channel.Kind.SMTP).order_by("pk").first()


def mail_headers(message: OutboundMessage) -> dict[str, str]:
    """Every mail of ours is a machine's (RFC 3834: auto-responders do not answer it),
    and its id leads a reply back to the record it is about."""
    return {"Message-ID": mail_id(message), "Auto-Submitted": "auto-generated"}


class ChannelSender:
    def send(self, message: OutboundMessage) -> tuple[str, str]:
        if not message.to.strip():  # a contact without a phone number: reported, not tried
            return Status.FAILED, "no address"
        channel = channel_for(message)
        if channel is None:
            if message.channel == OutboundMessage.Channel.EMAIL:
                EmailMessage(
                    message.subject or message.body[:40],
                    message.body,
                    None,
                    [message.to],
                    headers=mail_headers(message),
                ).send()
                return Status.SENT, ""
            if message.channel == OutboundMessage.Channel.ROBOT:
                return Status.FAILED, f"no robot channel named {message.to} is in use"
            log.info("SMS to %s: %s", message.to, message.body)
            return Status.LOGGED, "no SMS channel configured"
        if channel.kind == Channel.Kind.LOG:
            log.info("%s to %s: %s", message.channel, message.to, message.body)
            return Status.LOGGED, f"{channel.name}: logged, not sent"
        answer = providers.send(
            channel,
            providers.Outgoing(
                to="" if message.channel == OutboundMessage.Channel.ROBOT else message.to,
                text=message.body,
                subject=message.subject,
                kind=message.kind,
                params={"text": message.body[:60]},
                headers=mail_headers(message)
                if message.channel == OutboundMessage.Channel.EMAIL
                else None,
            ),
        )
        detail = f"{channel.name}: {answer.detail}"[:300]
        if answer.ok:
            message.reference = answer.reference[:100]
            return Status.SENT, detail
        if answer.retry:
            raise TryLater(detail)
        return Status.FAILED, detail
