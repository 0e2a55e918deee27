"""SMS, e-mail and group-robot messages, through one sending path, after commit.

``message_send`` keeps the message on the record it is about (an
``OutboundMessage``, waiting to be sent) in the caller's transaction; only once
that transaction commits does a Huey task hand it to the sender. The task first
claims the message (waiting → being sent, one row update that only one worker can
win), so a message is never sent twice; a sender that fails for now is tried again
later and later (1, 2, 4, 8, 16 minutes), one that refuses for good — or the last
try — leaves it failed, listed on the page of undelivered messages with "send
again". A rolled-back action sends nothing, and a slow gateway never holds the
database's write lock. ``MESSAGE_SENDER`` names the sender class (``module.Class``):
by default the configured channels of ``delivery`` (SMS providers, an SMTP server,
group robots), else Django's mail settings and a log for SMS.
"""

from __future__ import annotations

import copy
import datetime as dt
import logging
from typing import Any, Protocol

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from aftersales.common.lifecycle import Lifecycle
from aftersales.common.models import OutboundMessage

log = logging.getLogger("aftersales.messages")
Status = OutboundMessage.Status
TRIES = 6  # the first and five more
BACKOFF = [dt.timedelta(minutes=2**n) for n in range(TRIES - 1)]  # after try 1, 2, …

# A message's life. The message row itself says when and how often it was tried.
MESSAGE_LIFE = Lifecycle(
    "common.outboundmessage",
    {
        Status.QUEUED: {Status.SENDING},
        Status.SENDING: {Status.SENT, Status.LOGGED, Status.FAILED, Status.QUEUED},
        Status.FAILED: {Status.QUEUED},  # sent again
        Status.SENT: set(),
        Status.LOGGED: set(),
    },
    log=None,
)


class TryLater(Exception):
    """The channel failed for now (a timeout, a 5xx, a rate limit): try again later."""


class Sender(Protocol):
    def send(self, message: OutboundMessage) -> tuple[str, str]: ...


def _sender() -> Any:
    return import_string(
        getattr(settings, "MESSAGE_SENDER", "aftersales.delivery.sending.ChannelSender")
    )()


def message_send(
    *,
    actor: Any,
    about: models.Model | None,
    to: str,
    body: str,
    channel: str = OutboundMessage.Channel.SMS,
    subject: str = "",
    secret: str = "",
    kind: str = "",
    not_before: dt.datetime | None = None,
) -> OutboundMessage:
    """Keep one message on ``about`` and send it once the caller's transaction commits.
    ``secret`` (a one-time link's token) goes to the recipient but is blanked in the
    copy kept; ``kind`` chooses the SMS template; ``not_before`` holds it back (the
    recipient's quiet hours)."""
    outbox = Outbox()
    outbox.add(
        actor=actor,
        about=about,
        to=to,
        body=body,
        channel=channel,
        subject=subject,
        secret=secret,
        kind=kind,
        not_before=not_before,
    )
    return outbox.send()[0]


class Outbox:
    """Messages kept together: one INSERT for them all and one after-commit hook queuing
    each — a sweep that tells a thousand people writes one statement, not a thousand.
    ``add`` takes what ``message_send`` takes; ``send`` keeps and queues them."""

    def __init__(self) -> None:
        self.waiting: list[tuple[OutboundMessage, str, dt.datetime | None]] = []
        self._types: dict[type[models.Model], ContentType] = {}

    def add(
        self,
        *,
        actor: Any,
        about: models.Model | None,
        to: str,
        body: str,
        channel: str = OutboundMessage.Channel.SMS,
        subject: str = "",
        secret: str = "",
        kind: str = "",
        not_before: dt.datetime | None = None,
    ) -> None:
        kind_of = None
        if about is not None:
            kind_of = self._types.get(type(about)) or ContentType.objects.get_for_model(about)
            self._types[type(about)] = kind_of
        message = OutboundMessage(
            channel=channel,
            to=to[:200],
            subject=subject[:200],
            body=(body.replace(secret, "*" * 8) if secret else body)[:2000],
            at=timezone.now(),
            actor=actor,
            kind=kind[:30],
            next_try_at=not_before,
            content_type=kind_of,
            object_id=about.pk if about is not None else None,
        )
        self.waiting.append((message, body[:2000], not_before))

    def send(self) -> list[OutboundMessage]:
        if not self.waiting:
            return []
        kept = OutboundMessage.objects.bulk_create([m for m, _text, _at in self.waiting])
        later = [(m.pk, text, at) for (m, text, at) in self.waiting]
        self.waiting = []

        def queue() -> None:
            now = timezone.now()
            for pk, text, at in later:
                wait = (at - now) if at is not None else None
                _deliver_later(pk, text, delay=wait if wait and wait.total_seconds() > 0 else None)

        transaction.on_commit(queue)
        return kept


def _deliver_later(message_id: int, text: str, *, delay: dt.timedelta | None = None) -> None:
    from aftersales.common.tasks import deliver_message

    if delay is None:
        deliver_message(message_id, text)
    else:
        deliver_message.schedule((message_id, text), delay=int(delay.total_seconds()))


# A message whose task was lost (a consumer killed mid-send, a queue wiped) is picked
# up again after this long; one left "being sent" by a dead worker too — a provider
# may then have it twice, the price of never losing one.
STALE = dt.timedelta(minutes=15)


