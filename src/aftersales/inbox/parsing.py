"""Reading one e-mail as it arrived (RFC 5322 bytes) into what the intake needs.

Nothing here touches the database: the sender, subject and text (the plain part, or
the HTML part as text), the message ids that thread it, its attachments, and whether
it was sent by a machine rather than a person — an out-of-office answer, a bounce, a
mailing list, or our own mail coming back — which must never become a request or be
answered (that is how two auto-responders loop forever)."""

from __future__ import annotations

import email
import email.policy
import hashlib
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr

MAX_TEXT = 20000
MAX_ATTACHMENTS = 10
ID = re.compile(r"<[^<>\s]{1,250}>")
# The Chinese and English subjects that auto-responders put first.
AUTO_SUBJECT = re.compile(
    r"^\s*(auto(matic)?[ -]?(reply|response)|out of (the )?office|自动回复|自动答复|休假|"
    r"delivery status notification|undeliver|退信|系统退信)",
    re.IGNORECASE,
)
MACHINE_SENDERS = re.compile(r"^(mailer-daemon|postmaster|no-?reply|do-?not-?reply)@", re.I)
# Where a reply's own words end and the quoted mail begins.
QUOTE_START = re.compile(
    r"^\s*(-{2,}\s*(original message|原始邮件|回复的原邮件)\s*-{2,}|"
    r"on .{4,120} wrote:|在 ?.{4,120}写道[:：]|发件人[:：]|from: .+)\s*$",
    re.IGNORECASE,
)


@dataclass
class Part:
    name: str
    content: bytes


@dataclass
class Parsed:
    message_id: str
    sender: str
    sender_name: str
    subject: str
    text: str
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    attachments: list[Part] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # attachment names not kept, and why
    machine: str = ""  # "auto", "bulk", "bounce" or "ours" when a machine sent it

    @property
    def thread_ids(self) -> list[str]:
        """The ids of the mails this one answers, the nearest first."""
        ids = [self.in_reply_to] if self.in_reply_to else []
        return ids + [i for i in reversed(self.references) if i not in ids]


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean(text: str) -> str:
    """Without control characters (a NUL cannot be stored, and none is meant)."""
    return CONTROL.sub("", text)


def _header(message: EmailMessage, name: str) -> str:
    try:
        value = message.get(name, "")
    except (ValueError, IndexError, TypeError):  # a header no parser can read
        return ""
    return _clean(" ".join(str(value or "").split()))


def _ids(value: str) -> list[str]:
    return ID.findall(value)[:50]


def _as_text(markup: str) -> str:
    markup = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", " ", markup)
    markup = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</tr>|</li>", "\n", markup)
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def _part_text(message: EmailMessage, kind: str) -> str:
    try:
        part = message.get_body(preferencelist=(kind,))
        text = part.get_content() if part is not None else ""
    except (LookupError, ValueError, KeyError, AttributeError):  # an unknown charset …
        return ""
    if not isinstance(text, str):
        return ""
    return _as_text(text) if kind == "html" else text


def _body(message: EmailMessage) -> str:
    """The plain text, or the HTML part as text when the plain part is empty or missing."""
    text = _part_text(message, "plain")
    if not text.strip():
        text = _part_text(message, "html")
    lines = [line.rstrip() for line in _clean(text.replace("\r\n", "\n")).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()[:MAX_TEXT]


def own_words(text: str) -> str:
    """A reply without the mail it quotes: the lines before the quoted part begins."""
    kept: list[str] = []
    for line in text.split("\n"):
        if QUOTE_START.match(line):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line)
    return "\n".join(kept).strip() or text


def _machine(
    message: EmailMessage, sender: str, own: set[str], is_ours: Callable[[str], bool]
) -> str:
    """Why a machine sent it (a key of ``MACHINE``), or "" for a person."""
    auto = _header(message, "Auto-Submitted").lower()
    if (
        (auto and auto != "no")
        or _header(message, "X-Autoreply")
        or _header(message, "X-Autorespond")
    ):
        return "auto"
    if _header(message, "Precedence").lower() in ("bulk", "junk", "list", "auto_reply"):
        return "bulk"
    if _header(message, "List-Id") or _header(message, "List-Unsubscribe"):
        return "bulk"
    if _header(message, "Return-Path") == "<>" or message.get_content_type() == "multipart/report":
        return "bounce"
    if not sender or MACHINE_SENDERS.match(sender):
        return "bounce"
    if sender in own or any(is_ours(i) for i in _ids(_header(message, "Message-ID"))):
        return "ours"
    if AUTO_SUBJECT.match(_header(message, "Subject")):
        return "auto"
    return ""


def parse(
    raw: bytes, *, own_addresses: set[str], is_ours: Callable[[str], bool] = lambda _id: False
) -> Parsed:
    """The mail's parts. ``own_addresses`` are the system's own sender addresses and
    ``is_ours`` tells its own Message-IDs: mail from either is a loop."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    name, address = parseaddr(_header(message, "From"))
    name, address = _clean(name), _clean(address)
    reply_to = getaddresses([_header(message, "Reply-To")])
    sender = (reply_to[0][1] if reply_to and "@" in reply_to[0][1] else address).lower()[:254]
    found = _ids(_header(message, "Message-ID"))
    # A mail without an id gets one from its bytes: the same mail twice is still once.
    message_id = found[0] if found else f"<{hashlib.sha256(raw).hexdigest()}@no-message-id>"
    parsed = Parsed(
        message_id=message_id[:250],
        sender=sender if "@" in sender else "",
        sender_name=name[:100],
        subject=_header(message, "Subject")[:200],
        text=_body(message),
        in_reply_to=(_ids(_header(message, "In-Reply-To")) or [""])[0],
        references=_ids(_header(message, "References")),
    )
    parsed.machine = _machine(message, address.lower(), {a.lower() for a in own_addresses}, is_ours)
    for part in message.iter_attachments():
        filename = _clean(str(part.get_filename() or ""))[:200] or "附件"
        if len(parsed.attachments) >= MAX_ATTACHMENTS:
            parsed.skipped.append(filename)
            continue
        try:
            content = part.get_content()
        except (LookupError, ValueError, KeyError):
            parsed.skipped.append(filename)
            continue
        if isinstance(content, str):
            content = content.encode()
        if isinstance(content, bytes) and content:
            parsed.attachments.append(Part(filename, content))
        else:  # a mail forwarded inside the mail, or an empty file
            parsed.skipped.append(filename)
    return parsed
