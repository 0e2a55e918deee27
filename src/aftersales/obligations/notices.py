"""Telling staff: the one ``notify`` for escalations, major complaints, regional
warnings and every later fan-out.

A notice is a row in the bell (``Notification``), written in the caller's
transaction; the e-mail copy to each person with an address leaves only once
that transaction commits, from a Huey task that retries, so a rolled-back
action tells nobody and a slow mail server never holds the write lock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.obligations.models import Notification, Obligation


def notify(
    *,
    users: Iterable[User],
    message: str,
    url: str = "",
    obligation: Obligation | None = None,
    step: int = 0,
    exclude: User | None = None,
) -> list[Notification]:
    """One notice to each person (once each, however often they are listed)."""
    now = timezone.now()
    people = {user.pk: user for user in users if exclude is None or user.pk != exclude.pk}
    return deliver(
        [
            Notification(
                user=person,
                obligation=obligation,
                round=obligation.round if obligation is not None else 1,
                step=step,
                message=message[:300],
                url=url[:300],
                created_at=now,
            )
            for person in people.values()
        ]
    )


def deliver(notices: list[Notification]) -> list[Notification]:
    """Write the notices (a step already told to a person is not told again) and
    e-mail them after commit."""
    Notification.objects.bulk_create(notices, ignore_conflicts=True)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[After-sales] %(what)s")
    mails = [
        (subject % {"what": notice.message[:60]}, _with_link(notice), notice.user.email)
        for notice in notices
        if notice.user.email and not notice.user.daily_digest  # they read it each morning
    ]
    if mails:
        transaction.on_commit(lambda: _mail_later(mails))
    _to_robots(notices)
    return notices


def _to_robots(notices: list[Notification]) -> None:
    """Each alert once to every group robot taking team alerts (DingTalk, WeCom),
    through the sending path (after commit, tried again, never twice)."""
    from aftersales.common.messaging import message_send
    from aftersales.common.models import OutboundMessage
    from aftersales.delivery.models import Channel

    if not notices:
        return
    robots = list(
        Channel.objects.filter(
            enabled=True, alerts=True, kind__in=[Channel.Kind.DINGTALK, Channel.Kind.WECOM]
        ).values_list("name", flat=True)
    )
    from aftersales.delivery.texts import text_for

    told: set[str] = set()
    for notice in notices:
        text = _with_link(notice)
        if text in told or not robots:
            continue
        told.add(text)
        values = {"text": notice.message, "link": f"{settings.PUBLIC_URL}{notice.url}"}
        _subject, words = text_for("alert", OutboundMessage.Channel.ROBOT, values, default=text)
        for robot in robots:
            message_send(
                actor=None,
                about=notice.obligation,
                to=robot,
                body=words,
                channel=OutboundMessage.Channel.ROBOT,
                kind="alert",
            )


def _with_link(notice: Notification) -> str:
    if not notice.url:
        return notice.message
    return f"{notice.message}\n\n{settings.PUBLIC_URL}{notice.url}"


# The morning digest lists what arrived since the morning before.
DIGEST_WINDOW = dt.timedelta(days=1)


def digests_send(*, now: dt.datetime | None = None) -> int:
    """To each person who chose the daily digest and has an address: one e-mail with
    their unread messages of the last day, one line per record (its latest message and
    how many), each with its link. Returns how many e-mails leave."""
    now = now or timezone.now()
    unread = (
        Notification.objects.filter(
            user__daily_digest=True,
            user__is_active=True,
            read_at__isnull=True,
            created_at__gte=now - DIGEST_WINDOW,
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id", "-created_at", "-pk")
    )
    per_person: dict[int, tuple[User, dict[str, list[Notification]]]] = {}
    for notice in unread:
        _user, records = per_person.setdefault(notice.user_id, (notice.user, {}))
        records.setdefault(notice.url or f"#{notice.pk}", []).append(notice)
    mails = []
    with translation.override(settings.LANGUAGE_CODE):
        for person, records in per_person.values():
            lines = []
            for notices in records.values():
                latest = notices[0]
                more = _(" (%(n)s messages)") % {"n": len(notices)} if len(notices) > 1 else ""
                lines.append(f"· {latest.message}{more}")
                if latest.url:
                    lines.append(f"  {settings.PUBLIC_URL}{latest.url}")
            subject = _("[After-sales] Your day: %(n)s records with unread messages") % {
                "n": len(records)
            }
            mails.append((subject, "\n".join(lines), person.email))
    if mails:
        _mail_later(mails)
    return len(mails)


def _mail_later(mails: list[Any]) -> None:
    from aftersales.obligations.tasks import mail_notices

    mail_notices(mails)


@transaction.atomic
def notification_open(*, actor: User, notification: Notification) -> str:
    """The person opens a message: every unread one about the same record is read now.
    Returns where to go: the record's page (only ever a path of this site)."""
    unread = Notification.objects.filter(user=actor, read_at__isnull=True)
    same = (
        unread.filter(url=notification.url)
        if notification.url
        else unread.filter(pk=notification.pk)
    )
    same.update(read_at=timezone.now())
    url = notification.url
    return url if url.startswith("/") and not url.startswith("//") else ""


@transaction.atomic
def notifications_mark_read(*, actor: User, ids: list[int] | None = None) -> int:
    """Mark the actor's notifications read (all of them when no ids are given)."""
    qs = Notification.objects.filter(user=actor, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
