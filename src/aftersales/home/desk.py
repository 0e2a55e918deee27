"""The hotline agent's and the service manager's homes."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aftersales.accounts.models import User
from aftersales.common.words import yuan
from aftersales.complaints.decisions import may_approve
from aftersales.complaints.models import Complaint, CorrectiveAction
from aftersales.complaints.selectors import complaints_for
from aftersales.feedback import selectors as feedback
from aftersales.home.panels import SHORT, Entry, Panel, limit_entry, soonest_open, tone_of
from aftersales.maintenance.models import Inspection, MaintenancePlan
from aftersales.maintenance.selectors import plans_for
from aftersales.obligations.selectors import open_limits
from aftersales.obligations.sweep import minutes_left
from aftersales.service import selectors as service
from aftersales.service.models import ServiceRequest, WorkOrder


def targets() -> list[QuerySet[Any]]:
    """How each kind of record a time limit runs on is read for a home: with its
    customer, in one query per kind."""
    return [
        ServiceRequest.objects.select_related("customer"),
        WorkOrder.objects.select_related("service_request__customer"),
        Complaint.objects.select_related("customer"),
        CorrectiveAction.objects.select_related("complaint__customer"),
        Inspection.objects.select_related("customer"),
    ]


def _limits(user: User, **given: Any) -> list[Entry]:
    now = timezone.now()
    return [limit_entry(ob, now) for ob in open_limits(user, targets=targets(), **given)]


def my_limits(user: User) -> Panel:
    """Every staff member's: the limits they are responsible for, soonest first."""
    return Panel(
        "mine",
        _("Your time limits"),
        _("No time limit is yours to meet now."),
        _limits(user, responsible=user),
        reverse("obligations:monitor") + f"?responsible={user.pk}",
    )


def awaiting_reply(user: User) -> Panel:
    now = timezone.now()
    entries = []
    for ob in open_limits(user, rules=["SR.REPLY"], targets=targets()):
        entry = limit_entry(ob, now, phone=getattr(ob.target, "caller_phone", ""))
        entry.note = f"{entry.note} · {ob.target.caller_name}" if ob.target else entry.note
        entries.append(entry)
    return Panel(
        "reply",
        _("Calls waiting for a first reply"),
        _("Every call has had its first reply."),
        entries,
        reverse("obligations:monitor") + "?rule=SR.REPLY",
    )


def about_to_breach(user: User) -> Panel:
    return Panel(
        "breach",
        _("Requests late or about to be"),
        _("No request is late or near its limit."),
        _limits(user, of=ServiceRequest, urgent=True),
        reverse("service:list") + "?breached=true",
    )


def visits_today(user: User) -> Panel:
    visits = feedback.work_list(user, show="today").select_related("customer")[:SHORT]
    entries = [
        Entry(
            title=str(visit.customer),
            url=visit.get_absolute_url(),
            detail=visit.get_kind_display(),
            note=str(visit.service_request) if visit.service_request_id else "",
            phone=visit.customer.phone,
            tone="danger" if visit.planned_on < timezone.localdate() else "",
        )
        for visit in visits
    ]
    return Panel(
        "visits",
        _("Return visits due today"),
        _("No return visit is due today."),
        entries,
        reverse("feedback:visits") + "?show=today",
    )


def complaints_to_contact(user: User) -> Panel:
    return Panel(
        "contact",
        _("Complaints to contact"),
        _("Every complainant has been contacted."),
        _limits(user, rules=["CP.CONTACT"]),
        reverse("obligations:monitor") + "?rule=CP.CONTACT",
    )


def agent(user: User) -> list[Panel]:
    return [
        awaiting_reply(user),
        mail_to_place(user),
        about_to_breach(user),
        visits_today(user),
        complaints_to_contact(user),
    ]


def mail_to_place(user: User) -> Panel:
    """Mail to the service mailbox the system could not place: an unknown sender."""
    from aftersales.inbox.holders import mails_for
    from aftersales.inbox.models import InboundMail

    waiting = mails_for(user).filter(outcome=InboundMail.Outcome.TRIAGE).order_by("received_at")
    return Panel(
        "mail",
        _("Mail to place"),
        _("No mail is waiting to be placed."),
        [
            Entry(
                title=m.subject or m.sender,
                url=reverse("inbox:mail", args=[m.pk]),
                detail=m.sender,
                note=m.why_shown,
                when=m.received_at,
                when_label=_("Received at"),
            )
            for m in waiting[:SHORT]
        ],
        reverse("inbox:list"),
    )


# --- the service manager -------------------------------------------------------------


