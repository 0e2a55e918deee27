"""The arithmetic an obligation runs on: its policy's calendar for working
units, elapsed time for natural ones (which ignore the calendar)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from aftersales.calendars.engine import NATURAL_UNITS, CalendarError, CalendarSpec, WorkCalendar
from aftersales.calendars.forms import engine_error_message
from aftersales.calendars.selectors import work_calendar
from aftersales.obligations.models import Obligation, Policy

_elapsed: dict[str, WorkCalendar] = {}


def clock_for(policy: Policy) -> WorkCalendar:
    if policy.unit in NATURAL_UNITS:
        tz = policy.calendar.time_zone
        if tz not in _elapsed:
            _elapsed[tz] = WorkCalendar(CalendarSpec(tz, (((0, 1440),),) * 7), always=True)
        return _elapsed[tz]
    return work_calendar(policy.calendar)


def schedule(obligation: Obligation, policy: Policy) -> None:
    """Set ``due_at`` and ``warn_at`` from the start, the policy, the factor and
    the working time spent paused so far."""
    clock = clock_for(policy)
    start = obligation.started_at
    try:
        base_due = clock.add(start, policy.amount * obligation.factor, policy.unit)
        allowed = clock.working_seconds_between(start, base_due)
        paused = obligation.paused_seconds
        obligation.due_at = clock.add_working_seconds(base_due, paused) if paused else base_due
        obligation.warn_at = clock.add_working_seconds(
            start, allowed * policy.warn_percent / 100 + paused
        )
    except CalendarError as error:
        # A start outside 2000–2100 is bad input that slipped past a form: a 400 here.
        raise ValidationError({"started_at": engine_error_message(error)}) from error


def working_minutes(policy: Policy, a: dt.datetime, b: dt.datetime) -> float:
    return clock_for(policy).working_seconds_between(a, b) / 60
