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
    urgent: bool = False,
) -> list[Notification]:
    """One notice to each person (once each, however often they are listed); an
    urgent one (a major complaint) never waits for quiet hours and goes by SMS too to
    those who asked for that."""
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
        ],
        urgent=urgent,
    )


def deliver(notices: list[Notification], *, urgent: bool = False) -> list[Notification]:
    """Write the notices (a step already told to a person is not told again) and send
    each person their copy through the sending path, by the channels they (or their
    roles) chose for that kind of alert (``delivery.preferences``): by e-mail unless
    they read one digest each morning, by SMS when chosen — and by SMS whenever it is
    urgent and they asked for that. Outside urgency, a copy falling in the person's
    quiet hours waits for their end."""
    from aftersales.common.messaging import Outbox
    from aftersales.common.models import OutboundMessage
    from aftersales.delivery.preferences import chooser, event_of

    Notification.objects.bulk_create(notices, ignore_conflicts=True)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[After-sales] %(what)s")
    now = timezone.now()
    choose = chooser(notice.user for notice in notices)
    outbox = Outbox()  # every copy in one INSERT
    for notice in notices:
        person, pressing = notice.user, urgent or is_urgent(notice)
        wait = None if pressing else quiet_end(person, now)
        by_email, by_sms = choose(person, event_of(notice))
        # A digest reader reads it each morning.
        if by_email and person.email and not person.daily_digest:
            outbox.add(
                actor=None,
                about=notice.obligation,
                to=person.email,
                body=_with_link(notice),
                channel=OutboundMessage.Channel.EMAIL,
                subject=subject % {"what": notice.message[:60]},
                kind="alert",
                not_before=wait,
            )
        if person.phone and (by_sms or (pressing and person.sms_alerts)):
            outbox.add(
                actor=None,
                about=notice.obligation,
                to=person.phone,
                body=notice.message,
                kind="alert",
                not_before=wait,
            )
    outbox.send()
    _to_robots(notices)
    return notices


def is_urgent(notice: Notification) -> bool:
    """A P1 limit or an emergency's (OP.) never waits for anyone's quiet hours."""
    obligation = notice.obligation
    return obligation is not None and (
        obligation.severity == "P1" or obligation.rule.startswith("OP.")
    )


def quiet_end(person: User, now: dt.datetime) -> dt.datetime | None:
    """When the person's quiet hours end, if ``now`` falls in them (else None)."""
    start, end = person.quiet_from, person.quiet_until
    if start is None or end is None:
        return None
    local = timezone.localtime(now)
    t = local.time().replace(tzinfo=None)
    inside = start <= t < end if start < end else (t >= start or t < end)
    if not inside:
        return None
    day = local.date() if t < end else local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, end, tzinfo=local.tzinfo)


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
    from aftersales.common.messaging import Outbox

    outbox = Outbox()  # through the sending path, like every message, in one INSERT
    for subject, body, address in mails:
        outbox.add(
            actor=None,
            about=None,
            to=address,
            body=body[:2000],
            channel="email",
            subject=subject,
            kind="digest",
        )
    outbox.send()
    return len(mails)


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
