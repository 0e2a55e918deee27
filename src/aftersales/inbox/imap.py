"""Reading the service mailbox over IMAP: every unseen mail, each kept by ``mail_receive``
in its own transaction, then marked seen. A mail kept but not yet marked (the worker
died between) is read again next time and found already kept: never lost, never twice.
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
import os
import re

from django.utils import timezone

from aftersales.inbox.models import Mailbox
from aftersales.inbox.services import mail_receive

log = logging.getLogger("aftersales.inbox")
BATCH = 100  # mails per poll: a full mailbox drains over several minutes, none waits long


class MailboxError(Exception):
    pass


def _connect(box: Mailbox) -> imaplib.IMAP4:
    port = box.port or (993 if box.security == Mailbox.Security.SSL else 143)
    if box.security == Mailbox.Security.SSL:
        client: imaplib.IMAP4 = imaplib.IMAP4_SSL(box.host, port, timeout=box.timeout)
    else:
        client = imaplib.IMAP4(box.host, port, timeout=box.timeout)
        if box.security == Mailbox.Security.STARTTLS:
            client.starttls()
    password = os.environ.get(box.secret_env, "")
    if not password:
        client.shutdown()
        raise MailboxError(f"the environment variable {box.secret_env} is not set")
    client.login(box.username, password)
    return client


def _ok(answer: tuple[str, list]) -> list:
    kind, data = answer
    if kind != "OK":
        raise MailboxError(f"{kind} {data!r}"[:200])
    return data


def mailbox_poll(box: Mailbox) -> int:
    """Read the box's unseen mail; returns how many were kept. A connection error is
    kept on the box (the admin shows it); a mail that cannot be kept stays unseen
    for the next poll and does not hold up the others."""
    read = 0
    try:
        client = _connect(box)
        try:
            _ok(client.select(f'"{box.folder}"'))
            found = _ok(client.uid("SEARCH", "UNSEEN"))
            for uid in (u.decode() for u in (found[0] or b"").split()[:BATCH]):
                data = _ok(client.uid("FETCH", uid, "(BODY.PEEK[])"))
                raw = next((part[1] for part in data if isinstance(part, tuple)), None)
                if raw is not None and not _kept(box, uid, raw):
                    continue
                read += raw is not None
                _ok(client.uid("STORE", uid, "+FLAGS", r"(\Seen)"))
        finally:
            with contextlib.suppress(imaplib.IMAP4.error, OSError):
                client.logout()
        box.last_error = ""
    except (imaplib.IMAP4.error, OSError, MailboxError) as error:
        box.last_error = re.sub(r"\s+", " ", f"{type(error).__name__}: {error}")[:300]
        log.warning("mailbox %s: %s", box.name, box.last_error)
    box.last_polled_at = timezone.now()
    box.save(update_fields=["last_error", "last_polled_at"])
    return read


def _kept(box: Mailbox, uid: str, raw: bytes) -> bool:
    try:
        mail_receive(raw=raw, source=box.name)
    except Exception:  # one bad mail must not stop the mailbox: logged, tried next time
        log.exception("mailbox %s: mail %s not kept", box.name, uid)
        return False
    return True
