"""Each morning the service managers hear of the duty roster's gaps of the next two weeks."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


# 00:30 UTC is 08:30 in Asia/Shanghai, when the service manager starts the day.
@db_periodic_task(crontab(hour="0", minute="30"))
def warn_of_roster_gaps() -> int:
    from aftersales.operations.roster import gaps_warn

    return gaps_warn()
