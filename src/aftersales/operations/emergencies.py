"""Emergency incidents (应急, R-OP-3; 001 十三 应急预案制度), as the regulation writes them:

1. The person on duty asks and records the nature, place, time, casualties, property
   loss, progress and the reporting unit's contact, and reports at once.
2. The managers concerned reach the office within 20 minutes (OP.ASSEMBLE, each their
   own limit), then call the general manager, the deputy, the chief engineer, the
   engineering manager and the project managers, and pass on the leaders' instructions.
3. The information is written up, reviewed by the supervising leader and sent to the
   general manager no later than 4 hours after the incident was learned of
   (OP.GM_REPORT, the recorder's).
4. Everything is logged with its time — the report, arrivals, instructions, measures —
   and a closing report with an evaluation ends it (printed as PDF).

The life of an incident (``INCIDENT_LIFE``):

========  =============================================================
open      review (the written report goes to the supervising leader)
review    reported (approved and sent to the general manager), open (sent back)
reported  closed (with the closing summary)
closed    —
========  =============================================================
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role
from aftersales.accounts.selectors import users_with_role
from aftersales.common.audit import save_audited
from aftersales.common.exceptions import ConflictError
from aftersales.common.lifecycle import Lifecycle
from aftersales.common.validation import check_past, typed_text, within_years
from aftersales.customers.models import Customer
from aftersales.obligations import services as obligations
from aftersales.obligations.notices import notify
from aftersales.operations import roster
from aftersales.operations.models import Incident, IncidentEntry, Responder
from aftersales.service.numbering import formatted, next_number

Status = Incident.Status
Entry = IncidentEntry.Kind

INCIDENT_LIFE = Lifecycle(
    "operations.incident",
    {
        Status.OPEN: {Status.REVIEW},
        Status.REVIEW: {Status.REPORTED, Status.OPEN},
        Status.REPORTED: {Status.CLOSED},
        Status.CLOSED: set(),
    },
)

# Whom the managers call (001 十三 2.2), in the order the regulation names them.
LEADERS = {
    "gm": gettext_lazy("the general manager"),
    "deputy": gettext_lazy("the deputy general manager"),
    "chief_engineer": gettext_lazy("the chief engineer"),
    "engineering": gettext_lazy("the engineering manager"),
    "project": gettext_lazy("the project manager"),
}
# A note the log takes from the page, by kind.
NOTES = (Entry.CALL, Entry.INSTRUCTION, Entry.MEASURE, Entry.PROGRESS)


def may_review(user: User) -> bool:
    """The supervising leader (主管领导): the service manager or the sales vice-president."""
    return user.has_role(Role.SERVICE_MANAGER, Role.SALES_VP) or user.is_superuser


def default_responders(at: dt.datetime) -> list[User]:
    """The managers on call then, else every service manager."""
    return roster.managers_on_call(at) or list(users_with_role(Role.SERVICE_MANAGER))


def _log(incident: Incident, kind: str, text: str, actor: User | None, at: dt.datetime) -> None:
    IncidentEntry.objects.create(incident=incident, kind=kind, text=text[:1000], actor=actor, at=at)


def _when(value: Any, field: str, errors: dict[str, Any]) -> dt.datetime | None:
    """A time that has passed (five minutes' grace for clocks), in 2000–2100."""
    if not isinstance(value, dt.datetime):
        errors[field] = _("Give a date and time.")
        return None
    try:
        within_years(value)
    except ValidationError as error:
        errors[field] = error.messages
        return None
    try:
        check_past(value, field, grace=dt.timedelta(minutes=5))
    except ValidationError as error:
        errors.update(error.message_dict)
        return None
    return value


@transaction.atomic
def incident_record(
    *,
    actor: User,
    nature: str,
    place: str,
    occurred_at: dt.datetime | None,
    reporter: str,
    reporter_contact: str,
    casualties: str = "",
    property_loss: str = "",
    progress: str = "",
    customer: Customer | None = None,
    responders: list[User] | None = None,
    reported_at: dt.datetime | None = None,
) -> Incident:
    """Record what the person on duty was told and alert the managers at once: each
    gets OP.ASSEMBLE (20 minutes) and an urgent alert on every channel they have; the
    recorder owns OP.GM_REPORT (4 hours from the report)."""
    now = timezone.now()
    errors: dict[str, Any] = {}
    fields = {
        "nature": typed_text(nature, "nature", 200, errors, required=True),
        "place": typed_text(place, "place", 200, errors, required=True),
        "reporter": typed_text(reporter, "reporter", 100, errors, required=True),
        "reporter_contact": typed_text(
            reporter_contact, "reporter_contact", 100, errors, required=True
        ),
        "casualties": typed_text(casualties, "casualties", 200, errors, required=False),
        "property_loss": typed_text(property_loss, "property_loss", 200, errors, required=False),
        "progress": typed_text(progress, "progress", 2000, errors, required=False),
    }
    occurred = _when(occurred_at, "occurred_at", errors)
    told = _when(reported_at or now, "reported_at", errors)
    if occurred and told and occurred > told:
        errors["occurred_at"] = _("It cannot have happened after it was reported.")
    people = list({p.pk: p for p in (responders or default_responders(now))}.values())
    if not people:
        errors["responders"] = _("Name at least one manager to alert.")
    elif any(not p.is_active or p.is_external for p in people):
        errors["responders"] = _("Only active staff can be alerted.")
    if errors:
        raise ValidationError(errors)
    assert occurred is not None and told is not None
    year = timezone.localtime(told).year
    incident = Incident(
        number=formatted("YJ", year, next_number(f"YJ-{year}")),
        occurred_at=occurred,
        reported_at=told,
        customer=customer,
        recorded_by=actor,
        **fields,
    )
    save_audited(incident, actor=actor, reason="reported")
    _log(
        incident,
        Entry.RECEIVED,
        _("%(who)s (%(contact)s) reported: %(nature)s at %(place)s.")
        % {
            "who": incident.reporter,
            "contact": incident.reporter_contact,
            "nature": incident.nature,
            "place": incident.place,
        },
        actor,
        told,
    )
    message = _("Emergency %(n)s: %(nature)s at %(place)s. Come to the office at once.") % {
        "n": incident.number,
        "nature": incident.nature,
        "place": incident.place,
    }
    for person in people:
        responder = Responder.objects.create(incident=incident, person=person, alerted_at=now)
        limit = obligations.obligation_open(
            actor=actor, target=responder, rule="OP.ASSEMBLE", started_at=now, responsible=person
        )
        notify(
            users=[person],
            message=message,
            url=incident.get_absolute_url(),
            obligation=limit,
            urgent=True,
        )
    _log(
        incident,
        Entry.ALERTED,
        _("Alerted: %(names)s.") % {"names": "、".join(str(p) for p in people)},
        actor,
        now,
    )
    obligations.obligation_open(
        actor=actor, target=incident, rule="OP.GM_REPORT", started_at=told, responsible=actor
    )
    return incident


@transaction.atomic
def responder_arrive(
    *, actor: User, responder: Responder, at: dt.datetime | None = None
) -> Responder:
    """A manager confirms they are at the office (meets their OP.ASSEMBLE)."""
    responder = (
        Responder.objects.select_for_update().select_related("incident").get(pk=responder.pk)
    )
    if actor.pk != responder.person_id and actor.pk != responder.incident.recorded_by_id:
        raise ConflictError(_("Only the manager called, or the person on duty, records this."))
    if responder.arrived_at is not None:
        raise ConflictError(_("Arrival is already recorded."))
    if responder.incident.status == Status.CLOSED:
        raise ConflictError(_("The incident is closed."))
    now = timezone.now()
    at = at or now
    errors: dict[str, Any] = {}
    _when(at, "arrived_at", errors)
    if errors:
        raise ValidationError(errors)
    if at < responder.alerted_at:
        raise ValidationError({"arrived_at": _("The arrival is before the alert.")})
    responder.arrived_at = at
    save_audited(responder, actor=actor, reason="arrived")
    obligations.obligations_meet(actor=actor, target=responder, rule="OP.ASSEMBLE", at=at)
    minutes = int((at - responder.alerted_at).total_seconds() // 60)
    _log(
        responder.incident,
        Entry.ARRIVED,
        _("%(who)s arrived, %(minutes)d minutes after the alert.")
        % {"who": responder.person, "minutes": minutes},
        actor,
        at,
    )
    return responder


@transaction.atomic
def incident_note(
    *, actor: User, incident: Incident, kind: str, text: str, leader: str = ""
) -> IncidentEntry:
    """One line of the log: a leader called, an instruction, a measure taken, progress."""
    if incident.status == Status.CLOSED:
        raise ConflictError(_("The incident is closed."))
    errors: dict[str, Any] = {}
    if kind not in NOTES:
        errors["kind"] = _("Choose what to record.")
    text = typed_text(text, "text", 900, errors, required=kind != Entry.CALL)
    if kind == Entry.CALL and leader not in LEADERS:
        errors["leader"] = _("Choose whom you called.")
    if errors:
        raise ValidationError(errors)
    if kind == Entry.CALL:
        said = _("Called %(whom)s.") % {"whom": LEADERS[leader]}
        text = f"{said} {text}".strip()
    now = timezone.now()
    entry = IncidentEntry.objects.create(
        incident=incident, kind=kind, text=text, actor=actor, at=now
    )
    if kind == Entry.PROGRESS:
        incident.progress = (f"{incident.progress}\n" if incident.progress else "") + (
            f"{timezone.localtime(now):%m-%d %H:%M} {text}"
        )[: 2000 - len(incident.progress) - 1]
        save_audited(incident, actor=actor, reason="progress")
    return entry


@transaction.atomic
def incident_report_submit(*, actor: User, incident: Incident, report: str) -> Incident:
    """The written report goes to the supervising leader for review."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    errors: dict[str, Any] = {}
    incident.report = typed_text(report, "report", 8000, errors, required=True)
    if errors:
        raise ValidationError(errors)
    INCIDENT_LIFE.move(incident, Status.REVIEW, actor=actor)
    _log(incident, Entry.REPORT, _("Written report sent for review."), actor, timezone.now())
    reviewers = [u for u in users_with_role(Role.SERVICE_MANAGER) if u.pk != actor.pk]
    notify(
        users=reviewers or users_with_role(Role.SALES_VP),
        message=_("Emergency %(n)s: the written report awaits your review.")
        % {"n": incident.number},
        url=incident.get_absolute_url(),
        urgent=True,
    )
    return incident


@transaction.atomic
def incident_report_review(
    *, actor: User, incident: Incident, approve: bool, note: str = ""
) -> Incident:
    """The supervising leader approves the report, which goes to the general manager
    (meets OP.GM_REPORT), or sends it back with what to change."""
    if not may_review(actor):
        raise ConflictError(_("Only the supervising leader reviews the report."))
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if actor.pk == incident.recorded_by_id:
        raise ConflictError(_("Another leader reviews the report of the person who wrote it."))
    errors: dict[str, Any] = {}
    note = typed_text(note, "note", 300, errors, required=not approve)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    if not approve:
        INCIDENT_LIFE.move(incident, Status.OPEN, actor=actor, note=note)
        _log(incident, Entry.REPORT, _("Report sent back: %(note)s") % {"note": note}, actor, now)
        if incident.recorded_by is not None:
            notify(
                users=[incident.recorded_by],
                message=_("Emergency %(n)s: the report was sent back: %(note)s")
                % {"n": incident.number, "note": note},
                url=incident.get_absolute_url(),
                urgent=True,
            )
        return incident
    incident.reviewed_by, incident.reported_to_gm_at = actor, now
    INCIDENT_LIFE.move(incident, Status.REPORTED, actor=actor, note=note)
    obligations.obligations_meet(actor=actor, target=incident, rule="OP.GM_REPORT", at=now)
    _log(
        incident,
        Entry.REPORT,
        _("Reviewed by %(who)s and sent to the general manager.") % {"who": actor},
        actor,
        now,
    )
    notify(
        users=users_with_role(Role.GENERAL_MANAGER),
        message=_("Emergency %(n)s: the written report (%(nature)s at %(place)s).")
        % {"n": incident.number, "nature": incident.nature, "place": incident.place},
        url=incident.get_absolute_url(),
        urgent=True,
    )
    return incident


@transaction.atomic
def incident_close(*, actor: User, incident: Incident, summary: str) -> Incident:
    """End the incident with its summary and evaluation (信息终报). A manager who never
    confirmed arrival stays on the record as not arrived."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    errors: dict[str, Any] = {}
    incident.summary = typed_text(summary, "summary", 8000, errors, required=True)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    incident.closed_at = now
    INCIDENT_LIFE.move(incident, Status.CLOSED, actor=actor)
    for responder in incident.responders.filter(arrived_at__isnull=True):
        obligations.obligations_cancel(
            actor=actor, target=responder, reason=_("The incident is closed.")
        )
    _log(incident, Entry.CLOSED, _("Closed with the final report."), actor, now)
    return incident
