"""Properties of the arithmetic, over random calendars and instants (hypothesis),
and agreement with a naive minute-by-minute reference."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales.calendars import reference
from aftersales.calendars.engine import CalendarSpec, WorkCalendar

from .conftest import SH, STANDARD_SPEC

STANDARD = WorkCalendar(STANDARD_SPEC)


@st.composite
def day_periods(draw):
    """Up to three non-overlapping periods on whole quarter hours, none ending at 24:00."""
    cuts = sorted(draw(st.sets(st.integers(0, 95), min_size=0, max_size=6)))
    cuts = cuts[: len(cuts) // 2 * 2]
    return tuple((cuts[i] * 15, cuts[i + 1] * 15) for i in range(0, len(cuts), 2))


@st.composite
def calendars(draw):
    weekly = tuple(draw(day_periods()) for _ in range(7))
    if not any(weekly):
        weekly = (((9 * 60, 17 * 60),), *weekly[1:])
    days = st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    return WorkCalendar(
        CalendarSpec(
            time_zone="Asia/Shanghai",
            weekly=weekly,
            days_off=frozenset(draw(st.sets(days, max_size=20))),
            makeup_workdays=frozenset(draw(st.sets(days, max_size=5))),
            makeup_weekday=draw(st.integers(0, 6)),
        )
    )


instants = st.datetimes(
    dt.datetime(2026, 1, 1), dt.datetime(2026, 12, 31), timezones=st.just(SH)
).map(lambda t: t.replace(microsecond=0))


@given(calendars(), instants, st.integers(0, 400), st.integers(1, 400))
def test_adding_a_then_b_is_adding_a_plus_b_in_working_minutes(work, start, a, b):
    # b >= 1: adding zero has its own rule in policies.md (a deadline at a
    # period's end is that end, but zero from that end is the next period's
    # start), which hypothesis showed breaks additivity for b == 0 only.
    once = work.add(start, a + b, "working_minutes")
    assert work.add(work.add(start, a, "working_minutes"), b, "working_minutes") == once


@given(instants, st.integers(0, 20), st.integers(0, 20))
def test_adding_a_then_b_is_adding_a_plus_b_in_working_days(start, a, b):
    # Zero working days means "the same working day", so a step of 0 is not a no-op.
    first = STANDARD.add(start, a, "working_days") if a else start
    then = STANDARD.add(first, b, "working_days") if b else first
    if a + b:
        assert then == STANDARD.add(start, a + b, "working_days")


@given(calendars(), instants, st.integers(1, 5000))
def test_working_time_from_start_to_the_deadline_is_the_amount(work, start, minutes):
    due = work.add(start, minutes, "working_minutes")
    assert work.working_seconds_between(start, due) == minutes * 60


@given(
    calendars(),
    instants,
    st.integers(0, 5000),
    st.sampled_from(["working_minutes", "working_days"]),
)
def test_deadlines_are_working_time_or_a_period_end_and_never_before_the_start(
    work, start, n, unit
):
    if unit == "working_days":
        n = n % 40
    due = work.add(start, n, unit)
    assert due >= start
    just_before = due - dt.timedelta(seconds=1)
    assert work.is_working_time(due) or work.is_working_time(just_before)


@settings(max_examples=60, deadline=None)
@given(calendars(), instants.map(lambda t: t.replace(second=0)), st.integers(0, 600))
def test_the_engine_agrees_with_the_minute_by_minute_reference(work, start, minutes):
    expected = reference.add_working_minutes(work.spec, start, minutes)
    assert work.add(start, minutes, "working_minutes") == expected
