from typing import Any

from django.core.checks import Warning, register
from django.db import DatabaseError
from django.utils import timezone


@register()
def statutory_days_present(app_configs: Any, **kwargs: Any) -> list[Warning]:
    """Warn from 1 November when next year's statutory days are not in the calendar."""
    from aftersales.calendars.selectors import years_missing_statutory_days

    try:
        missing = years_missing_statutory_days(timezone.localdate())
    except DatabaseError:  # not migrated yet
        return []
    return [
        Warning(
            f"The standard calendar has no statutory days off for {year}.",
            hint=f"Run `manage.py import_statutory_days {year}` once the State Council has "
            "announced them (update the holidays package first), or enter them on the "
            "calendar page.",
            id="calendars.W001",
        )
        for year in missing
    ]
