"""Complaints from registration to the handling proposal (R-CP-1, R-CP-2, R-CP-3, 5, 8, 10).

Time limits (policies.md): CP.CONTACT, CP.TRANSFER, CP.INVESTIGATE and
CP.PROGRESS start when the complaint is received; the transfer starts
CP.OPINION, the start of the investigation CP.PROPOSAL. Every recorded step
restarts CP.PROGRESS (72 hours without one escalates to the company head).
A person the complaint names may neither handle nor investigate it (回避).

The life of a complaint (``COMPLAINT_LIFE``):

=============  ==============================================================
received       with the responsible person, under investigation, decided, not accepted
transferred    under investigation, decided, not accepted
investigating  decided, not accepted
decided        closed (only with a recorded reply)
closed         —
declined       —   (not accepted: the reason is sent to the complainant)
=============  ==============================================================
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import Department, User
from aftersales.accounts.roles import Role
from aftersales.common.audit import save_audited
from aftersales.common.exceptions import ConflictError
from aftersales.common.lifecycle import Lifecycle
from aftersales.common.validation import CONTROL, EARLIEST, check_past
from aftersales.complaints.models import (
    AcceptanceWindow,
    Category,
    Channel,
    Complaint,
    Step,
    TargetKind,
)
from aftersales.complaints.products import product_complained_of
from aftersales.complaints.selectors import check_not_named as _not_involved
from aftersales.complaints.telling import tell, tell_progress, tell_received
from aftersales.customers.models import Customer, Equipment
from aftersales.obligations import services as obligations
from aftersales.obligations.notices import notify
from aftersales.service.models import ServiceRequest
from aftersales.service.numbering import formatted, next_number

Status = Complaint.Status
OPEN = (Status.RECEIVED, Status.TRANSFERRED, Status.INVESTIGATING)

COMPLAINT_LIFE = Lifecycle(
    "complaints.complaint",
    {
        Status.RECEIVED: {
            Status.TRANSFERRED,
            Status.INVESTIGATING,
            Status.DECIDED,
            Status.DECLINED,
        },
        Status.TRANSFERRED: {Status.INVESTIGATING, Status.DECIDED, Status.DECLINED},
        Status.INVESTIGATING: {Status.DECIDED, Status.DECLINED},
        Status.DECIDED: {Status.CLOSED},
        Status.CLOSED: set(),
        Status.DECLINED: set(),
    },
)


def complaint_transition(
    complaint: Complaint, to: str, *, actor: User | None, note: str = "", reason: str = ""
) -> None:
    """The one way a complaint's status changes (409 unless COMPLAINT_LIFE allows it)."""
    COMPLAINT_LIFE.move(complaint, to, actor=actor, note=note, reason=reason)


PHONE = re.compile(r"^\+?[0-9][0-9\- ]{4,22}$")


