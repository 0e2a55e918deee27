"""What becomes of each mail to the service mailbox (R-SR-1, channel 邮件).

``mail_receive`` takes one mail as it arrived, from the IMAP poll or piped in by the
mail server, and in one transaction keeps it and decides:

- sent by a machine (an out-of-office answer, a bounce, a list, our own mail coming
  back), or the twenty-first mail from one address within an hour → ignored, never
  answered (that is how two auto-responders loop);
- a reply to one of our mails or to a mail already on a request (its In-Reply-To or
  References), or naming an open request's number from an address of that customer →
  added to that request, as a further call, with its attachments;
- from an address of exactly one customer's contact → a new service request (channel
  e-mail, received when the mail arrived, the unit found by a serial number the mail
  names), acknowledged by mail in the same thread;
- anything else → the triage list, where an agent makes it a request, adds it to one,
  or discards it with a reason.

The same mail twice (its Message-ID, or its bytes when it has none) is kept once:
a poll that dies between reading and marking a mail seen reads it again harmlessly.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.common import attachments
from aftersales.common.audit import save_audited
from aftersales.common.exceptions import ConflictError, ValidationError
from aftersales.common.lifecycle import Lifecycle
from aftersales.common.messaging import message_of_mail_id
from aftersales.customers.models import Contact, Customer, Equipment
from aftersales.inbox import parsing
from aftersales.inbox.models import InboundMail
from aftersales.service.models import Channel, ServiceRequest

Outcome = InboundMail.Outcome
MAIL_LIFE = Lifecycle(
    "inbox.inboundmail",
    {
        Outcome.RECEIVED: {Outcome.REQUEST, Outcome.ADDED, Outcome.TRIAGE, Outcome.IGNORED},
        Outcome.TRIAGE: {Outcome.REQUEST, Outcome.ADDED, Outcome.DISCARDED},
        Outcome.REQUEST: set(),
        Outcome.ADDED: set(),
        Outcome.IGNORED: set(),
        Outcome.DISCARDED: set(),
    },
    field="outcome",
)
NUMBER = re.compile(r"\bBX-\d{4}-\d{6}\b", re.IGNORECASE)
SERIAL_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9_/.-]{2,39}")
FINISHED = (ServiceRequest.Status.CLOSED, ServiceRequest.Status.CANCELLED)


def max_bytes() -> int:
    return int(getattr(settings, "INBOX_MAX_BYTES", 25 * 1024 * 1024))


def loop_limit() -> int:
    """Mails from one address within an hour beyond which the rest are taken as a loop."""
    return int(getattr(settings, "INBOX_LOOP_LIMIT", 20))


def own_addresses() -> set[str]:
    from aftersales.delivery.models import Channel as Outgoing

    found = {str(settings.DEFAULT_FROM_EMAIL).lower()}
    found |= {
        a.lower()
        for a in Outgoing.objects.filter(kind=Outgoing.Kind.SMTP).values_list(
            "from_address", flat=True
        )
        if a
    }
    from aftersales.inbox.models import Mailbox

    found |= {u.lower() for u in Mailbox.objects.values_list("username", flat=True) if "@" in u}
    return found


def mail_receive(*, raw: bytes, source: str = "") -> InboundMail:
    """Keep one arrived mail and do with it what the module's docstring says."""
    too_large = len(raw) > max_bytes()
    parsed = parsing.parse(
        raw[: 1024 * 1024] if too_large else raw,
        own_addresses=own_addresses(),
        is_ours=lambda value: message_of_mail_id(value) is not None,
    )
    if too_large:
        parsed.attachments = []
        parsed.skipped.append(_("the whole mail is larger than %(mb)d MB") % _mb())
    try:
        return _receive(parsed, size=len(raw), source=source)
    except IntegrityError:  # another worker kept the same mail a moment ago
        found = InboundMail.objects.filter(message_id=parsed.message_id).first()
        if found is None:
            raise
        return found


