"""The words of each message, per event and channel, as the administrator edits them.

Each event the system tells people about is listed here with the variables its text
may use ({number}, {name} …). Without an edited text the built-in one (translated,
in the code) is used; an edited one (admin → 消息模板) replaces it for its channel,
or for every channel when it names none. A text using a variable the event does not
have is refused when saved; the admin shows a preview with sample values and, for
SMS, how many characters and messages it takes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

VARIABLE = re.compile(r"\{(\w+)\}")
SMS_ONE, SMS_PART = 70, 67  # characters of one Chinese SMS, and of each part of a long one


@dataclass(frozen=True)
class Event:
    label: Any
    variables: dict[str, str]  # name → a sample value for the preview


EVENTS: dict[str, Event] = {
    "complaint.received": Event(
        _("Complaint: acknowledgement to the complainant"),
        {"name": "王女士", "number": "TS-2026-000012", "due": "2026-12-08 10:00"},
    ),
    "complaint.progress": Event(
        _("Complaint: news for the complainant"),
        {"name": "王女士", "number": "TS-2026-000012", "what": "调查已开始"},
    ),
    "request.received": Event(
        _("Service request: acknowledgement to the caller"),
        {"name": "王工", "number": "BX-2026-000031"},
    ),
    "request.arrival": Event(
        _("Service request: the technician's arrival time, to the caller"),
        {"name": "王工", "number": "BX-2026-000031", "at": "2026-12-08 14:00"},
    ),
    "survey.invitation": Event(
        _("Satisfaction survey invitation"),
        {
            "company": "华信科技",
            "number": "BX-2026-000031",
            "link": "https://service.example.com/s/…",
            "until": "2026-12-31",
        },
    ),
    "alert": Event(
        _("Alert to staff (escalation, major complaint)"),
        {"text": "BX-2026-000031 首次响应已超时", "link": "https://service.example.com/…"},
    ),
}


def unknown_variables(event: str, text: str) -> list[str]:
    known = EVENTS[event].variables if event in EVENTS else {}
    return sorted({name for name in VARIABLE.findall(text) if name not in known})


def fill(text: str, values: dict[str, Any]) -> str:
    return VARIABLE.sub(lambda m: str(values.get(m[1], m[0])), text)


def sms_parts(text: str) -> int:
    return 1 if len(text) <= SMS_ONE else -(-len(text) // SMS_PART)


def text_for(
    event: str, channel: str, values: dict[str, Any], *, default: str, subject: str = ""
) -> tuple[str, str]:
    """(subject, body): the administrator's text for the event and channel, filled in,
    or the built-in one."""
    from aftersales.delivery.models import MessageText

    edited = (
        MessageText.objects.filter(event=event, channel__in=[channel, ""])
        .order_by("-channel")  # the channel's own text before the one for all
        .first()
    )
    if edited is None:
        return subject, default
    return fill(edited.subject, values) or subject, fill(edited.body, values)
