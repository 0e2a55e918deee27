"""Deadline arithmetic speed (issue: at least 100,000 working_hours additions of
1-200 hours and 100,000 working_days additions of 1-30 days per second in one
process, and 1,000x a minute-by-minute reference for 200 working hours).

    .venv/bin/python bench/deadlines.py

Pure computation on the standard calendar of policies.md (built in memory with
the statutory days of every year the holidays package knows); no database.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from aftersales.calendars import reference
from aftersales.calendars.engine import CalendarSpec, WorkCalendar
from aftersales.calendars.holidays_import import known_years, statutory_days

SH = ZoneInfo("Asia/Shanghai")
N = 100_000


def standard_spec() -> CalendarSpec:
    days_off: set[dt.date] = set()
    workdays: set[dt.date] = set()
    for year in known_years():
        off, work = statutory_days(year)
        days_off |= set(off)
        workdays |= set(work)
    workday = ((9 * 60, 12 * 60), (13 * 60, 18 * 60))
    return CalendarSpec(
        "Asia/Shanghai", (workday,) * 5 + ((), ()), frozenset(days_off), frozenset(workdays)
    )


def rate(label: str, work: WorkCalendar, unit: str, amounts: range) -> float:
    starts = [
        dt.datetime(2026, 1, 5, 9, 0, tzinfo=SH) + dt.timedelta(minutes=97 * i) for i in range(1000)
    ]
    sizes = list(amounts)
    started = time.perf_counter()
    for i in range(N):
        work.add(starts[i % 1000], sizes[i % len(sizes)], unit)
    per_second = N / (time.perf_counter() - started)
    print(f"{label:<44} {per_second:>12,.0f} per second")
    return per_second


def main() -> None:
    spec = standard_spec()
    work = WorkCalendar(spec)
    work.add(dt.datetime(2026, 1, 5, 9, 0, tzinfo=SH), 1, "working_hours")  # build the index
    hours = rate("working_hours, 1-200 hours", work, "working_hours", range(1, 201))
    days = rate("working_days, 1-30 days", work, "working_days", range(1, 31))
    rate("working_minutes, 1-600 minutes", work, "working_minutes", range(1, 601))
    rate("same_working_day", work, "same_working_day", range(0, 1))

    start = dt.datetime(2026, 9, 18, 16, 0, tzinfo=SH)
    runs = 3
    began = time.perf_counter()
    for _ in range(runs):
        expected = reference.add_working_minutes(spec, start, 200 * 60)
    reference_seconds = (time.perf_counter() - began) / runs
    began = time.perf_counter()
    for _ in range(10_000):
        got = work.add(start, 200, "working_hours")
    engine_seconds = (time.perf_counter() - began) / 10_000
    assert got == expected, (got, expected)
    print(
        f"200 working hours: reference {reference_seconds * 1000:,.1f} ms, "
        f"engine {engine_seconds * 1e6:,.2f} µs, {reference_seconds / engine_seconds:,.0f}x faster"
    )
    ok = hours >= 100_000 and days >= 100_000 and reference_seconds / engine_seconds >= 1000
    print("targets met" if ok else "TARGETS MISSED")


if __name__ == "__main__":
    main()
