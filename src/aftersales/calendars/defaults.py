"""The two calendars of policies.md, created when missing.

Used by the data migration (with its historical models) and after every
migrate or flush (with the real ones), so a database always has them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

MORNING = (dt.time(9, 0), dt.time(12, 0))
AFTERNOON = (dt.time(13, 0), dt.time(18, 0))


def ensure_default_calendars(calendar_model: Any, period_model: Any, exception_model: Any) -> None:
    from aftersales.calendars.holidays_import import known_years, statutory_days

    if not calendar_model.objects.filter(code="standard").exists():
        standard = calendar_model.objects.create(
            code="standard", name="标准工作日历", time_zone="Asia/Shanghai", makeup_weekday=0
        )
        period_model.objects.bulk_create(
            period_model(calendar=standard, weekday=weekday, starts_at=start, ends_at=end)
            for weekday in range(5)
            for start, end in (MORNING, AFTERNOON)
        )
        rows = []
        for year in known_years():
            days_off, workdays = statutory_days(year)
            for kind, days in (("day_off", days_off), ("workday", workdays)):
                rows += [
                    exception_model(
                        calendar=standard, date=day, kind=kind, name=name[:100], imported=True
                    )
                    for day, name in days.items()
                ]
        exception_model.objects.bulk_create(rows)
    if not calendar_model.objects.filter(code="24x7").exists():
        always = calendar_model.objects.create(
            code="24x7", name="7×24 全天候", time_zone="Asia/Shanghai", is_24x7=True
        )
        period_model.objects.bulk_create(
            period_model(
                calendar=always, weekday=weekday, starts_at=dt.time(0, 0), ends_at=dt.time(0, 0)
            )
            for weekday in range(7)
        )


def ensure_after_migrate(sender: Any, **kwargs: Any) -> None:
    from aftersales.calendars.models import Calendar, CalendarException, WorkingPeriod

    if getattr(sender, "name", "") == "aftersales.calendars":
        ensure_default_calendars(Calendar, WorkingPeriod, CalendarException)
