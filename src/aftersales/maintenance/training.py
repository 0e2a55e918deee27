"""Training of the customer's duty staff (R-PM-5; seed 003 篇三 培训方案, seed 001 三 3:
"培训应达到以值班人员掌握操作设备的应知应会内容为标准,提供书面资料").

A customer's plan has a number of sessions a year (twice by default), each on the
middle working day of its half (or its part of the year). A held session records
the attendees with their theory and practical scores against the pass mark, and
the materials (attachments); both sides sign it, and the summary report to the
customer follows.

The life of a session (``TRAINING_LIFE``):

=========  ===========================================
planned    held (attendees and scores), cancelled
held       reported (both signed, the summary written)
reported   —
cancelled  —
=========  ===========================================
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role
from aftersales.calendars.selectors import work_calendar
from aftersales.common.audit import save_audited
from aftersales.common.exceptions import ConflictError
from aftersales.common.lifecycle import Lifecycle
from aftersales.common.validation import FIRST_DAY, LAST_DAY, check_past, typed_text
from aftersales.common.words import labelled
from aftersales.customers.models import Customer
from aftersales.maintenance import signing
from aftersales.maintenance.models import Attendee, TrainingSession
from aftersales.maintenance.plans import CALENDAR, spread
from aftersales.service.numbering import formatted, next_number

Status = TrainingSession.Status
TRAINING_LIFE = Lifecycle(
    "maintenance.trainingsession",
    {
        Status.PLANNED: {Status.HELD, Status.CANCELLED},
        Status.HELD: {Status.REPORTED},
        Status.REPORTED: set(),
        Status.CANCELLED: set(),
    },
)
MAX_SESSIONS, MAX_ATTENDEES = 12, 100


def _check_trainer(trainer: User | None, errors: dict[str, Any]) -> None:
    if trainer is not None and (
        not trainer.is_active
        or trainer.is_external
        or not trainer.has_role(Role.TECHNICIAN, Role.SERVICE_MANAGER, Role.TECHNICAL)
    ):
        errors["trainer"] = _("Choose a trainer from the service or technical staff.")


@transaction.atomic
def training_plan(
    *,
    actor: User,
    customer: Customer,
    year: int,
    topic: str,
    times: int = 2,
    trainer: User | None = None,
) -> list[TrainingSession]:
    """The customer's training sessions of the year (e.g. twice: one each half), on the
    middle working day of each part — of the rest of the year when it is this year; run
    again, it adds only the sessions missing."""
    errors: dict[str, Any] = {}
    topic = typed_text(topic, "topic", 200, errors, required=True)
    if not FIRST_DAY.year <= year <= LAST_DAY.year:
        errors["year"] = _("Give a year between 2000 and 2100.")
    if not 1 <= times <= MAX_SESSIONS:
        errors["times"] = _("From 1 to %(n)s sessions a year.") % {"n": MAX_SESSIONS}
    _check_trainer(trainer, errors)
    if errors:
        raise ValidationError(errors)
    have = set(
        TrainingSession.objects.filter(customer=customer, year=year).values_list(
            "period", flat=True
        )
    )
    calendar = work_calendar(CALENDAR)
    made = []
    # This year's sessions fall in what is left of it, never on a day already past
    # (a past year's are a record of training held then).
    today = timezone.localdate()
    first = max(dt.date(year, 1, 1), today) if year == today.year else dt.date(year, 1, 1)
    for period, day in spread(year, times, first, dt.date(year, 12, 31), calendar):
        if period in have:
            continue
        number_year = timezone.localtime().year
        session = TrainingSession(
            number=formatted("PX", number_year, next_number(f"PX-{number_year}")),
            customer=customer,
            year=year,
            period=period,
            planned_on=day,
            topic=topic,
            trainer=trainer,
        )
        save_audited(session, actor=actor, reason="planned")
        made.append(session)
    return made


def _locked(session: TrainingSession) -> TrainingSession:
    return (
        TrainingSession.objects.select_for_update(of=("self",))
        .select_related("customer", "trainer")
        .get(pk=session.pk)
    )


def _check_hand(actor: User, session: TrainingSession) -> None:
    if actor.pk != session.trainer_id and not actor.has_role(Role.SERVICE_MANAGER):
        raise ValidationError({"trainer": _("Only the trainer records the session.")})


def _score(value: Any, field: str, errors: dict[str, Any]) -> int | None:
    """A score of 0 to 100; each attendee has both (a blank one is not a pass)."""
    if value in (None, ""):
        errors[field] = _("Give both scores, from 0 to 100.")
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        number = -1
    if not 0 <= number <= 100:
        errors[field] = _("A score from 0 to 100.")
        return None
    return number


@transaction.atomic
def training_hold(
    *,
    actor: User,
    session: TrainingSession,
    attendees: list[dict[str, Any]],
    place: str = "",
    held_at: dt.datetime | None = None,
    trainer: User | None = None,
) -> TrainingSession:
    """The session was held: who attended (name, post) with their theory and practical
    scores, where and when."""
    session = _locked(session)
    if trainer is not None and session.trainer_id is None:
        session.trainer = trainer
    if session.trainer_id is None:
        raise ValidationError({"trainer": _("Who trained?")})
    _check_hand(actor, session)
    errors: dict[str, Any] = {}
    _check_trainer(session.trainer, errors)
    place = typed_text(place, "place", 200, errors, required=False)
    held_at = held_at or timezone.now()
    check_past(held_at, "held_at", grace=dt.timedelta(minutes=5))
    rows = []
    given = [a for a in attendees if str(a.get("name") or "").strip()]
    if not given:
        errors["attendees"] = _("Name at least one attendee.")
    if len(given) > MAX_ATTENDEES:
        errors["attendees"] = _("At most %(n)s attendees.") % {"n": MAX_ATTENDEES}
    for n, row in enumerate(given[:MAX_ATTENDEES], start=1):
        field = f"attendee-{n}"
        rows.append(
            Attendee(
                session=session,
                name=typed_text(str(row["name"]), field, 50, errors, required=True),
                post=typed_text(str(row.get("post") or ""), field, 50, errors, required=False),
                theory=_score(row.get("theory"), field, errors),
                practical=_score(row.get("practical"), field, errors),
            )
        )
        if field in errors:  # say whose row it is
            errors[field] = labelled(str(row["name"]).strip()[:50], errors[field])
    if errors:
        raise ValidationError(errors)
    session.place, session.held_at = place, held_at
    TRAINING_LIFE.move(session, Status.HELD, actor=actor, reason="held")
    Attendee.objects.bulk_create(rows)
    return session


def signed_content(session: TrainingSession) -> dict[str, Any]:
    """What the training record attests: the session and every attendee's scores."""
    return {
        "training": session.number,
        "topic": session.topic,
        "held_at": session.held_at.isoformat() if session.held_at else "",
        "attendees": [
            [a.name, a.post, a.theory, a.practical] for a in session.attendees.order_by("pk")
        ],
        "pass_mark": session.pass_mark,
    }