def _claim(message_id: int) -> OutboundMessage | None:
    """Waiting → being sent, for one worker only (the others find it taken)."""
    with transaction.atomic():
        message = OutboundMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status != Status.QUEUED:
            return None
        message.next_try_at = timezone.now() + STALE  # back by then, or taken as lost
        MESSAGE_LIFE.move(message, Status.SENDING, actor=None, reason="sending")
        return message


def message_deliver(message_id: int, text: str, *, last_try: bool) -> OutboundMessage | None:
    """One try at handing a waiting message to the sender, outside any transaction (a
    slow gateway holds no lock). A failure for now is recorded and put back to wait
    (``TryLater`` raised, for the task to schedule the next try) unless this was the
    last try; a final refusal fails it at once."""
    message = _claim(message_id)
    if message is None:
        return OutboundMessage.objects.filter(pk=message_id).first()  # gone or taken
    outgoing = copy.copy(message)
    outgoing.body = text  # the kept copy has its secret blanked; the recipient needs it
    later = False
    try:
        status, detail = _sender().send(outgoing)
    except Exception as error:  # TryLater, or a sender's own failure: tried again
        if not isinstance(error, TryLater):
            log.exception("sending message %s failed", message_id)
        later, status, detail = True, Status.FAILED, str(error) or type(error).__name__
    with transaction.atomic():
        message = OutboundMessage.objects.select_for_update().get(pk=message_id)
        message.attempts += 1
        message.detail = detail[:300]
        message.reference = str(getattr(outgoing, "reference", ""))[:100]
        if later and not last_try:
            message.next_try_at = timezone.now() + BACKOFF[min(message.attempts, len(BACKOFF)) - 1]
            MESSAGE_LIFE.move(message, Status.QUEUED, actor=None, reason="try again")
        else:
            message.sent_at = timezone.now() if status != Status.FAILED else None
            message.next_try_at = None
            MESSAGE_LIFE.move(message, status, actor=None, reason="delivery")
    if later and not last_try:
        raise TryLater(detail)
    return message


def messages_recover(*, now: dt.datetime | None = None) -> int:
    """Put back on the sending path what no task will send: waiting past its time,
    or being sent for longer than any try takes."""
    now = now or timezone.now()
    stuck = OutboundMessage.objects.filter(status=Status.SENDING, next_try_at__lt=now)
    for message in stuck[:500]:
        with transaction.atomic():
            locked = OutboundMessage.objects.select_for_update().get(pk=message.pk)
            if locked.status == Status.SENDING:
                locked.next_try_at = None
                MESSAGE_LIFE.move(locked, Status.QUEUED, actor=None, reason="worker lost")
    waiting = OutboundMessage.objects.filter(status=Status.QUEUED).filter(
        models.Q(next_try_at__isnull=True, at__lt=now - STALE)
        | models.Q(next_try_at__lt=now - STALE)
    )
    found = 0
    for pk, body in waiting.values_list("pk", "body")[:500]:
        if "********" in body:
            continue  # its one-time link is not kept: the record's own step sends a new one
        _deliver_later(pk, body)
        found += 1
    return found


@transaction.atomic
def message_resend(*, actor: Any, message: OutboundMessage) -> OutboundMessage:
    """An undelivered message sent again (its tries start over), after commit. A
    message whose text held a one-time secret cannot be: its kept copy is blanked."""
    from aftersales.common.exceptions import ValidationError

    message = OutboundMessage.objects.select_for_update().get(pk=message.pk)
    if "********" in message.body:
        raise ValidationError(
            {"message": "This message held a one-time link: send a new one from its record."}
        )
    message.attempts = 0
    message.detail = ""
    MESSAGE_LIFE.move(message, Status.QUEUED, actor=actor, reason="sent again")
    text = message.body
    transaction.on_commit(lambda: _deliver_later(message.pk, text))
    return message


def _mail_domain() -> str:
    sender = str(getattr(settings, "DEFAULT_FROM_EMAIL", "") or "")
    return sender.rsplit("@", 1)[-1].strip("> ").lower() or "aftersales.local"


def _mail_signature(pk: int) -> str:
    import hashlib
    import hmac

    return hmac.new(
        settings.SECRET_KEY.encode(), f"mail:{pk}".encode(), hashlib.sha256
    ).hexdigest()[:16]


def mail_id(message: OutboundMessage) -> str:
    """The Message-ID of an e-mail the system sends: names the kept message, signed, so a
    reply (In-Reply-To, References) leads back to it and no one can forge the way."""
    return f"<m{message.pk}.{_mail_signature(message.pk)}@{_mail_domain()}>"


def message_of_mail_id(value: str) -> OutboundMessage | None:
    """The kept message a Message-ID of ours names, or None (another's id, or forged)."""
    import re

    found = re.fullmatch(r"<m(\d{1,18})\.([0-9a-f]{16})@([^>]+)>", value.strip())
    if found is None or found[2] != _mail_signature(int(found[1])):
        return None
    return OutboundMessage.objects.filter(pk=int(found[1])).first()


def messages_about(record: models.Model) -> models.QuerySet[OutboundMessage]:
    return OutboundMessage.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    )
