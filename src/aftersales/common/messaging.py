"""Sending an SMS or e-mail through a pluggable sender, and keeping what was sent.

``MESSAGE_SENDER`` names the sender class (``module.Class``); it is called
with the message and answers (status, detail). The default sends e-mail through
Django's mail settings and only logs SMS, since no SMS gateway is configured;
an installation plugs in its gateway's class. Every message is kept as an
``OutboundMessage`` on the record it is about, whatever the sender did.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import models
from django.utils import timezone
from django.utils.module_loading import import_string

from aftersales.common.models import OutboundMessage

log = logging.getLogger("aftersales.messages")


class Sender(Protocol):
    def send(self, message: OutboundMessage) -> tuple[str, str]: ...


class DefaultSender:
    """E-mail through Django; SMS only logged (no gateway configured)."""

    def send(self, message: OutboundMessage) -> tuple[str, str]:
        if message.channel == OutboundMessage.Channel.EMAIL:
            send_mail(message.subject or message.body[:40], message.body, None, [message.to])
            return OutboundMessage.Status.SENT, ""
        log.info("SMS to %s: %s", message.to, message.body)
        return OutboundMessage.Status.LOGGED, "no SMS gateway configured"


def _sender() -> Any:
    return import_string(
        getattr(settings, "MESSAGE_SENDER", "aftersales.common.messaging.DefaultSender")
    )()


def message_send(
    *,
    actor: Any,
    about: models.Model,
    to: str,
    body: str,
    channel: str = OutboundMessage.Channel.SMS,
    subject: str = "",
    secret: str = "",
) -> OutboundMessage:
    """Send (or log) one message and keep it. A sender that fails does not undo the
    caller's work: the failure is recorded on the message. ``secret`` (a one-time
    link's token) goes to the recipient but is blanked in the copy kept."""
    message = OutboundMessage(
        channel=channel,
        to=to[:200],
        subject=subject[:200],
        body=body[:2000],
        at=timezone.now(),
        actor=actor,
        content_type=ContentType.objects.get_for_model(about),
        object_id=about.pk,
    )
    try:
        message.status, message.detail = _sender().send(message)
    except Exception as error:  # a gateway's error must not lose the complaint
        log.exception("sending a message failed")
        message.status, message.detail = OutboundMessage.Status.FAILED, str(error)[:300]
    if secret:
        message.body = message.body.replace(secret, "*" * 8)
    message.save()
    return message


def messages_about(record: models.Model) -> models.QuerySet[OutboundMessage]:
    return OutboundMessage.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    )