@transaction.atomic
def training_sign(
    *, actor: User, session: TrainingSession, signer: str, signature: str, signed_by: str = ""
) -> TrainingSession:
    """The trainer's and the customer's signatures under the held session."""
    session = _locked(session)
    _check_hand(actor, session)
    if session.status != Status.HELD:
        raise ConflictError(_("A held session that is not reported yet is signed."))
    signing.sign(
        session,
        actor=actor,
        signer=signer,
        signature=signature,
        signed_by=signed_by,
        staff_id=session.trainer_id,
        content=signed_content,
    )
    save_audited(session, actor=actor, reason=f"signed by the {signer}")
    return session


def changed_since_signed(session: TrainingSession) -> list[str]:
    return signing.changed_since_signed(session, signed_content)


@transaction.atomic
def training_report(*, actor: User, session: TrainingSession, summary: str) -> TrainingSession:
    """The summary report to the customer (培训总结), once both sides signed."""
    session = _locked(session)
    _check_hand(actor, session)
    if session.status == Status.HELD and not session.signed_by_both:
        raise ConflictError(_("Both sides sign the training record before the report."))
    errors: dict[str, Any] = {}
    session.summary = typed_text(summary, "summary", 4000, errors, required=True)
    if errors:
        raise ValidationError(errors)
    session.reported_at = timezone.now()
    TRAINING_LIFE.move(session, Status.REPORTED, actor=actor, reason="reported")
    return session


@transaction.atomic
def training_cancel(*, actor: User, session: TrainingSession, reason: str) -> TrainingSession:
    session = _locked(session)
    errors: dict[str, Any] = {}
    session.cancel_reason = typed_text(reason, "reason", 300, errors, required=True)
    if errors:
        raise ValidationError(errors)
    TRAINING_LIFE.move(session, Status.CANCELLED, actor=actor, note=reason)
    return session


def pass_rate(session: TrainingSession) -> tuple[int, int]:
    """(passed, scored) among the attendees with both scores."""
    scored = [a for a in session.attendees.all() if a.passed is not None]
    return sum(1 for a in scored if a.passed), len(scored)
