"""China's statutory days off and make-up workdays from the ``holidays`` package.

Each year's schedule is announced by the State Council late in the previous
year; the package ships it as "special" days. Years without an announced
schedule are not offered: their computed festival dates would miss the
substitutions.
"""

from __future__ import annotations

import datetime as dt

import holidays
from holidays.countries.china import ChinaStaticHolidays

MAKEUP_NAME = "调休上班"


def known_years() -> list[int]:
    """Years whose official schedule (with substitutions) the package knows."""
    return sorted(year for year in ChinaStaticHolidays.special_public_holidays if year >= 2001)


def statutory_days(year: int) -> tuple[dict[dt.date, str], dict[dt.date, str]]:
    """(days off with their names, make-up workdays with their names) of ``year``."""
    calendar = holidays.China(years=year, language="zh_CN")
    days_off = {day: str(name) for day, name in calendar.items() if day.year == year}
    workdays = {day: MAKEUP_NAME for day in calendar.weekend_workdays if day.year == year}
    return days_off, workdays
