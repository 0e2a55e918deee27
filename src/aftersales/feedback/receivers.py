"""The feedback app's answers to service events (see service/signals.py): each queues a
task, which plans the return visit and sends the survey in its own transaction."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from aftersales.service import signals


@receiver(signals.request_closed, dispatch_uid="feedback_after_repair")
def after_repair(sender: Any, request_id: int, actor_id: Any, at: Any, **kwargs: Any) -> None:
    from aftersales.feedback.tasks import after_repair as task

    task(request_id, actor_id, at)


@receiver(signals.batch_delivered, dispatch_uid="feedback_after_depot")
def after_depot(sender: Any, batch_id: int, actor_id: Any, at: Any, **kwargs: Any) -> None:
    from aftersales.feedback.tasks import after_depot as task

    task(batch_id, actor_id, at)
