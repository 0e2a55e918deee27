"""The semantics of policies.md, example by example, and the edge cases."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from aftersales.calendars.engine import CalendarError, CalendarSpec, WorkCalendar

from .conftest import STANDARD_SPEC, at


def test_policies_example_working_hours_across_a_weekend_with_a_makeup_sunday(standard):
    assert standard.add(at("2026-09-18T16:00"), 8, "working_hours") == at("2026-09-20T16:00")


def test_policies_example_working_days_across_national_day(standard):
    assert standard.add(at("2026-09-30T10:00"), 3, "working_days") == at("2026-10-10T18:00")


def test_a_limit_ending_at_noon_is_due_at_noon_not_after_lunch(standard):
    assert standard.add(at("2026-09-21T09:00"), 3, "working_hours") == at("2026-09-21T12:00")


def test_lunch_does_not_count(standard):
    assert standard.add(at("2026-09-21T11:00"), 2, "working_hours") == at("2026-09-21T14:00")


@pytest.mark.parametrize(
    ("start", "due"),
    [
        ("2026-09-21T07:30", "2026-09-21T10:00"),  # before opening
        ("2026-09-21T12:20", "2026-09-21T14:00"),  # at lunch
        ("2026-09-21T18:00", "2026-09-22T10:00"),  # at closing
        ("2026-09-21T22:00", "2026-09-22T10:00"),  # at night
        ("2026-09-26T10:00", "2026-09-28T10:00"),  # on a Saturday
        ("2026-10-01T10:00", "2026-10-08T10:00"),  # on a holiday
    ],
)
def test_a_start_outside_working_time_counts_from_the_next_period(standard, start, due):
    assert standard.add(at(start), 1, "working_hours") == at(due)


def test_a_makeup_workday_works_like_a_monday(standard):
    assert standard.is_working_time(at("2026-10-10T10:00"))  # Saturday, 调休上班
    assert not standard.is_working_time(at("2026-10-11T10:00"))  # Sunday


def test_adding_zero_gives_the_start_in_working_time_else_the_next_period(standard):
    assert standard.add(at("2026-09-21T10:07"), 0, "working_minutes") == at("2026-09-21T10:07")
    assert standard.add(at("2026-09-21T12:30"), 0, "working_hours") == at("2026-09-21T13:00")
    assert standard.add(at("2026-09-30T19:00"), 0, "working_hours") == at("2026-10-08T09:00")


def test_year_boundary_new_year_and_a_makeup_sunday(standard):
    # 2026-01-01/02 are off, 01-03 is Saturday, 01-04 Sunday is a make-up workday.
    assert standard.add(at("2025-12-31T17:00"), 2, "working_hours") == at("2026-01-04T10:00")
    assert standard.add(at("2025-12-31T10:00"), 1, "working_days") == at("2026-01-04T18:00")


def test_working_days_count_from_the_day_after_even_early_in_the_morning(standard):
    assert standard.add(at("2026-09-21T08:00"), 1, "working_days") == at("2026-09-22T18:00")


def test_working_days_from_a_day_off(standard):
    assert standard.add(at("2026-10-03T10:00"), 1, "working_days") == at("2026-10-08T18:00")


@pytest.mark.parametrize(
    ("start", "due"),
    [
        ("2026-09-21T08:00", "2026-09-21T18:00"),  # before opening: that day
        ("2026-09-21T17:59", "2026-09-21T18:00"),
        ("2026-09-21T18:00", "2026-09-22T18:00"),  # at closing: the next working day
        ("2026-09-21T19:30", "2026-09-22T18:00"),  # after closing
        ("2026-09-30T19:30", "2026-10-08T18:00"),  # after closing before a holiday week
        ("2026-10-04T10:00", "2026-10-08T18:00"),  # on a day off
    ],
)
def test_same_working_day(standard, start, due):
    assert standard.add(at(start), 0, "same_working_day") == at(due)


def test_natural_units_ignore_the_calendar(standard):
    assert standard.add(at("2026-10-01T10:00"), 4, "hours") == at("2026-10-01T14:00")
    assert standard.add(at("2026-10-01T10:00"), 10, "minutes") == at("2026-10-01T10:10")
    assert standard.add(at("2026-09-30T10:00"), 5, "days") == at("2026-10-05T10:00")


def test_working_time_between_two_instants(standard):
    minutes = standard.working_seconds_between(at("2026-09-18T16:00"), at("2026-09-20T16:00")) / 60
    assert minutes == 8 * 60
    assert standard.working_seconds_between(at("2026-10-01T00:00"), at("2026-10-08T00:00")) == 0


def test_the_result_is_in_the_calendars_time_zone(standard):
    utc = dt.datetime(2026, 9, 18, 8, 0, tzinfo=dt.UTC)  # 16:00 in Shanghai
    due = standard.add(utc, 8, "working_hours")
    assert due == at("2026-09-20T16:00") and due.utcoffset() == dt.timedelta(hours=8)


def test_a_calendar_across_a_daylight_saving_change():
    berlin = ZoneInfo("Europe/Berlin")
    full_days = CalendarSpec(time_zone="Europe/Berlin", weekly=(((0, 24 * 60),),) * 7)
    work = WorkCalendar(full_days)
    start = dt.datetime(2026, 3, 28, 12, 0, tzinfo=berlin)  # clocks go forward on 03-29
    due = work.add(start, 24, "working_hours")
    assert due == dt.datetime(2026, 3, 29, 13, 0, tzinfo=berlin)
    utc = dt.UTC
    assert due.astimezone(utc) - start.astimezone(utc) == dt.timedelta(hours=24)  # elapsed

    office = CalendarSpec(time_zone="Europe/Berlin", weekly=(((9 * 60, 17 * 60),),) * 5 + ((), ()))
    assert WorkCalendar(office).add(
        dt.datetime(2026, 3, 27, 16, 0, tzinfo=berlin), 2, "working_hours"
    ) == dt.datetime(2026, 3, 30, 10, 0, tzinfo=berlin)


def test_the_24x7_calendar_counts_every_minute():
    always = WorkCalendar(CalendarSpec("Asia/Shanghai", (((0, 1440),),) * 7), always=True)
    assert always.add(at("2026-10-01T23:55"), 10, "working_minutes") == at("2026-10-02T00:05")
    assert always.add(at("2026-09-30T10:00"), 3, "working_days") == at("2026-10-04T00:00")


def test_several_periods_a_day_are_allowed():
    shifts = CalendarSpec("Asia/Shanghai", (((0, 120), (480, 600), (1380, 1440)),) * 7)
    work = WorkCalendar(shifts)
    assert work.add(at("2026-09-21T01:00"), 90, "working_minutes") == at("2026-09-21T08:30")
    assert work.add(at("2026-09-21T09:30"), 60, "working_minutes") == at("2026-09-21T23:30")


def test_far_deadlines_grow_the_index(standard):
    due = standard.add(at("2026-09-21T09:00"), 9 * 250 * 8, "working_hours")
    assert due.year in {2035, 2036}
    assert standard.working_seconds_between(at("2026-09-21T09:00"), due) == 9 * 250 * 8 * 3600


@pytest.mark.parametrize(
    ("amount", "unit"),
    [
        (-1, "working_hours"),
        (1, "fortnights"),
        (1, "same_working_day"),
        (10**7, "working_hours"),
        (3700, "working_days"),
        (1.5, "hours"),
        (True, "hours"),
    ],
)
def test_bad_amounts_and_units_are_refused(standard, amount, unit):
    with pytest.raises(CalendarError):
        standard.add(at("2026-09-21T09:00"), amount, unit)


def test_a_naive_time_is_refused(standard):
    with pytest.raises(CalendarError):
        standard.add(dt.datetime(2026, 9, 21, 9, 0), 1, "working_hours")


def test_a_calendar_without_any_working_time_says_so():
    never = WorkCalendar(CalendarSpec("Asia/Shanghai", ((),) * 7))
    with pytest.raises(CalendarError):
        never.add(at("2026-09-21T09:00"), 1, "working_hours")


def test_the_spec_itself_says_which_days_work():
    assert STANDARD_SPEC.periods_on(dt.date(2026, 10, 10))
    assert not STANDARD_SPEC.periods_on(dt.date(2026, 10, 5))


def test_zero_from_a_periods_end_is_the_next_period_but_one_minute_counts_on(standard):
    noon = standard.add(at("2026-09-21T09:00"), 3, "working_hours")
    assert noon == at("2026-09-21T12:00")
    assert standard.add(noon, 0, "working_minutes") == at("2026-09-21T13:00")
    assert standard.add(noon, 1, "working_minutes") == at("2026-09-21T13:01")
