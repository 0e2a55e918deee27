"""Return visits (回访, R-FB-1, R-FB-2, R-FB-3): planned from events and from the calendar, called,
recorded once, and what they could not solve handed to a department.

The plan is generated, not remembered: a closed repair and a delivered depot batch
each make a visit due per FB.RETURN_VISIT; a daily task makes the quarter's visit
for every customer in warranty or under contract, and the year's for key customers,
spread over the working days left, never twice for one period (a unique constraint,
so two runs at once cannot double them either).

The life of a visit (``VISIT_LIFE``): due → visited (the customer reached, FB.RETURN_VISIT
met) or cancelled (with the reason); a call not reached keeps it due, tried again
after FB.RETRY.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import Department, User
from aftersales.calendars.periods import quarter_of, year_end
from aftersales.calendars.selectors import work_calendar
from aftersales.common.audit import save_audited
from aftersales.common.exceptions import ConflictError, ValidationError
from aftersales.common.lifecycle import Lifecycle
from aftersales.customers.models import Contact, Customer, MaintenanceContract
from aftersales.feedback.models import Visit, VisitAttempt, VisitIssue
from aftersales.obligations import services as obligations
from aftersales.obligations.notices import notify

Kind, Status = Visit.Kind, Visit.Status

VISIT_LIFE = Lifecycle(
    "feedback.visit",
    {Status.DUE: {Status.DONE, Status.CANCELLED}, Status.DONE: set(), Status.CANCELLED: set()},
)


def visit_transition(visit: Visit, to: str, *, actor: User | None, note: str = "") -> None:
    """The one way a visit's status changes (409 unless VISIT_LIFE allows it)."""
    VISIT_LIFE.move(visit, to, actor=actor, note=note, reason=note[:100] or to)


def _open_visit(
    *,
    actor: User | None,
    rule: str,
    severity: str,
    at: dt.datetime,
    **fields: Any,
) -> Visit | None:
    due = obligations.policy_deadline(rule, at, severity)
    if due is None:  # a consultation has no repair to ask about
        return None
    visit = Visit(planned_on=timezone.localtime(due).date(), created_at=timezone.now(), **fields)
    save_audited(visit, actor=actor, reason="planned")
    obligations.obligation_open(
        actor=actor, target=visit, rule=rule, severity=severity, started_at=at
    )
    return visit


def visit_after_repair(*, actor: User | None, request: Any, at: dt.datetime) -> Visit | None:
    """R-FB-1: a closed repair is visited within FB.RETURN_VISIT (3 days)."""
    if Visit.objects.filter(service_request=request, kind=Kind.REPAIR).exists():
        return None  # one visit for one repair, however often its closing is announced
    return _open_visit(
        actor=actor,
        rule="FB.RETURN_VISIT",
        severity=request.severity,
        at=at,
        customer=request.customer,
        kind=Kind.REPAIR,
        service_request=request,
        contact_name=request.caller_name,
        contact_phone=request.caller_phone,
    )


def visit_after_depot(*, actor: User | None, batch: Any, at: dt.datetime) -> Visit | None:
    """The customer has the repaired units back: a visit within FB.RETURN_VISIT."""
    request = batch.service_request
    contact = primary_contacts([batch.customer_id]).get(batch.customer_id)
    return _open_visit(
        actor=actor,
        rule="FB.RETURN_VISIT",
        # A batch has no severity of its own: its request's, or the P3 row (the same 3 days).
        severity=request.severity if request else "P3",
        at=at,
        customer=batch.customer,
        kind=Kind.DEPOT,
        repair_batch=batch,
        service_request=request,
        contact_name=(request.caller_name if request else contact[0] if contact else ""),
        contact_phone=(request.caller_phone if request else contact[1] if contact else ""),
    )


def visit_follow_up(*, actor: User | None, invitation: Any, at: dt.datetime) -> Visit | None:
    """A low survey score is followed up within FB.FOLLOW_UP (R-FB-1, R-FB-5)."""
    contact = primary_contacts([invitation.customer_id]).get(invitation.customer_id)
    request = invitation.service_request
    return _open_visit(
        actor=actor,
        rule="FB.FOLLOW_UP",
        severity="",
        at=at,
        customer=invitation.customer,
        kind=Kind.FOLLOW_UP,
        invitation=invitation,
        service_request=request,
        contact_name=request.caller_name if request else (contact[0] if contact else ""),
        contact_phone=request.caller_phone if request else (contact[1] if contact else ""),
    )