def _check_new(
    *,
    complainant_name: str,
    complainant_phone: str,
    category: str,
    channel: str,
    demand: str,
    description: str,
    received_at: dt.datetime,
    customer: Customer | None,
    equipment: Equipment | None,
    service_request: ServiceRequest | None,
    target_kind: str,
    target_person: User | None = None,
    target_department: Department | None = None,
    reference_date: dt.date | None = None,
) -> None:
    errors: dict[str, Any] = {}
    if not complainant_name.strip():
        errors["complainant_name"] = _("Give the complainant's name.")
    if not PHONE.match(complainant_phone.strip()):
        errors["complainant_phone"] = _("Give a phone number to reach the complainant.")
    if category not in Category.values:
        errors["category"] = _("Choose one of the categories.")
    if channel not in Channel.values:
        errors["channel"] = _("Choose how the complaint came in.")
    if target_kind not in TargetKind.values:
        errors["target_kind"] = _("Say what the complaint is about.")
    elif target_kind == TargetKind.PERSON and target_person is None:
        errors["target_person"] = _("Name the person the complaint is about.")
    elif target_kind == TargetKind.DEPARTMENT and target_department is None:
        errors["target_department"] = _("Name the department the complaint is about.")
    if target_person is not None and (not target_person.is_active or target_person.is_external):
        errors["target_person"] = _("Choose an active member of staff.")
    if not demand.strip():
        errors["demand"] = _("Record what the complainant asks for.")
    if not description.strip():
        errors["description"] = _("Describe the complaint.")
    try:
        check_past(received_at, "received_at")
    except ValidationError as error:
        errors.update(error.message_dict)
    if reference_date is not None and not (
        EARLIEST.date() <= reference_date <= timezone.localdate(received_at)
    ):
        errors["reference_date"] = _("The date must lie between 2000 and the day received.")
    if equipment is not None and (customer is None or equipment.customer_id != customer.pk):
        errors["equipment"] = _("The unit belongs to another customer.")
    if service_request is not None and (
        customer is None or service_request.customer_id != customer.pk
    ):
        errors["service_request"] = _("The request is another customer's.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def complaint_register(
    *,
    actor: User | None,
    complainant_name: str,
    complainant_phone: str,
    category: str,
    channel: str,
    demand: str,
    description: str,
    customer: Customer | None = None,
    equipment: Equipment | None = None,
    service_request: ServiceRequest | None = None,
    received_at: dt.datetime | None = None,
    is_major: bool = False,
    complainant_email: str = "",
    target_kind: str = TargetKind.PRODUCT,
    target_person: User | None = None,
    target_department: Department | None = None,
    verifiable_at_intake: bool = False,
    reference_date: dt.date | None = None,
    is_especially_major: bool = False,
    group: Iterable[User] = (),
    order_number: str = "",
    part_number: str = "",
    shipped_on: dt.date | None = None,
    quantity: int | None = None,
    defective_quantity: int | None = None,
) -> Complaint:
    """Record the complaint in full (R-CP-1), start its limits, acknowledge it (R-CP-10).
    Major at registration is reported up and gets its group as with the button (R-CP-4)."""
    received_at = received_at or timezone.now()
    is_major = is_major or is_especially_major
    _check_new(
        complainant_name=complainant_name,
        complainant_phone=complainant_phone,
        category=category,
        channel=channel,
        demand=demand,
        description=description,
        received_at=received_at,
        customer=customer,
        equipment=equipment,
        service_request=service_request,
        target_kind=target_kind,
        target_person=target_person,
        target_department=target_department,
        reference_date=reference_date,
    )
    product = product_complained_of(
        equipment,
        order_number=order_number,
        part_number=part_number,
        shipped_on=shipped_on,
        quantity=quantity,
        defective_quantity=defective_quantity,
    )
    year = timezone.localtime(received_at).year
    complaint = Complaint(
        **product,
        number=formatted("TS", year, next_number(f"TS-{year}")),
        complainant_name=complainant_name.strip(),
        complainant_phone=complainant_phone.strip(),
        complainant_email=complainant_email.strip(),
        customer=customer,
        equipment=equipment,
        service_request=service_request,
        received_at=received_at,
        channel=channel,
        category=category,
        target_kind=target_kind,
        target_person=target_person,
        target_department=target_department,
        demand=demand.strip(),
        description=description.strip(),
        created_by=actor,
        reference_date=reference_date,
        outside_window=_outside_window(category, reference_date, received_at),
    )
    save_audited(complaint, actor=actor, reason="registered")
    Step.objects.create(complaint=complaint, at=received_at, actor=actor, kind=Step.Kind.REGISTERED)
    rules = ["CP.CONTACT", "CP.TRANSFER", "CP.PROGRESS"]
    if not verifiable_at_intake:
        rules.append("CP.INVESTIGATE")
    for rule in rules:
        obligations.obligation_open(
            actor=actor, target=complaint, rule=rule, started_at=received_at
        )
    tell_received(actor, complaint)
    if is_major:
        # An empty group is refused there, and the whole registration with it.
        report_major(complaint, actor=actor, members=list(group), especially=is_especially_major)
    return complaint


def report_major(
    complaint: Complaint,
    *,
    actor: User | None,
    members: list[User],
    especially: bool = False,
    note: str = "",
) -> None:
    """Major (重大, R-CP-4): reported at once to the vice-president (and the general
    manager when especially major); a handling group of people the complaint does not
    name is formed, whose opinion is due within CP.MAJOR_OPINION."""
    if not members:
        raise ValidationError({"group": _("Name the people of the handling group.")})
    for member in members:
        _not_involved(complaint, member, "group")
    complaint.is_major = True
    complaint.is_especially_major = complaint.is_especially_major or especially
    save_audited(complaint, actor=actor, reason="major")
    complaint.handling_group.set(members)
    obligations.obligation_open(
        actor=actor,
        target=complaint,
        rule="CP.MAJOR_OPINION",
        responsible=members[0],
        once=True,
    )
    roles = [Role.SALES_VP] + ([Role.GENERAL_MANAGER] if complaint.is_especially_major else [])
    notify(
        users=User.objects.filter(is_active=True, groups__name__in=roles).distinct(),
        message=_("Major complaint %(number)s: %(description)s")
        % {"number": complaint.number, "description": complaint.description[:120]},
        url=complaint.get_absolute_url(),
        urgent=True,  # never held back by quiet hours
    )
    names = "、".join(str(m) for m in members)
    _step(complaint, Step.Kind.MAJOR, actor=actor, text=" ".join(filter(None, [names, note])))


