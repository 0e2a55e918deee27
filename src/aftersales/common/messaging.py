"""SMS and e-mail to people outside the system, through a pluggable sender, after commit.

``message_send`` keeps the message on the record it is about (an
``OutboundMessage``, waiting to be sent) in the caller's transaction; only once
that transaction commits does a Huey task hand it to the sender, retrying a
sender that fails. So a rolled-back action sends nothing, and a slow gateway
never holds the database's write lock. ``MESSAGE_SENDER`` names the sender class
(``module.Class``), called with the message and answering (status, detail). The
default sends e-mail through Django's mail settings and only logs SMS, since no
SMS gateway is configured; an installation plugs in its gateway's class.
"""

from __future__ import annotations

import copy
import logging
from typing import Any, Protocol

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from aftersales.common.lifecycle import Lifecycle
from aftersales.common.models import OutboundMessage

log = logging.getLogger("aftersales.messages")
Status = OutboundMessage.Status

# A message's life. The message row itself says when and how often it was tried.
MESSAGE_LIFE = Lifecycle(
    "common.outboundmessage",
    {
        Status.QUEUED: {Status.SENT, Status.LOGGED, Status.FAILED},
        Status.FAILED: {Status.QUEUED},  # sent again
        Status.SENT: set(),
        Status.LOGGED: set(),
    },
    log=None,
)


class Sender(Protocol):
    def send(self, message: OutboundMessage) -> tuple[str, str]: ...


class DefaultSender:
    """E-mail through Django; SMS only logged (no gateway configured)."""

    def send(self, message: OutboundMessage) -> tuple[str, str]:
        if message.channel == OutboundMessage.Channel.EMAIL:
            send_mail(message.subject or message.body[:40], message.body, None, [message.to])
            return Status.SENT, ""
        log.info("SMS to %s: %s", message.to, message.body)
        return Status.LOGGED, "no SMS gateway configured"


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
    """Keep one message on ``about`` and send it once the caller's transaction commits.
    ``secret`` (a one-time link's token) goes to the recipient but is blanked in the
    copy kept."""
    message = OutboundMessage(
        channel=channel,
        to=to[:200],
        subject=subject[:200],
        body=(body.replace(secret, "*" * 8) if secret else body)[:2000],
        at=timezone.now(),
        actor=actor,
        content_type=ContentType.objects.get_for_model(about),
        object_id=about.pk,
    )
    message.save()
    text = body[:2000]
    transaction.on_commit(lambda: _deliver_later(message.pk, text))
    return message


def _deliver_later(message_id: int, text: str) -> None:
    from aftersales.common.tasks import deliver_message

    deliver_message(message_id, text)


def message_deliver(message_id: int, text: str, *, last_try: bool) -> OutboundMessage | None:
    """One try at handing a waiting message to the sender, outside any transaction (a
    slow gateway holds no lock). A failure is recorded and raised again for the task
    to retry, unless this was the last try."""
    message = OutboundMessage.objects.filter(pk=message_id).first()
    if message is None or message.status != Status.QUEUED:
        return message  # gone, or already delivered by an earlier try
    outgoing = copy.copy(message)
    outgoing.body = text  # the kept copy has its secret blanked; the recipient needs it
    failure: Exception | None = None
    try:
        status, detail = _sender().send(outgoing)
    except Exception as error:
        log.exception("sending message %s failed", message_id)
        failure, status, detail = error, Status.FAILED, str(error)
    with transaction.atomic():
        message = OutboundMessage.objects.select_for_update().get(pk=message_id)
        message.attempts += 1
        message.detail = detail[:300]
        if failure is not None and not last_try:
            message.save(update_fields=["attempts", "detail"])
        else:
            message.sent_at = timezone.now() if status != Status.FAILED else None
            MESSAGE_LIFE.move(message, status, actor=None, reason="delivery")
    if failure is not None and not last_try:
        raise failure
    return message


def messages_about(record: models.Model) -> models.QuerySet[OutboundMessage]:
    return OutboundMessage.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    )
