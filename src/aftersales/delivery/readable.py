"""Why a message was not delivered, in the reader's words.

The kept ``detail`` is what the channel answered (for the administrator and the
provider's support: "HTTP 500", "isv.MOBILE_NUMBER_ILLEGAL: 非法手机号"); the page of
undelivered messages shows this reading of it instead, with the provider's own words
kept after it where they say more."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Kinds of message that have no editable text of their own.
_OTHER_KINDS = {
    "default": gettext_lazy("every other message"),
    "digest": gettext_lazy("the morning digest"),
    "test": gettext_lazy("the test message"),
}


def _readings() -> list[tuple[re.Pattern[str], str]]:
    return [
        (re.compile(r"^no address$"), _("The recipient has no phone number or address.")),
        (re.compile(r"^no SMS channel configured$"), _("No SMS channel is configured.")),
        (
            re.compile(r"^no robot channel named (?P<name>.+) is in use$"),
            _("No group robot named %(name)s is in use."),
        ),
        (re.compile(r"^logged, not sent$"), _("Logged only, not sent (no channel configured).")),
        (
            re.compile(r"^the environment variable (?P<name>\S+) is not set$"),
            _("The secret's environment variable %(name)s is not set on the server."),
        ),
        (
            re.compile(r"^no SMS template for (?P<kind>\S+)$"),
            _("The SMS channel has no template for “%(kind)s”."),
        ),
        (re.compile(r"^no webhook address$"), _("The group robot has no webhook address.")),
        (
            re.compile(r"^no SMTP server or sender address$"),
            _("The e-mail channel lacks its server or sender address."),
        ),
        (
            re.compile(r"^HTTP (?P<code>\d{3})"),
            _("The provider answered with an error (HTTP %(code)s)."),
        ),
        (
            re.compile(r"^recipient refused: (?P<more>.*)$"),
            _("The mail server refused the address: %(more)s"),
        ),
        (
            re.compile(r"^login refused: (?P<more>.*)$"),
            _("The mail server refused the login: %(more)s"),
        ),
        (
            re.compile(r"^(TimeoutError|timeout|.*timed out)", re.IGNORECASE),
            _("The provider did not answer in time."),
        ),
        (
            re.compile(
                r"^(ConnectionRefusedError|ConnectionError|ConnectionResetError|OSError|"
                r"URLError|gaierror)"
            ),
            _("The provider could not be reached."),
        ),
        (
            re.compile(r"^SMTP\w*(Error|Exception)?: ?(?P<more>.*)$"),
            _("The mail server failed: %(more)s"),
        ),
        (
            re.compile(r"^(?P<code>[\w.-]+): (?P<more>.+)$"),
            _("The provider refused it: %(more)s"),
        ),
    ]


def reason(detail: str) -> str:
    """The detail as the service manager reads it; unknown ones as they are. A provider's
    answer is kept as "channel name: answer"; the answer is read either way."""
    from aftersales.delivery.texts import EVENTS

    text = detail.strip()
    _head, sep, rest = text.partition(": ")
    candidates = [text, rest] if sep else [text]
    readings = _readings()
    for pattern, reading in readings[:-1]:
        for candidate in candidates:
            found = pattern.match(candidate)
            if found is not None:
                return _filled(reading, found, EVENTS)
    generic, reading = readings[-1]
    found = generic.match(rest if sep else text)
    return _filled(reading, found, EVENTS) if found is not None else text


def _filled(reading: str, found: re.Match[str], events: dict[str, Any]) -> str:
    # A provider's own code (isv.…) stays in the kept detail, for its support; the page
    # shows only the HTTP status a reading names.
    values = {
        k: v
        for k, v in found.groupdict().items()
        if v is not None and (k != "code" or "%(code)s" in reading)
    }
    if "kind" in values:
        kind = values["kind"]
        label = events[kind].label if kind in events else _OTHER_KINDS.get(kind, kind)
        values["kind"] = str(label)
    return reading % values if values else reading