def _outside_window(category: str, since: dt.date | None, received_at: dt.datetime) -> bool:
    """Past the category's acceptance window (R-CP-8), if it has one and the date is known."""
    window = AcceptanceWindow.objects.filter(category=category).first()
    if window is None or since is None:
        return False
    return (timezone.localtime(received_at).date() - since).days > window.days


def _locked(complaint: Complaint) -> Complaint:
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if complaint.status not in OPEN:
        raise ConflictError(
            _("%(number)s is %(status)s; nothing more can be recorded on it.")
            % {"number": complaint.number, "status": complaint.get_status_display()}
        )
    return complaint


def _meet(complaint: Complaint, rule: str, *, actor: User | None, at: dt.datetime) -> None:
    obligations.obligations_meet(actor=actor, target=complaint, at=at, rule=rule)


def _step(complaint: Complaint, kind: str, *, actor: User | None, text: str = "") -> Step:
    """Record a step; it is progress, so CP.PROGRESS starts again from now, and the
    complainant hears of it when it concerns them. The person the complaint names takes
    no step in it (回避, R-CP-5): every handling step is recorded here, so none slips by."""
    if actor is not None:
        _not_involved(complaint, actor, "__all__")
    now = timezone.now()
    step = Step.objects.create(
        complaint=complaint, at=now, actor=actor, kind=kind, text=text[:4000]
    )
    obligations.obligation_restart(
        actor=actor,
        target=complaint,
        rule="CP.PROGRESS",
        started_at=now,
        responsible=complaint.responsible,
    )
    tell_progress(actor, complaint, kind)
    return step


def _text(value: str, field: str, message: str, *, limit: int = 4000) -> str:
    """Typed text, refused (never cut short) when empty, too long or with control
    characters."""
    text = value.strip()
    if not text:
        raise ValidationError({field: message})
    if len(text) > limit:
        raise ValidationError(
            {
                field: _("At most %(limit)d characters; this has %(n)d.")
                % {"limit": limit, "n": len(text)}
            }
        )
    if CONTROL.search(text):
        raise ValidationError({field: _("Remove the control characters from the text.")})
    return text


@transaction.atomic
def complaint_contact(*, actor: User, complaint: Complaint, note: str) -> Complaint:
    """The complainant was contacted (meets CP.CONTACT)."""
    note = _text(note, "note", _("Say what was said to the complainant."))
    complaint = _locked(complaint)
    _not_involved(complaint, actor, "note")
    _meet(complaint, "CP.CONTACT", actor=actor, at=timezone.now())
    _step(complaint, Step.Kind.CONTACTED, actor=actor, text=note)
    return complaint


@transaction.atomic
def complaint_transfer(
    *, actor: User, complaint: Complaint, responsible: User, note: str = ""
) -> Complaint:
    """Handed to the responsible person (meets CP.TRANSFER, starts CP.OPINION)."""
    if not responsible.is_active or responsible.is_external:
        raise ValidationError({"responsible": _("Choose an active member of staff.")})
    complaint = _locked(complaint)
    _not_involved(complaint, actor, "__all__")
    _not_involved(complaint, responsible, "responsible")
    now = timezone.now()
    complaint.responsible = responsible
    reason = f"transferred to {responsible}"
    if complaint.status == Status.RECEIVED:
        complaint_transition(
            complaint, Status.TRANSFERRED, actor=actor, note=str(responsible), reason=reason
        )
    else:  # handed on to another person: the complaint stays where it is
        save_audited(complaint, actor=actor, reason=reason)
    _meet(complaint, "CP.TRANSFER", actor=actor, at=now)
    obligations.obligation_open(
        actor=actor,
        target=complaint,
        rule="CP.OPINION",
        started_at=now,
        responsible=responsible,
        once=True,
    )
    _step(
        complaint,
        Step.Kind.TRANSFERRED,
        actor=actor,
        text=" ".join(filter(None, [str(responsible), note.strip()])),
    )
    return complaint