def _mb() -> dict[str, int]:
    return {"mb": max_bytes() // (1024 * 1024)}


@transaction.atomic
def _receive(parsed: parsing.Parsed, *, size: int, source: str) -> InboundMail:
    existing = InboundMail.objects.filter(message_id=parsed.message_id).first()
    if existing is not None:
        return existing
    now = timezone.now()
    mail = InboundMail(
        message_id=parsed.message_id,
        in_reply_to=parsed.in_reply_to,
        sender=parsed.sender,
        sender_name=parsed.sender_name,
        subject=parsed.subject,
        text=parsed.text,
        received_at=now,
        size=size,
        source=source[:100],
        skipped=parsed.skipped,
    )
    save_audited(mail, actor=None, reason="received")
    if parsed.machine:
        mail.why = parsed.machine
        MAIL_LIFE.move(mail, Outcome.IGNORED, actor=None, reason=parsed.machine)
        return mail
    recent = InboundMail.objects.filter(
        sender=parsed.sender, received_at__gte=now - dt.timedelta(hours=1)
    ).count()
    if recent > loop_limit():
        mail.why = "loop"
        MAIL_LIFE.move(mail, Outcome.IGNORED, actor=None, reason="loop")
        return mail
    contact, why = _contact(parsed.sender)
    mail.contact = contact
    request = _thread(parsed, contact)
    if request is not None and request.status not in FINISHED:
        _add(mail, request, parsed, actor=None)
        return mail
    if contact is not None and not contact.phone:
        contact, why = None, "no-phone"
    if contact is None:
        mail.why = why
        MAIL_LIFE.move(mail, Outcome.TRIAGE, actor=None, reason="triage")
        _keep_files(mail, mail, parsed, actor=None)  # until an agent places it
        return mail
    created = _new_request(mail, contact.customer, contact, parsed, earlier=request)
    if created.joined:  # type: ignore[attr-defined]  # the same caller's open request
        MAIL_LIFE.move(mail, Outcome.ADDED, actor=None, reason="added")
    else:
        MAIL_LIFE.move(mail, Outcome.REQUEST, actor=None, reason="request")
    _keep_files(mail, created, parsed, actor=None)
    return mail


def _contact(sender: str) -> tuple[Contact | None, str]:
    """The one customer's contact this address belongs to, or why there is none."""
    if not sender:
        return None, "no-sender"
    found = list(
        Contact.objects.filter(email__iexact=sender)
        .select_related("customer", "site")
        .order_by("-is_primary", "pk")[:20]
    )
    if not found:
        return None, "unknown"
    if len({c.customer_id for c in found}) > 1:
        return None, "several"
    return found[0], ""


def _thread(parsed: parsing.Parsed, contact: Contact | None) -> ServiceRequest | None:
    """The request the mail answers: by the ids it replies to, else by a request number
    in its subject when the sender is a contact of that request's customer."""
    from django.contrib.contenttypes.models import ContentType

    kind = ContentType.objects.get_for_model(ServiceRequest)
    for value in parsed.thread_ids[:20]:
        ours = message_of_mail_id(value)
        if ours is not None and ours.object_id and ours.content_type_id == kind.pk:
            return ServiceRequest.objects.filter(pk=ours.object_id).first()
    earlier = (
        InboundMail.objects.filter(
            message_id__in=parsed.thread_ids[:50], service_request__isnull=False
        )
        .select_related("service_request")
        .first()
    )
    if earlier is not None:
        return earlier.service_request
    if contact is None:
        return None
    numbers = [n.upper() for n in NUMBER.findall(parsed.subject)][:5]
    return (
        ServiceRequest.objects.filter(number__in=numbers, customer_id=contact.customer_id)
        .order_by("-received_at")
        .first()
        if numbers
        else None
    )


def _description(parsed: parsing.Parsed, text: str | None = None) -> str:
    words = text if text is not None else parsed.text
    return (f"{parsed.subject}\n\n{words}" if parsed.subject else words).strip()[:4000] or "-"


def _caller(mail: InboundMail, contact: Contact | None) -> tuple[str, str]:
    if contact is not None:
        return contact.name, contact.phone
    return (mail.sender_name or mail.sender or _("sender unknown"))[:50], ""


def _add(
    mail: InboundMail, request: ServiceRequest, parsed: parsing.Parsed, *, actor: User | None
) -> None:
    from aftersales.service.service_requests import service_request_add_call

    name, phone = _caller(mail, mail.contact)
    service_request_add_call(
        actor=actor,
        request=request,
        at=mail.received_at,
        channel=Channel.EMAIL,
        caller_name=name,
        caller_phone=phone,
        description=_description(parsed, parsing.own_words(parsed.text)),
    )
    mail.service_request = request
    _handled(mail, actor, Outcome.ADDED)
    _keep_files(mail, request, parsed, actor=actor)


def _serial(customer: Customer, parsed: parsing.Parsed) -> str:
    """The customer's one unit whose serial number the mail names, or ""."""
    words = {w.upper() for w in SERIAL_WORD.findall(f"{parsed.subject} {parsed.text[:4000]}")}
    words = {w for w in words if any(ch.isdigit() for ch in w)}
    if not words:
        return ""
    found = list(
        Equipment.objects.filter(customer=customer, retired_on__isnull=True)
        .filter(serial_number__in=sorted(words)[:200])
        .values_list("serial_number", flat=True)[:2]
    )
    return found[0] if len(found) == 1 else ""


def _new_request(
    mail: InboundMail,
    customer: Customer,
    contact: Contact,
    parsed: parsing.Parsed,
    *,
    earlier: ServiceRequest | None,
) -> ServiceRequest:
    from aftersales.service.service_requests import service_request_create

    name, phone = _caller(mail, contact)
    description = _description(parsed)
    if earlier is not None:  # a reply to a closed request: a new one, saying so
        description = (
            _("Reply to the closed request %(number)s.") % {"number": earlier.number}
            + "\n"
            + description
        )[:4000]
    serial = _serial(customer, parsed)
    request = service_request_create(
        actor=None,
        customer=customer,
        channel=Channel.EMAIL,
        severity="P3",
        caller_name=name,
        caller_phone=phone,
        description=description,
        serial_number=serial,
        received_at=mail.received_at,
        site=contact.site if not serial else None,
        reply_to=mail.sender,
    )
    mail.service_request = request
    return request


def _keep_files(
    mail: InboundMail, about: Any, parsed: parsing.Parsed, *, actor: User | None
) -> None:
    """The mail's attachments on the record (last: nothing after them rolls back);
    a file of a kind not kept, or too large, is named in the mail's list instead."""
    skipped = list(mail.skipped)
    uploader = getattr(mail.contact, "user", None) if actor is None else actor
    for part in parsed.attachments:
        upload = SimpleUploadedFile(part.name, part.content)
        try:
            attachments.check_upload(upload)
        except ValidationError as error:
            skipped.append(f"{part.name}: {_first(error)}")
            continue
        made = attachments.attach(actor=actor, about=about, upload=upload)
        if uploader is not None and made.uploaded_by_id is None:
            # The customer's own file: their portal account, when they have one, sees it.
            type(made).objects.filter(pk=made.pk).update(uploaded_by=uploader)
    if skipped != mail.skipped:
        mail.skipped = skipped[:50]
        mail.save(update_fields=["skipped"])


def _first(error: ValidationError) -> str:
    messages = getattr(error, "message_dict", None) or {"": error.messages}
    return next(iter(messages.values()))[0]


# --- the agent's triage ------------------------------------------------------------


def _check_waiting(mail: InboundMail) -> None:
    if mail.outcome != Outcome.TRIAGE:
        raise ConflictError(_("This mail has already been dealt with."))


def _mail_files(mail: InboundMail) -> parsing.Parsed:
    """The files kept on a mail waiting in triage, to keep them on its request."""
    parts = []
    for kept in attachments.attachments_of(mail):
        with kept.file.open("rb") as handle:
            parts.append(parsing.Part(kept.name, handle.read()))
    return parsing.Parsed(
        message_id=mail.message_id,
        sender=mail.sender,
        sender_name=mail.sender_name,
        subject=mail.subject,
        text=mail.text,
        attachments=parts,
    )


@transaction.atomic
def mail_make_request(
    *,
    actor: User,
    mail: InboundMail,
    customer: Customer,
    severity: str,
    caller_name: str,
    caller_phone: str,
    description: str,
    serial_number: str = "",
    save_contact: bool = False,
) -> ServiceRequest:
    """An agent makes a waiting mail a service request (received when the mail arrived),
    and may keep the sender's address as the customer's contact for next time."""
    from aftersales.customers.services import contact_create
    from aftersales.service.service_requests import service_request_create

    mail = InboundMail.objects.select_for_update().get(pk=mail.pk)
    _check_waiting(mail)
    request = service_request_create(
        actor=actor,
        customer=customer,
        channel=Channel.EMAIL,
        severity=severity,
        caller_name=caller_name,
        caller_phone=caller_phone,
        description=description,
        serial_number=serial_number,
        received_at=mail.received_at,
        reply_to=mail.sender,
    )
    if save_contact and mail.sender:
        if Contact.objects.filter(customer=customer, email__iexact=mail.sender).exists():
            raise ValidationError({"save_contact": _("This address is already this customer's.")})
        mail.contact = contact_create(
            actor=actor,
            customer=customer,
            name=caller_name,
            phone=caller_phone,
            email=mail.sender,
        )
    mail.service_request = request
    _handled(mail, actor, Outcome.ADDED if request.joined else Outcome.REQUEST)  # type: ignore[attr-defined]
    _keep_files(mail, request, _mail_files(mail), actor=actor)
    return request


@transaction.atomic
def mail_add_to_request(*, actor: User, mail: InboundMail, request: ServiceRequest) -> InboundMail:
    mail = InboundMail.objects.select_for_update().get(pk=mail.pk)
    _check_waiting(mail)
    _add(mail, request, _mail_files(mail), actor=actor)
    return mail


@transaction.atomic
def mail_discard(*, actor: User, mail: InboundMail, why: str) -> InboundMail:
    mail = InboundMail.objects.select_for_update().get(pk=mail.pk)
    _check_waiting(mail)
    if not why.strip():
        raise ValidationError({"why": _("Say why the mail is discarded.")})
    mail.why = why.strip()[:300]
    _handled(mail, actor, Outcome.DISCARDED)
    return mail


def _handled(mail: InboundMail, actor: User | None, outcome: str) -> None:
    """The move, and who placed the mail when a person did (not the mailbox itself)."""
    if actor is not None:
        mail.handled_by = actor
        mail.handled_at = timezone.now()
    MAIL_LIFE.move(mail, outcome, actor=actor, reason=outcome)