# --- the plan -----------------------------------------------------------------


def covered_customers(first: dt.date, last: dt.date) -> Any:
    """Customers with equipment in warranty or maintenance, or a contract, at any time
    between ``first`` and ``last`` (R-FB-2)."""
    under_contract = MaintenanceContract.objects.filter(
        starts_on__lte=last, ends_on__gte=first
    ).values("customer_id")
    return (
        Customer.objects.filter(is_active=True)
        .filter(
            Q(equipment__warranty_until__gte=first)
            | Q(equipment__maintenance_until__gte=first)
            | Q(pk__in=under_contract)
        )
        .values_list("pk", flat=True)
        .distinct()
    )


def primary_contacts(customer_ids: list[int]) -> dict[int, tuple[str, str]]:
    """Each customer's contact to call: the primary one, else the first with a phone."""
    found: dict[int, tuple[str, str]] = {}
    rows = (
        Contact.objects.filter(customer_id__in=customer_ids)
        .exclude(phone="")
        .order_by("customer_id", "-is_primary", "pk")
        .values_list("customer_id", "name", "phone")
    )
    for customer_id, name, phone in rows:
        found.setdefault(customer_id, (name, phone))
    return found


def _spread(
    kind: str, period: str, customer_ids: list[int], days: list[dt.date], now: dt.datetime
) -> int:
    """Create the period's visits not yet made, evenly over ``days``; how many were new."""
    if not customer_ids or not days:
        return 0
    total, made = len(customer_ids), 0
    for offset in range(0, total, 2000):
        ids = customer_ids[offset : offset + 2000]
        have = set(
            Visit.objects.filter(kind=kind, period=period, customer_id__in=ids).values_list(
                "customer_id", flat=True
            )
        )
        contacts = primary_contacts([pk for pk in ids if pk not in have])
        visits = [
            Visit(
                customer_id=pk,
                kind=kind,
                period=period,
                planned_on=days[(offset + i) * len(days) // total],
                contact_name=contacts.get(pk, ("", ""))[0],
                contact_phone=contacts.get(pk, ("", ""))[1],
                created_at=now,
            )
            for i, pk in enumerate(ids)
            if pk not in have
        ]
        # The unique constraint is the guard: a concurrent run's rows are skipped.
        Visit.objects.bulk_create(visits, ignore_conflicts=True, batch_size=1000)
        created = list(
            Visit.objects.filter(
                kind=kind,
                period=period,
                created_at=now,
                customer_id__in=[v.customer_id for v in visits],
            )
        )
        # Their history rows, as save() would have written them (the audit trail).
        Visit.history.bulk_history_create(  # type: ignore[attr-defined]
            created, default_change_reason="planned", default_date=now, batch_size=1000
        )
        made += len(created)
    return made


def visits_plan(*, today: dt.date | None = None) -> dict[str, int]:
    """The daily task: this quarter's visits for covered customers, this year's for key
    customers with no quarterly visit this year. Running it again adds nothing."""
    today = today or timezone.localdate()
    now = timezone.now()
    calendar = work_calendar("standard")
    period, first, last = quarter_of(today)
    quarter_days = calendar.working_dates(today, last) or [last]
    covered = sorted(covered_customers(first, last))
    with transaction.atomic():
        quarterly = _spread(Kind.QUARTERLY, period, covered, quarter_days, now)
    year = str(today.year)
    visited_this_year = Visit.objects.filter(
        kind=Kind.QUARTERLY, period__startswith=f"{year}-Q"
    ).values("customer_id")
    key = sorted(
        Customer.objects.filter(is_active=True, is_key_customer=True)
        .exclude(pk__in=visited_this_year)
        .values_list("pk", flat=True)
    )
    year_days = calendar.working_dates(today, year_end(today)) or [today]
    with transaction.atomic():
        yearly = _spread(Kind.YEARLY, year, key, year_days, now)
    return {"quarterly": quarterly, "yearly": yearly}


# --- calling and recording --------------------------------------------------------


def _locked(visit: Visit) -> Visit:
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.status != Status.DUE:
        raise ConflictError(
            _("This visit was already recorded (%(status)s).")
            % {"status": visit.get_status_display()}
        )
    return visit


@transaction.atomic
def visit_record(
    *,
    actor: User,
    visit: Visit,
    reached: bool,
    opinions: str = "",
    suggestions: str = "",
    score: int | None = None,
    note: str = "",
) -> Visit:
    """A call: not reached → tried again after FB.RETRY; reached → the visit is done with
    the customer's opinions, suggestions and score, and FB.RETURN_VISIT is met."""
    if score is not None and not 1 <= score <= 5:
        raise ValidationError({"score": _("Give a score from 1 to 5.")})
    if reached and not (opinions.strip() or score):
        raise ValidationError({"opinions": _("Record what the customer said, or a score.")})
    visit = _locked(visit)
    now = timezone.now()
    VisitAttempt.objects.create(
        visit=visit, at=now, actor=actor, reached=reached, note=note.strip()[:300]
    )
    visit.attempts += 1
    if not reached:
        visit.next_try_at = obligations.policy_deadline("FB.RETRY", now)
        save_audited(visit, actor=actor, reason="not reached")
        return visit
    visit.done_at, visit.done_by = now, actor
    visit.opinions, visit.suggestions, visit.score = opinions.strip(), suggestions.strip(), score
    visit.next_try_at = None
    visit_transition(visit, Status.DONE, actor=actor, note="visited")
    obligations.obligations_meet(actor=actor, target=visit, at=now)
    return visit


@transaction.atomic
def visit_cancel(*, actor: User, visit: Visit, reason: str) -> Visit:
    """A visit that no longer applies (the customer left, a duplicate), with the reason."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the visit is cancelled.")})
    visit = _locked(visit)
    visit_transition(visit, Status.CANCELLED, actor=actor, note=f"cancelled: {reason.strip()}")
    obligations.obligations_cancel(actor=actor, target=visit, reason=reason.strip())
    return visit


@transaction.atomic
def visit_transfer(
    *, actor: User, visit: Visit, department: Department, description: str
) -> VisitIssue:
    """R-FB-3: a problem the visit could not solve goes to the responsible department,
    which answers within FB.TRANSFER (24 hours)."""
    if not description.strip():
        raise ValidationError({"description": _("Describe the problem.")})
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.status == Status.CANCELLED:
        raise ConflictError(_("The visit was cancelled."))
    now = timezone.now()
    issue = VisitIssue(
        visit=visit,
        description=description.strip(),
        department=department,
        created_at=now,
        created_by=actor,
    )
    save_audited(issue, actor=actor, reason="transferred")
    obligations.obligation_open(
        actor=actor,
        target=issue,
        rule="FB.TRANSFER",
        # policies.md: FB.TRANSFER counts from the visit record, not from the transfer:
        # a problem passed on two days late has no fresh 24 hours.
        started_at=visit.done_at or now,
        department=department,
        # Owned by the head, or by a member when the department has none.
        responsible=department.head or department_members(department).order_by("pk").first(),
    )
    notify(
        users=department_members(department),
        message=_("A problem from a return visit to %(customer)s needs your answer: %(text)s")
        % {"customer": visit.customer, "text": issue.description[:120]},
        url=reverse("feedback:issues"),
    )
    return issue


def department_members(department: Department) -> QuerySet[User]:
    """Who speaks for a department: its head and its active members."""
    return User.objects.filter(
        Q(department=department) | Q(pk=department.head_id or 0), is_active=True
    )


def answers_for(user: User, department: Department) -> bool:
    """Whether ``user`` is among ``department_members``."""
    if not user.is_active:
        return False
    return user.department_id == department.pk or department.head_id == user.pk


@transaction.atomic
def issue_answer(*, actor: User, issue: VisitIssue, answer: str) -> VisitIssue:
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    issue = VisitIssue.objects.select_for_update().select_related("department").get(pk=issue.pk)
    if not answers_for(actor, issue.department):
        raise ValidationError(
            {
                "answer": _("Only %(department)s answers this problem.")
                % {"department": issue.department}
            }
        )
    if issue.answered_at is not None:
        raise ConflictError(_("This problem was already answered."))
    now = timezone.now()
    issue.answer, issue.answered_at, issue.answered_by = answer.strip(), now, actor
    save_audited(issue, actor=actor, reason="answered")
    obligations.obligations_meet(actor=actor, target=issue, at=now)
    return issue
