"""The feedback app's answers to service events (see service/signals.py)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from aftersales.service import signals


@receiver(signals.request_closed, dispatch_uid="feedback_after_repair")
def after_repair(sender: Any, request: Any, actor: Any, at: Any, **kwargs: Any) -> None:
    from aftersales.feedback import surveys, visits

    visits.visit_after_repair(actor=actor, request=request, at=at)
    surveys.survey_after_service(actor=actor, request=request, at=at)


@receiver(signals.batch_delivered, dispatch_uid="feedback_after_depot")
def after_depot(sender: Any, batch: Any, actor: Any, at: Any, **kwargs: Any) -> None:
    from aftersales.feedback import visits

    visits.visit_after_depot(actor=actor, batch=batch, at=at)
