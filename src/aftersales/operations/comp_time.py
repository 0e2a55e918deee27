"""Comp time (倒休, R-OP-2; 001 十二): repair work that could not be put off, done on a
Saturday, a Sunday or another rest day, earns the person time off — taken later when
work is quiet, or set against leave — and nothing is deducted from pay.

A rest day is what the working calendar says: a weekend day that is not a make-up
workday (调休上班), or a holiday. The minutes earned are those of the work order
between arrival and departure that fall on rest days; they are written when the
order is completed, once per order. Taking time needs the service manager's approval
within the balance (a request beyond it is refused, and approval checks again).

The life of a request (``COMP_LIFE``):

==========  ====================================================
requested   approved (the hours leave the ledger), refused, withdrawn
approved    —
refused     —
withdrawn   —
==========  ====================================================
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.calendars.selectors import get_calendar, work_calendar
from aftersales.common.audit import save_audited
from aftersales.common.exceptions import ConflictError
from aftersales.common.lifecycle import Lifecycle
from aftersales.common.validation import typed_text, within_years
from aftersales.operations.models import CompTimeEntry, CompTimeRequest

Status = CompTimeRequest.Status

COMP_LIFE = Lifecycle(
    "operations.comptimerequest",
    {
        Status.REQUESTED: {Status.APPROVED, Status.REFUSED, Status.WITHDRAWN},
        Status.APPROVED: set(),
        Status.REFUSED: set(),
        Status.WITHDRAWN: set(),
    },
)
MAX_HOURS = Decimal("80")  # one request: at most two weeks of working days


def may_decide(user: User) -> bool:
    return user.has_perm("operations.change_comptimerequest")


def rest_minutes(start: dt.datetime, end: dt.datetime, calendar_code: str = "standard") -> int:
    """The minutes of ``start``–``end`` that fall on the calendar's rest days."""
    if end <= start:
        return 0
    calendar = work_calendar(get_calendar(calendar_code))
    tz = calendar.tz
    total = 0.0
    day = start.astimezone(tz).date()
    while day <= end.astimezone(tz).date():
        if not calendar.spec.periods_on(day) and not calendar.always:
            midnight = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
            a, b = max(start, midnight), min(end, midnight + dt.timedelta(days=1))
            total += max((b - a).total_seconds(), 0)
        day += dt.timedelta(days=1)
    return int(total // 60)


def earn_for_order(order: Any, *, actor: User | None) -> CompTimeEntry | None:
    """At completion: the order's time on site on rest days, to its technician (once)."""
    if order.arrived_at is None or order.departed_at is None:
        return None
    minutes = rest_minutes(order.arrived_at, order.departed_at)
    if (
        minutes <= 0
        or CompTimeEntry.objects.filter(work_order=order, person_id=order.technician_id).exists()
    ):
        return None
    return CompTimeEntry.objects.create(
        person_id=order.technician_id,
        kind=CompTimeEntry.Kind.EARNED,
        minutes=minutes,
        day=timezone.localtime(order.arrived_at).date(),
        work_order=order,
        note=_("Work on a rest day: %(n)s") % {"n": order.number},
        created_by=actor,
        created_at=timezone.now(),
    )


def balance_minutes(person: User) -> int:
    return int(CompTimeEntry.objects.filter(person=person).aggregate(s=Sum("minutes"))["s"] or 0)


def pending_minutes(person: User) -> int:
    hours = CompTimeRequest.objects.filter(person=person, status=Status.REQUESTED).aggregate(
        s=Sum("hours")
    )["s"]
    return int((hours or 0) * 60)


def _hours(value: Any, errors: dict[str, Any]) -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        errors["hours"] = _("Give the hours as a number, e.g. 4 or 7.5.")
        return Decimal(0)
    if not Decimal("0.5") <= hours <= MAX_HOURS:
        errors["hours"] = _("Between 0.5 and %(max)s hours.") % {"max": MAX_HOURS}
    return hours


@transaction.atomic
def comp_time_request(
    *, actor: User, day: Any, hours: Any, kind: str = CompTimeRequest.Kind.TAKE, reason: str = ""
) -> CompTimeRequest:
    """Ask for time off in lieu (or to set it against leave), within the balance left
    after what is already asked."""
    errors: dict[str, Any] = {}
    if kind not in CompTimeRequest.Kind.values:
        errors["kind"] = _("Choose time off or set against leave.")
    if not isinstance(day, dt.date):
        errors["day"] = _("Give a date.")
    else:
        try:
            within_years(day)
        except ValidationError as error:
            errors["day"] = error.messages
    amount = _hours(hours, errors)
    reason = typed_text(reason, "reason", 200, errors, required=False)
    if errors:
        raise ValidationError(errors)
    User.objects.select_for_update().filter(pk=actor.pk).first()  # one request at a time
    left = balance_minutes(actor) - pending_minutes(actor)
    if amount * 60 > left:
        raise ValidationError(
            {
                "hours": _("Only %(left)s hours of comp time are left to ask for.")
                % {"left": _h(left)}
            }
        )
    request = CompTimeRequest(
        person=actor, kind=kind, day=day, hours=amount, reason=reason, requested_at=timezone.now()
    )
    save_audited(request, actor=actor, reason="requested")
    from aftersales.accounts.selectors import users_with_role
    from aftersales.obligations.notices import notify

    notify(
        users=users_with_role("service_manager"),
        message=_("Comp time asked: %(who)s, %(day)s, %(hours)s hours.")
        % {"who": actor, "day": f"{day:%Y-%m-%d}", "hours": amount},
        url="/comp-time/",
        exclude=actor,
    )
    return request


def _h(minutes: int) -> str:
    return f"{Decimal(minutes) / 60:.1f}"


@transaction.atomic
def comp_time_decide(*, actor: User, request: CompTimeRequest, approve: bool) -> CompTimeRequest:
    """The service manager's decision; approving takes the hours off the ledger, refused
    (400) if the balance no longer holds them."""
    if not may_decide(actor):
        raise ConflictError(_("Only the service manager approves comp time."))
    request = (
        CompTimeRequest.objects.select_for_update().select_related("person").get(pk=request.pk)
    )
    to = Status.APPROVED if approve else Status.REFUSED
    COMP_LIFE.check(request, to)
    if approve and request.hours * 60 > balance_minutes(request.person):
        raise ValidationError(
            {
                "hours": _("The balance is %(left)s hours: not enough.")
                % {"left": _h(balance_minutes(request.person))}
            }
        )
    now = timezone.now()
    request.decided_by, request.decided_at = actor, now
    COMP_LIFE.move(request, to, actor=actor)
    if approve:
        taken = (
            CompTimeEntry.Kind.TAKEN
            if request.kind == CompTimeRequest.Kind.TAKE
            else CompTimeEntry.Kind.LEAVE
        )
        CompTimeEntry.objects.create(
            person=request.person,
            kind=taken,
            minutes=-int(request.hours * 60),
            day=request.day,
            request=request,
            note=request.reason,
            created_by=actor,
            created_at=now,
        )
    from aftersales.obligations.notices import notify

    notify(
        users=[request.person],
        message=(
            _("Comp time approved: %(day)s, %(hours)s hours.")
            if approve
            else _("Comp time refused: %(day)s, %(hours)s hours.")
        )
        % {"day": f"{request.day:%Y-%m-%d}", "hours": request.hours},
        url="/comp-time/",
        exclude=actor,
    )
    return request


@transaction.atomic
def comp_time_withdraw(*, actor: User, request: CompTimeRequest) -> CompTimeRequest:
    if actor.pk != request.person_id:
        raise ConflictError(_("Only the person who asked may withdraw it."))
    request = CompTimeRequest.objects.select_for_update().get(pk=request.pk)
    COMP_LIFE.move(request, Status.WITHDRAWN, actor=actor)
    return request


def month_rows(month: dt.date) -> list[dict[str, Any]]:
    """Per person for HR: earned and taken in the month, and the balance at its end."""
    from aftersales.calendars.periods import next_month

    end = next_month(month)
    rows: dict[int, dict[str, Any]] = {}
    entries = CompTimeEntry.objects.filter(day__lt=end).select_related("person")
    for entry in entries.order_by("person__full_name", "person__username"):
        row = rows.setdefault(
            entry.person_id,
            {"person": entry.person, "earned": 0, "taken": 0, "balance": 0},
        )
        row["balance"] += entry.minutes
        if entry.day >= month:
            row["earned" if entry.minutes > 0 else "taken"] += abs(entry.minutes)
    for row in rows.values():
        for key in ("earned", "taken", "balance"):
            row[f"{key}_hours"] = round(row[key] / 60, 1)
    return list(rows.values())
