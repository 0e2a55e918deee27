"""Webhook deliveries leave here, after the transaction that made them committed."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task()
def send_webhook(delivery_id: int) -> str:
    from aftersales.delivery.webhooks import Status, _later, webhook_deliver

    delivery = webhook_deliver(delivery_id)
    if delivery is not None and delivery.status == Status.QUEUED and delivery.next_try_at:
        from django.utils import timezone

        wait = max(1, int((delivery.next_try_at - timezone.now()).total_seconds()))
        _later(delivery_id, delay=wait)
    return delivery.status if delivery is not None else ""


@db_periodic_task(crontab(minute="*/5"))
def recover_webhooks() -> int:
    """Deliveries no task will send any more (a lost task, a dead worker) go again."""
    from django.db.models import Q
    from django.utils import timezone

    from aftersales.common.messaging import STALE
    from aftersales.delivery.models import WebhookDelivery
    from aftersales.delivery.webhooks import DELIVERY_LIFE, Status, _later

    now = timezone.now()
    for delivery in WebhookDelivery.objects.filter(status=Status.SENDING, next_try_at__lt=now)[
        :500
    ]:
        delivery.next_try_at = None
        DELIVERY_LIFE.move(delivery, Status.QUEUED, actor=None, reason="worker lost")
    due = WebhookDelivery.objects.filter(status=Status.QUEUED).filter(
        Q(next_try_at__isnull=True, created_at__lt=now - STALE) | Q(next_try_at__lt=now - STALE)
    )
    ids = list(due.values_list("pk", flat=True)[:500])
    for pk in ids:
        _later(pk)
    return len(ids)
