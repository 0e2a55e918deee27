import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from aftersales.calendars import periods

SH = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    "day, end",
    [(dt.date(2028, 2, 10), dt.date(2028, 2, 29)), (dt.date(2026, 12, 31), dt.date(2026, 12, 31))],
)
def test_a_month_ends_on_its_last_day_leap_years_and_december_included(day, end):
    assert periods.month_end(day) == end
    assert periods.next_month(day) == end + dt.timedelta(days=1)


def test_last_month_from_january_is_last_december():
    assert periods.last_month(dt.date(2027, 1, 15)) == dt.date(2026, 12, 1)


def test_a_month_as_instants_is_beijing_midnight_to_midnight():
    start, end = periods.month_bounds(dt.date(2026, 10, 20))
    assert start == dt.datetime(2026, 10, 1, tzinfo=SH)
    assert end == dt.datetime(2026, 11, 1, tzinfo=SH)


@pytest.mark.parametrize(
    "text, month",
    [("2026-10", dt.date(2026, 10, 1)), ("1999-12", None), ("2101-01", None), ("10/2026", None)],
)
def test_a_month_parameter_is_bounded_to_2000_to_2100(text, month):
    assert periods.parse_month(text) == month


def test_a_year_parameter_is_bounded_too():
    assert [periods.parse_year(t) for t in ["2026", "0811", "2101", "abc"]] == [
        2026,
        None,
        None,
        None,
    ]
