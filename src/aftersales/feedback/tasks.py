"""The daily plan of return visits (R-FB-2), the visit and survey after a service, and
the annual campaign."""

from __future__ import annotations

from typing import Any

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


# Planning a visit or sending a survey that fails (a locked database) is tried again;
# both are idempotent (one visit per repair or batch, one survey per request).
RETRIES, RETRY_DELAY = 5, 30


@db_task(retries=RETRIES, retry_delay=RETRY_DELAY)
def after_repair(request_id: int, actor_id: int | None, at: Any) -> None:
    """R-FB-1, R-FB-4: a closed repair gets its return visit and its survey."""
    from django.db import transaction

    from aftersales.accounts.models import User
    from aftersales.feedback import surveys, visits
    from aftersales.service.models import ServiceRequest

    with transaction.atomic():
        request = ServiceRequest.objects.filter(pk=request_id).first()
        if request is None:
            return
        actor = User.objects.filter(pk=actor_id).first() if actor_id else None
        visits.visit_after_repair(actor=actor, request=request, at=at)
        surveys.survey_after_service(actor=actor, request=request, at=at)


@db_task(retries=RETRIES, retry_delay=RETRY_DELAY)
def after_depot(batch_id: int, actor_id: int | None, at: Any) -> None:
    """The customer has the repaired units back: a return visit within FB.RETURN_VISIT."""
    from django.db import transaction

    from aftersales.accounts.models import User
    from aftersales.depot.models import RepairBatch
    from aftersales.feedback import visits

    with transaction.atomic():
        batch = RepairBatch.objects.filter(pk=batch_id).first()
        if batch is None:
            return
        actor = User.objects.filter(pk=actor_id).first() if actor_id else None
        visits.visit_after_depot(actor=actor, batch=batch, at=at)
