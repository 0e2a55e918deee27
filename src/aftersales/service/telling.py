"""What the caller hears of their request: that it is received, under which number
(R-SR-1), and when the technician will arrive (R-WO-1) — never who, nor the internal
limits. By SMS to a mobile number; a request that came by e-mail is answered by
e-mail, in the same thread (its subject carries the number, so a reply finds it)."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.common.messaging import message_send, messages_about
from aftersales.common.models import OutboundMessage
from aftersales.service.models import ServiceRequest

MOBILE_DIGITS = r"1[3-9]\d{9}"  # a Chinese mobile number, as its eleven digits
MOBILE = re.compile(rf"^(\+?86)?{MOBILE_DIGITS}$")


def mobile(phone: str) -> str:
    """The caller's number if it can take an SMS (a Chinese mobile number), else ""."""
    digits = re.sub(r"[\s-]", "", phone or "")
    return digits if MOBILE.match(digits) else ""


def thread_subject(request: ServiceRequest, words: str) -> str:
    return f"[{request.number}] {words}"[:200]


def _tell(
    actor: User | None,
    request: ServiceRequest,
    *,
    event: str,
    text: str,
    subject: str,
    values: dict[str, str],
    email: str = "",
) -> None:
    from aftersales.delivery.texts import text_for

    told = messages_about(request).filter(kind=event)
    if email:
        subject, body = text_for(
            event, OutboundMessage.Channel.EMAIL, values, default=text, subject=subject
        )
        if told.filter(to=email, body=body).exists():
            return  # a team of three arrives at one time: the caller hears it once
        message_send(
            actor=actor,
            about=request,
            to=email,
            body=body,
            channel=OutboundMessage.Channel.EMAIL,
            subject=thread_subject(request, subject),
            kind=event,
        )
        return
    phone = mobile(request.caller_phone)
    if phone:
        _subject, body = text_for(event, OutboundMessage.Channel.SMS, values, default=text)
        if told.filter(to=phone, body=body).exists():
            return
        message_send(actor=actor, about=request, to=phone, body=body, kind=event)


def tell_received(actor: User | None, request: ServiceRequest, *, email: str = "") -> None:
    values = {"name": request.caller_name, "number": request.number}
    text = (
        _(
            "%(name)s, your service request has been received as %(number)s. Quote this number "
            "when you contact us about it."
        )
        % values
    )
    _tell(
        actor,
        request,
        event="request.received",
        text=text,
        subject=_("Your service request is received"),
        values=values,
        email=email,
    )


def tell_arrival(actor: User | None, request: ServiceRequest, at: dt.datetime) -> None:
    values = {
        "name": request.caller_name,
        "number": request.number,
        "at": timezone.localtime(at).strftime("%Y-%m-%d %H:%M"),
    }
    text = (
        _("%(name)s, for your service request %(number)s our technician plans to arrive at %(at)s.")
        % values
    )
    _tell(
        actor,
        request,
        event="request.arrival",
        text=text,
        subject=_("When our technician arrives"),
        values=values,
        email=_mail_of(request),
    )


def _mail_of(request: ServiceRequest) -> str:
    """A request that came by mail is answered by mail, to the address it came from."""
    if request.channel != "email":
        return ""
    first = request.mails.order_by("received_at", "pk").only("sender").first()  # type: ignore[attr-defined]
    return first.sender if first is not None else ""