@transaction.atomic
def complaint_opinion(*, actor: User, complaint: Complaint, text: str) -> Complaint:
    """The first handling opinion (meets CP.OPINION)."""
    text = _text(text, "text", _("Write the opinion."))
    complaint = _locked(complaint)
    _not_involved(complaint, actor, "text")
    _meet(complaint, "CP.OPINION", actor=actor, at=timezone.now())
    _step(complaint, Step.Kind.OPINION, actor=actor, text=text)
    return complaint


@transaction.atomic
def complaint_investigate(*, actor: User, complaint: Complaint, note: str) -> Complaint:
    """The investigation starts (meets CP.INVESTIGATE, starts CP.PROPOSAL)."""
    note = _text(note, "note", _("Say how the complaint is being investigated."))
    complaint = _locked(complaint)
    _not_involved(complaint, actor, "note")
    now = timezone.now()
    if complaint.status == Status.INVESTIGATING:
        # Started once (and the complainant told once): what follows is progress.
        raise ConflictError(
            _("The investigation has started: record what it finds as its progress.")
        )
    complaint_transition(
        complaint, Status.INVESTIGATING, actor=actor, note=note, reason="investigation"
    )
    _meet(complaint, "CP.INVESTIGATE", actor=actor, at=now)
    obligations.obligation_open(
        actor=actor,
        target=complaint,
        rule="CP.PROPOSAL",
        started_at=now,
        responsible=complaint.responsible or actor,
        once=True,
    )
    _step(complaint, Step.Kind.INVESTIGATION, actor=actor, text=note)
    return complaint


@transaction.atomic
def complaint_record(*, actor: User, complaint: Complaint, kind: str, text: str) -> Complaint:
    """A finding, the handling proposal (meets CP.PROPOSAL) or other progress."""
    if kind not in (Step.Kind.FINDING, Step.Kind.PROPOSAL, Step.Kind.PROGRESS):
        raise ValidationError({"kind": _("Choose finding, proposal or progress.")})
    text = _text(text, "text", _("Write what was found or done."))
    complaint = _locked(complaint)
    _not_involved(complaint, actor, "text")
    if kind == Step.Kind.PROPOSAL:
        _meet(complaint, "CP.PROPOSAL", actor=actor, at=timezone.now())
    _step(complaint, kind, actor=actor, text=text)
    return complaint


@transaction.atomic
def complaint_decline(*, actor: User, complaint: Complaint, reason: str) -> Complaint:
    """Not accepted (R-CP-8: outside the acceptance window or the scope): the reason is
    recorded and sent to the complainant; the limits stop."""
    reason = _text(reason, "reason", _("Say why the complaint is not accepted."), limit=300)
    complaint = _locked(complaint)
    _not_involved(complaint, actor, "reason")
    now = timezone.now()
    complaint.decline_reason = reason[:300]
    complaint_transition(complaint, Status.DECLINED, actor=actor, note=reason, reason="declined")
    Step.objects.create(
        complaint=complaint, at=now, actor=actor, kind=Step.Kind.DECLINED, text=reason
    )
    obligations.obligations_cancel(actor=actor, target=complaint, reason=reason[:300], at=now)
    tell(
        actor,
        complaint,
        _("Dear %(name)s, your complaint %(number)s cannot be accepted: %(reason)s")
        % {"name": complaint.complainant_name, "number": complaint.number, "reason": reason},
    )
    return complaint


@transaction.atomic
def window_set(
    *, actor: User, category: str, days: int | None, counted_from: str = ""
) -> AcceptanceWindow | None:
    """Set (or with no days, remove) a category's acceptance window (R-CP-8). Complaints
    already registered keep the flag they were given."""
    if category not in Category.values:
        raise ValidationError({"category": _("Choose one of the listed categories.")})
    window = AcceptanceWindow.objects.select_for_update().filter(category=category).first()
    if days is None:
        if window is not None:
            window._history_user = actor  # type: ignore[attr-defined]
            window.delete()
        return None
    if days < 1 or days > 3650:
        raise ValidationError({"days": _("Give between 1 and 3650 days.")})
    if not counted_from.strip():
        raise ValidationError({"counted_from": _("Say from which date the days count.")})
    window = window or AcceptanceWindow(category=category)
    window.days, window.counted_from = days, counted_from.strip()
    save_audited(window, actor=actor, reason="acceptance window")
    return window
