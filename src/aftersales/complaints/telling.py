"""What the complainant hears (R-CP-10): the acknowledgement with the time we will call
back, and a short word at each step that concerns them — never who did it."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.accounts.models import User
from aftersales.common.messaging import message_send, messages_about
from aftersales.common.models import OutboundMessage
from aftersales.complaints.models import Complaint, Step
from aftersales.obligations.selectors import obligations_of


def tell_received(actor: User | None, complaint: Complaint) -> None:
    """The acknowledgement, in the administrator's words where they wrote some."""
    contact = obligations_of(complaint).filter(rule="CP.CONTACT").first()
    due = contact.due_at if contact is not None else None
    values = {
        "name": complaint.complainant_name,
        "number": complaint.number,
        "due": timezone.localtime(due).strftime("%Y-%m-%d %H:%M") if due else "",
    }
    tell(actor, complaint, acknowledgement(complaint), event="complaint.received", values=values)


def acknowledgement(complaint: Complaint) -> str:
    """Received, its number, and by when we call back (CP.CONTACT's due time)."""
    contact = obligations_of(complaint).filter(rule="CP.CONTACT").first()
    due = contact.due_at if contact is not None else None
    if due is None:
        return _(
            "Dear %(name)s, your complaint has been registered as %(number)s. We will "
            "contact you soon and keep you informed."
        ) % {"name": complaint.complainant_name, "number": complaint.number}
    return _(
        "Dear %(name)s, your complaint has been registered as %(number)s. We will contact "
        "you by %(due)s and keep you informed."
    ) % {
        "name": complaint.complainant_name,
        "number": complaint.number,
        "due": timezone.localtime(due).strftime("%Y-%m-%d %H:%M"),
    }


# What the complainant hears of each step (R-CP-10): the progress, never who did it.
PROGRESS_TOLD: dict[str, Any] = {
    Step.Kind.TRANSFERRED: gettext_lazy(
        "it has been passed to the person responsible for handling it"
    ),
    Step.Kind.INVESTIGATION: gettext_lazy("the investigation has started"),
    Step.Kind.PROPOSAL: gettext_lazy("a handling proposal has been made"),
    Step.Kind.MAJOR: gettext_lazy("it is being handled by a dedicated group as a major complaint"),
    Step.Kind.REMEDIED: gettext_lazy("the remedy has been carried out; we will check with you"),
    Step.Kind.CLOSED: gettext_lazy("the complaint is closed. Thank you for telling us"),
}


def tell_progress(actor: User | None, complaint: Complaint, kind: str) -> None:
    """A short message to the complainant about a step that concerns them."""
    what = PROGRESS_TOLD.get(kind)
    if what is None:
        return
    values = {"name": complaint.complainant_name, "number": complaint.number, "what": str(what)}
    tell(
        actor,
        complaint,
        _("Dear %(name)s, news of your complaint %(number)s: %(what)s.") % values,
        event="complaint.progress",
        values=values,
    )


def told(complaint: Complaint) -> Any:
    """What the complainant was told, oldest first: each text message once (the e-mail
    copy says the same)."""
    return (
        messages_about(complaint)
        .filter(to=complaint.complainant_phone, channel=OutboundMessage.Channel.SMS)
        .order_by("at", "pk")
    )


def tell(
    actor: User | None,
    complaint: Complaint,
    text: str,
    *,
    event: str = "",
    values: dict[str, Any] | None = None,
) -> None:
    """A message to the complainant: SMS, and e-mail when there is an address — in the
    administrator's words for ``event`` where they wrote some."""
    from aftersales.delivery.texts import text_for

    def words(channel: str, subject: str = "") -> tuple[str, str]:
        if not event:
            return subject, text
        return text_for(event, channel, values or {}, default=text, subject=subject)

    _subject, sms = words(OutboundMessage.Channel.SMS)
    message_send(actor=actor, about=complaint, to=complaint.complainant_phone, body=sms, kind=event)
    if complaint.complainant_email:
        subject, mail = words(OutboundMessage.Channel.EMAIL, complaint.number)
        message_send(
            actor=actor,
            about=complaint,
            to=complaint.complainant_email,
            body=mail,
            channel=OutboundMessage.Channel.EMAIL,
            subject=subject,
            kind=event,
        )
