"""The daily plan of return visits (R-FB-2)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


# Huey matches crontabs against UTC: 22:05 UTC is 06:05 in Asia/Shanghai, before the
# agents' day starts. Running it at any other hour is harmless (it adds only what is
# missing).
@db_periodic_task(crontab(hour="22", minute="5"))
def plan_visits() -> dict[str, int]:
    from aftersales.feedback.visits import visits_plan

    return visits_plan()


@db_task()
def send_campaign(campaign_id: int) -> int:
    from aftersales.feedback.models import SurveyCampaign
    from aftersales.feedback.surveys import campaign_send

    campaign = SurveyCampaign.objects.filter(pk=campaign_id).first()
    return campaign_send(campaign) if campaign else 0
