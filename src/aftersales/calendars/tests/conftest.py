import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from aftersales.calendars.engine import CalendarSpec, WorkCalendar

SH = ZoneInfo("Asia/Shanghai")
WORKDAY = ((9 * 60, 12 * 60), (13 * 60, 18 * 60))

# policies.md, 2026
DAYS_OFF_2026 = [
    "01-01",
    "01-02",
    "02-16",
    "02-17",
    "02-18",
    "02-19",
    "02-20",
    "02-23",
    "04-06",
    "05-01",
    "05-04",
    "05-05",
    "06-19",
    "09-25",
    "10-01",
    "10-02",
    "10-05",
    "10-06",
    "10-07",
]
MAKEUP_2026 = ["01-04", "02-14", "02-28", "05-09", "09-20", "10-10"]


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text if len(text) > 5 else f"2026-{text}")


def at(text: str, tz=SH) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=tz)


STANDARD_SPEC = CalendarSpec(
    time_zone="Asia/Shanghai",
    weekly=(WORKDAY,) * 5 + ((), ()),
    days_off=frozenset(d(x) for x in DAYS_OFF_2026),
    makeup_workdays=frozenset(d(x) for x in MAKEUP_2026),
)


@pytest.fixture
def standard():
    """The standard calendar of policies.md, built in memory (no database)."""
    return WorkCalendar(STANDARD_SPEC)