def dispatch_queue(user: User) -> Panel:
    """Requests nobody is assigned to, most severe first, with the time left to arrive
    (or to resolve) from their open limits, read in one query."""
    waiting = list(service.dispatch_queue(user).select_related("customer")[:SHORT])
    now = timezone.now()
    soonest = soonest_open(waiting, ("SR.REPLY", "SR.RESPOND", "SR.ARRIVE", "SR.RESOLVE"))
    entries = []
    for request in waiting:
        found = soonest.get(request.pk)
        entries.append(
            Entry(
                title=f"{request.number} · {request.get_severity_display()}",
                url=reverse("service:dispatch") + f"#d-{request.number}",
                detail=str(request.customer),
                note=request.description[:60],
                obligation=found,
                minutes=minutes_left(found, now) if found else None,
                tone=tone_of(found, now) if found else "",
            )
        )
    return Panel(
        "dispatch",
        _("Waiting for a technician"),
        _("Every open request has a technician."),
        entries,
        reverse("service:dispatch"),
    )


def late_now(user: User) -> Panel:
    return Panel(
        "late",
        _("Late or past the warning time"),
        _("Nothing is late or near its limit."),
        _limits(user, urgent=True),
        reverse("obligations:monitor") + "?state=breached",
    )


def waiting_for_approval(user: User) -> Panel:
    decided = (
        complaints_for(user)
        .filter(status=Complaint.Status.DECIDED, approved_by__isnull=True)
        .order_by("decided_at", "pk")[: SHORT * 2]
    )
    entries = [
        Entry(
            title=complaint.number,
            url=complaint.get_absolute_url(),
            detail=str(_("Decision to approve")),
            note=str(complaint.customer or complaint.complainant_name),
            when=complaint.decided_at,
            when_label=pgettext_lazy("when", "decided"),
        )
        for complaint in decided
        if may_approve(user, complaint)
        and user.pk not in (complaint.decided_by_id, complaint.target_person_id)
    ][:SHORT]
    quoting = service.requests_for(user).filter(status=ServiceRequest.Status.QUOTING)
    entries += [
        Entry(
            title=request.number,
            url=request.get_absolute_url(),
            detail=str(_("Quote waiting for the customer's answer")),
            note=f"{request.customer} · {yuan(request.quote_amount)}"
            if request.quote_amount
            else str(request.customer),
        )
        for request in quoting.order_by("received_at", "pk")[:SHORT]
    ]
    return Panel(
        "approvals",
        _("Approvals and quotes waiting"),
        _("Nothing waits for an approval or a quote answer."),
        entries,
    )


def technicians_today(user: User) -> Panel:
    """Each technician's visits planned for today and open jobs: who is free."""
    board = service.technician_board()
    planned = service.visits_planned(timezone.localdate())
    rows = sorted(
        ((tech, len(planned.get(tech.pk, [])), tech.open_jobs) for tech in board),  # type: ignore[attr-defined]
        key=lambda row: (row[1], row[2], row[0].username),
    )
    return Panel(
        "load",
        _("Technicians today"),
        _("No technician is set up."),
        figures=rows,
        kind="load",
        more_url=reverse("service:dispatch"),
    )


def plans_to_confirm(user: User) -> Panel:
    """Maintenance plans the customer has not confirmed yet, the soonest visit first."""
    from django.db.models import Min

    plans = (
        plans_for(user)
        .filter(status=MaintenancePlan.Status.PROPOSED)
        .annotate(first=Min("visits__planned_on"))
        .order_by("first", "pk")[:SHORT]
    )
    return Panel(
        "plans",
        _("Maintenance plans waiting for the customer"),
        _("Every maintenance plan is confirmed."),
        [
            Entry(
                title=f"{plan.contract.customer} · {plan.quarter_label}",
                url=plan.get_absolute_url(),
                detail=str(_("Record the customer's confirmation")),
                note="、".join(f"{v.planned_on:%m-%d}" for v in plan.visits.all()),
                phone=plan.contract.customer.phone,
            )
            for plan in plans
        ],
        reverse("maintenance:plans") + "?status=proposed",
    )


def undelivered(user: User) -> Panel:
    """Messages that failed after their last try: someone was not told."""
    from aftersales.common.models import OutboundMessage

    failed = OutboundMessage.objects.filter(status=OutboundMessage.Status.FAILED)[:SHORT]
    return Panel(
        "undelivered",
        _("Messages not delivered"),
        _("Every message was delivered."),
        [
            Entry(
                title=f"{m.get_channel_display()} → {m.to}",
                url=reverse("delivery:undelivered"),
                detail=m.reason,
                note=m.body[:60],
                when=m.at,
            )
            for m in failed
        ],
        reverse("delivery:undelivered"),
    )


def manager(user: User) -> list[Panel]:
    return [
        dispatch_queue(user),
        late_now(user),
        waiting_for_approval(user),
        technicians_today(user),
        plans_to_confirm(user),
        mail_to_place(user),
        undelivered(user),
    ]
