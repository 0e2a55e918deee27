"""Webhooks for integrators: what happens, sent to the receivers that follow it.

``emit`` keeps one delivery per subscription following the event, in the caller's
transaction; after commit a Huey task claims it (never sent twice) and POSTs the JSON
body with these headers:

- ``X-Aftersales-Event``: the event (``service_request.created`` …),
- ``X-Aftersales-Delivery``: the delivery's id (a receiver ignores one it has seen),
- ``X-Aftersales-Timestamp``: Unix seconds,
- ``X-Aftersales-Signature``: ``sha256=`` + hex HMAC-SHA256 of ``"{timestamp}.{body}"``
  with the subscription's secret (a receiver refuses a stale timestamp).

A 2xx answer delivers it; a timeout, a refused connection or any other answer is
tried again after 1, 2, 4, 8, 16 minutes, then it fails and waits in the delivery log
(admin) for a replay.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from aftersales.common.lifecycle import Lifecycle
from aftersales.common.messaging import BACKOFF, STALE, TRIES
from aftersales.delivery.models import WebhookDelivery, WebhookSubscription

Status = WebhookDelivery.Status
Event = WebhookSubscription.Event

DELIVERY_LIFE = Lifecycle(
    "delivery.webhookdelivery",
    {
        Status.QUEUED: {Status.SENDING},
        Status.SENDING: {Status.DELIVERED, Status.QUEUED, Status.FAILED},
        Status.DELIVERED: set(),
        Status.FAILED: set(),  # a replay is a new delivery of the same body
    },
    log=None,
)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def emit(event: str, data: dict[str, Any] | list[dict[str, Any]]) -> int:
    """One delivery of ``{"event", "at", "data"}`` (each of ``data`` when a list) to
    each subscription following the event; sent after the caller's transaction
    commits. Without subscriptions it costs one query."""
    subscriptions = [
        s for s in WebhookSubscription.objects.filter(enabled=True) if event in (s.events or [])
    ]
    if not subscriptions:
        return 0
    now = timezone.now()
    made = []
    for item in data if isinstance(data, list) else [data]:
        body = json.loads(
            json.dumps({"event": event, "at": now, "data": item}, cls=DjangoJSONEncoder)
        )
        for subscription in subscriptions:
            delivery = WebhookDelivery(
                subscription=subscription, event=event, payload=body, created_at=now
            )
            delivery.save()
            made.append(delivery.pk)
    transaction.on_commit(lambda: _later_all(made))
    return len(made)


def _later_all(ids: list[int]) -> None:
    for pk in ids:
        _later(pk)


def _later(delivery_id: int, *, delay: int | None = None) -> None:
    from aftersales.delivery.tasks import send_webhook

    if delay is None:
        send_webhook(delivery_id)
    else:
        send_webhook.schedule((delivery_id,), delay=delay)


def _claim(delivery_id: int) -> WebhookDelivery | None:
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("subscription")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status != Status.QUEUED:
            return None
        delivery.next_try_at = timezone.now() + STALE
        DELIVERY_LIFE.move(delivery, Status.SENDING, actor=None, reason="sending")
        return delivery


def _post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    subscription = delivery.subscription
    body = json.dumps(delivery.payload, ensure_ascii=False).encode()
    timestamp = int(time.time())
    request = urllib.request.Request(
        subscription.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "aftersales-webhooks/1",
            "X-Aftersales-Event": delivery.event,
            "X-Aftersales-Delivery": str(delivery.pk),
            "X-Aftersales-Timestamp": str(timestamp),
            "X-Aftersales-Signature": signature(subscription.secret, timestamp, body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=subscription.timeout) as answer:
            return answer.status, answer.read(300).decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read(300).decode("utf-8", "replace")
    except OSError as error:  # timeouts, refused connections, unknown hosts
        return None, f"{type(error).__name__}: {error}"


def webhook_deliver(delivery_id: int) -> WebhookDelivery | None:
    """One try, outside any transaction; the next try is scheduled by the caller when
    this one failed (returns the delivery waiting again)."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return WebhookDelivery.objects.filter(pk=delivery_id).first()
    code, text = _post(delivery)
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
        delivery.attempts += 1
        delivery.response_status = code
        delivery.detail = (f"HTTP {code}: {text}" if code else text)[:300]
        if code is not None and 200 <= code < 300:
            delivery.delivered_at, delivery.next_try_at = timezone.now(), None
            DELIVERY_LIFE.move(delivery, Status.DELIVERED, actor=None, reason="delivered")
        elif delivery.attempts >= TRIES:
            delivery.next_try_at = None
            DELIVERY_LIFE.move(delivery, Status.FAILED, actor=None, reason="last try")
        else:
            delivery.next_try_at = timezone.now() + BACKOFF[delivery.attempts - 1]
            DELIVERY_LIFE.move(delivery, Status.QUEUED, actor=None, reason="try again")
    return delivery


@transaction.atomic
def webhook_replay(*, actor: Any, delivery: WebhookDelivery) -> WebhookDelivery:
    """The same body sent again as a new delivery (its own id), after commit."""
    again = WebhookDelivery.objects.create(
        subscription=delivery.subscription,
        event=delivery.event,
        payload=delivery.payload,
        created_at=timezone.now(),
        replay_of=delivery,
    )
    transaction.on_commit(lambda: _later(again.pk))
    return again


# --- what the events say -----------------------------------------------------------


def request_created(request: Any) -> None:
    emit(
        Event.REQUEST_CREATED,
        {
            "id": request.pk,
            "number": request.number,
            "customer": request.customer_id,
            "equipment": request.equipment_id,
            "severity": request.severity,
            "channel": request.channel,
            "received_at": request.received_at,
        },
    )


def limits_breached(rows: list[Any]) -> None:
    from django.contrib.contenttypes.models import ContentType

    emit(
        Event.LIMIT_BREACHED,
        [
            {
                "id": row.pk,
                "rule": row.rule,
                "severity": row.severity,
                "due_at": row.due_at,
                "target": {
                    "type": ContentType.objects.get_for_id(row.content_type_id).model,
                    "id": row.object_id,
                },
            }
            for row in rows
        ],
    )


def order_completed(order: Any) -> None:
    emit(
        Event.ORDER_COMPLETED,
        {
            "id": order.pk,
            "number": order.number,
            "service_request": order.service_request_id,
            "result": order.result,
            "completed_at": order.completed_at,
        },
    )


def complaint_closed(complaint: Any) -> None:
    emit(
        Event.COMPLAINT_CLOSED,
        {"id": complaint.pk, "number": complaint.number, "closed_at": complaint.closed_at},
    )
