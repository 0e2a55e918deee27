"""The daily plan of return visits (R-FB-2)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="6", minute="5"))
def plan_visits() -> dict[str, int]:
    from aftersales.feedback.visits import visits_plan

    return visits_plan()
