"""Quarterly maintenance plans (季度维护保养工作计划, R-PM-1; seed 001 七 2: "制订季度
维护保养工作计划,经甲方确认后切实执行").

A contract of ``visits_per_year`` visits divides each year into that many equal
periods; a quarter's plan has one visit for each period that starts in the
quarter (while the contract runs), on the middle working day of the period's part
of the quarter, so visits spread over the quarter and never two fall in one
period. Generating again adds only what is missing: a moved visit stays moved.

The life of a plan (``PLAN_LIFE``) and of its visits (``VISIT_LIFE``):

=========  ============================================
proposed   confirmed (by the customer, or recorded by staff)
confirmed  —
planned    done (an inspection of the visit was signed), cancelled (with a reason)
=========  ============================================
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from aftersales.accounts.models import User
from aftersales.calendars.engine import WorkCalendar
from aftersales.calendars.selectors import work_calendar
from aftersales.common.audit import save_audited
from aftersales.common.exceptions import ConflictError
from aftersales.common.lifecycle import Lifecycle
from aftersales.common.validation import FIRST_DAY, LAST_DAY
from aftersales.customers.models import MaintenanceContract
from aftersales.maintenance.models import MaintenancePlan, PlannedVisit

PLAN_LIFE = Lifecycle(
    "maintenance.maintenanceplan",
    {
        MaintenancePlan.Status.PROPOSED: {MaintenancePlan.Status.CONFIRMED},
        MaintenancePlan.Status.CONFIRMED: set(),
    },
)
VISIT_LIFE = Lifecycle(
    "maintenance.plannedvisit",
    {
        PlannedVisit.Status.PLANNED: {PlannedVisit.Status.DONE, PlannedVisit.Status.CANCELLED},
        PlannedVisit.Status.DONE: set(),
        PlannedVisit.Status.CANCELLED: set(),
    },
)
# Visits fall on the standard (office) calendar's working days.
CALENDAR = "standard"
QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$")


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @property
    def code(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def last(self) -> dt.date:
        following = Quarter(self.year + self.number // 4, self.number % 4 + 1)
        return following.first - dt.timedelta(days=1)

    def next(self) -> Quarter:
        return Quarter(self.year + self.number // 4, self.number % 4 + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - (self.number == 1), (self.number - 2) % 4 + 1)

    @property
    def label(self) -> str:
        return _("%(year)s Q%(n)s") % {"year": self.year, "n": self.number}

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)


def parse_quarter(text: str, field: str = "quarter") -> Quarter:
    """``2026Q4`` (or ``2026-Q4``) in 2000–2100; a 400 naming ``field`` otherwise."""
    match = QUARTER.match((text or "").strip().upper())
    if match is None or not FIRST_DAY.year <= int(match[1]) <= LAST_DAY.year:
        raise ValidationError({field: _("Give a quarter such as 2026Q4 (2000 to 2100).")})
    return Quarter(int(match[1]), int(match[2]))


def _period_starts(year: int, visits: int) -> list[dt.date]:
    """The first day of each of ``visits`` equal periods of the year, and the next year's
    first day after them."""
    first = dt.date(year, 1, 1)
    days = (dt.date(year + 1, 1, 1) - first).days
    return [first + dt.timedelta(days=days * k // visits) for k in range(visits + 1)]


Memo = dict[tuple[dt.date, dt.date], dt.date]


def spread(
    year: int,
    times: int,
    first: dt.date,
    last: dt.date,
    calendar: WorkCalendar,
    *,
    window: tuple[dt.date, dt.date] | None = None,
    memo: Memo | None = None,
) -> list[tuple[int, dt.date]]:
    """(period, day): the year in ``times`` equal periods, each clipped to ``first``..
    ``last``; a period whose (clipped) start falls in ``window`` (default: the year) gets
    the middle working day of its part in the window. ``memo`` keeps the days found, so
    thousands of contracts sharing a few periods count each once."""
    if times < 1:
        return []
    low, high = window or (dt.date(year, 1, 1), dt.date(year, 12, 31))
    memo = {} if memo is None else memo
    starts = _period_starts(year, times)
    planned = []
    for k in range(times):
        start = max(starts[k], first)
        end = min(starts[k + 1] - dt.timedelta(days=1), last, high)
        if start > end or not low <= start <= high:
            continue
        if (start, end) not in memo:
            days = calendar.working_dates(start, end)
            if not days:  # a period of holidays only: the next working day after it
                days = calendar.working_dates(start, start + dt.timedelta(days=31))[:1]
            memo[start, end] = days[(len(days) - 1) // 2] if days else start
        planned.append((k + 1, memo[start, end]))
    return planned


def visit_dates(
    contract: MaintenanceContract,
    quarter: Quarter,
    calendar: WorkCalendar,
    memo: Memo | None = None,
) -> list[tuple[int, dt.date]]:
    """(period of the year, planned day) of each visit ``contract`` has in ``quarter``:
    the periods that start in the quarter while the contract runs."""
    return spread(
        quarter.year,
        contract.visits_per_year,
        contract.starts_on,
        contract.ends_on,
        calendar,
        window=(quarter.first, quarter.last),
        memo=memo,
    )


def _check_contract(contract: MaintenanceContract, quarter: Quarter) -> None:
    if contract.ends_on < quarter.first:
        raise ValidationError(
            {
                "contract": _("The contract ended on %(day)s, before this quarter.")
                % {"day": contract.ends_on.isoformat()}
            }
        )
    if contract.starts_on > quarter.last:
        raise ValidationError(
            {
                "contract": _("The contract starts on %(day)s, after this quarter.")
                % {"day": contract.starts_on.isoformat()}
            }
        )


@transaction.atomic
def maintenance_plan_generate(
    *, actor: User | None, contract: MaintenanceContract, quarter: Quarter
) -> MaintenancePlan:
    """The contract's plan for the quarter, made or completed; run again, it adds nothing
    that is there (one visit per period, a moved visit stays where it was moved)."""
    _check_contract(contract, quarter)
    plans = maintenance_plans_generate(actor=actor, contracts=[contract], quarter=quarter)
    if not plans:
        raise ValidationError(
            {
                "quarter": _("The contract has no visit in this quarter (%(n)s visits a year).")
                % {"n": contract.visits_per_year}
            }
        )
    return plans[0]


@transaction.atomic
def maintenance_plans_generate(
    *, actor: User | None, contracts: Iterable[MaintenanceContract], quarter: Quarter
) -> list[MaintenancePlan]:
    """Plans for many contracts at once (the quarter's run for every contract): a few
    statements per thousand contracts. Contracts with no visit in the quarter (outside it,
    or too few visits a year) are skipped."""
    calendar = work_calendar(CALENDAR)
    contracts = list(contracts)
    memo: Memo = {}
    dates = {
        c.pk: visit_dates(c, quarter, calendar, memo)
        for c in contracts
        if c.starts_on <= quarter.last and c.ends_on >= quarter.first
    }
    contracts = [c for c in contracts if dates.get(c.pk)]
    if not contracts:
        return []
    now = timezone.now()
    ids = [c.pk for c in contracts]
    plans = {
        p.contract_id: p
        for p in MaintenancePlan.objects.filter(contract_id__in=ids, quarter=quarter.code)
    }
    new_plans = [
        MaintenancePlan(contract=c, quarter=quarter.code, created_at=now)
        for c in contracts
        if c.pk not in plans
    ]
    for plan in bulk_create_with_history(
        new_plans, MaintenancePlan, default_user=actor, default_change_reason="generated"
    ):
        plans[plan.contract_id] = plan
    if len(plans) < len(contracts):  # a backend that returns no keys: read them back
        plans = {
            p.contract_id: p
            for p in MaintenancePlan.objects.filter(contract_id__in=ids, quarter=quarter.code)
        }
    have = set(
        PlannedVisit.objects.filter(plan__in=plans.values()).values_list("plan_id", "period")
    )
    visits = [
        PlannedVisit(plan=plans[c.pk], period=period, planned_on=day)
        for c in contracts
        for period, day in dates[c.pk]
        if (plans[c.pk].pk, period) not in have
    ]
    bulk_create_with_history(
        visits, PlannedVisit, default_user=actor, default_change_reason="generated"
    )
    return [plans[c.pk] for c in contracts]


@transaction.atomic
def maintenance_plan_confirm(
    *, actor: User, plan: MaintenancePlan, confirmed_by: str = "", via: str = ""
) -> MaintenancePlan:
    """甲方确认: the customer's contact confirms in the portal (their own name), or staff
    record who confirmed and how (by phone, on paper)."""
    plan = (
        MaintenancePlan.objects.select_for_update(of=("self",))
        .select_related("contract")
        .get(pk=plan.pk)
    )
    if actor.is_external and plan.contract.customer_id != actor.customer_id_scope:
        raise Http404
    if actor.is_external:
        confirmed_by = actor.get_full_name() or actor.username
        via = _("In the customer portal")
    elif not confirmed_by.strip():
        raise ValidationError({"confirmed_by": _("Who at the customer confirmed the plan?")})
    if not plan.visits.exists():
        raise ConflictError(_("The plan has no visits to confirm."))
    plan.confirmed_at = timezone.now()
    plan.confirmed_by = confirmed_by.strip()[:50]
    plan.confirmed_via = via.strip()[:100]
    PLAN_LIFE.move(plan, MaintenancePlan.Status.CONFIRMED, actor=actor, reason="confirmed")
    return plan


def _open_visit(visit: PlannedVisit) -> PlannedVisit:
    visit = (
        PlannedVisit.objects.select_for_update(of=("self",))
        .select_related("plan__contract")
        .get(pk=visit.pk)
    )
    if visit.status != PlannedVisit.Status.PLANNED:
        raise ConflictError(
            _("The visit is %(status)s and cannot change.") % {"status": visit.get_status_display()}
        )
    return visit


@transaction.atomic
def maintenance_visit_move(
    *,
    actor: User,
    visit: PlannedVisit,
    planned_on: dt.date,
    reason: str,
    technician: User | None = None,
) -> PlannedVisit:
    """Move a visit to another day of the contract, with the reason (kept, and shown to
    the customer as the new date)."""
    visit = _open_visit(visit)
    errors = {}
    contract = visit.plan.contract
    if not reason.strip():
        errors["reason"] = _("Say why the visit moves.")
    if not contract.starts_on <= planned_on <= contract.ends_on:
        errors["planned_on"] = _("Choose a day while the contract runs (%(a)s to %(b)s).") % {
            "a": contract.starts_on.isoformat(),
            "b": contract.ends_on.isoformat(),
        }
    if technician is not None and not technician.is_active:
        errors["technician"] = _("This person no longer works here.")
    if errors:
        raise ValidationError(errors)
    if visit.moved_from is None and planned_on != visit.planned_on:
        visit.moved_from = visit.planned_on
    visit.planned_on = planned_on
    visit.move_reason = reason.strip()[:300]
    if technician is not None:
        visit.technician = technician
    save_audited(visit, actor=actor, reason=f"moved: {visit.move_reason}")
    return visit


@transaction.atomic
def maintenance_visit_cancel(*, actor: User, visit: PlannedVisit, reason: str) -> PlannedVisit:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the visit is cancelled.")})
    visit = _open_visit(visit)
    visit.cancel_reason = reason.strip()[:300]
    VISIT_LIFE.move(visit, PlannedVisit.Status.CANCELLED, actor=actor, note=reason)
    return visit


def maintenance_visit_done(*, actor: User, visit: PlannedVisit) -> None:
    """An inspection of the visit was signed: the visit happened."""
    if visit.status == PlannedVisit.Status.PLANNED:
        VISIT_LIFE.move(visit, PlannedVisit.Status.DONE, actor=actor, reason="inspected")


def quarter_plans_generate(*, actor: User | None, quarter: Quarter, chunk: int = 2000) -> int:
    """Every running contract's plan for the quarter, a chunk of contracts per
    transaction (a worker never holds the database for the whole run); how many plans
    the quarter has."""
    last = 0
    made = 0
    running = MaintenanceContract.objects.filter(
        starts_on__lte=quarter.last, ends_on__gte=quarter.first
    ).order_by("pk")
    while True:
        contracts = list(running.filter(pk__gt=last)[:chunk])
        if not contracts:
            return made
        made += len(maintenance_plans_generate(actor=actor, contracts=contracts, quarter=quarter))
        last = contracts[-1].pk
