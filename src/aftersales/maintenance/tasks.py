"""The next quarter's maintenance plans, made ahead so customers can confirm them."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


# 17:00 UTC on the 15th of a quarter's last month is 01:00 on the 16th in Asia/Shanghai:
# two weeks for the customers to confirm. Running again adds only what is missing.
@db_periodic_task(crontab(month="3,6,9,12", day="15", hour="17", minute="10"))
def plan_next_quarter() -> int:
    from django.utils import timezone

    from aftersales.maintenance.plans import Quarter, quarter_plans_generate

    return quarter_plans_generate(actor=None, quarter=Quarter.of(timezone.localdate()).next())
