"""The webhooks in the OpenAPI description: each event's body, and how it is signed."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiWebhook, extend_schema
from rest_framework import serializers

SIGNED = (
    "POSTed as JSON with `X-Aftersales-Event`, `X-Aftersales-Delivery` (the delivery's id: "
    "ignore one already seen), `X-Aftersales-Timestamp` (Unix seconds) and "
    '`X-Aftersales-Signature`: `sha256=` + hex HMAC-SHA256 of `"{timestamp}.{body}"` with '
    "the subscription's secret. Answer 2xx; anything else, or no answer within the "
    "subscription's timeout, is tried again after 1, 2, 4, 8 and 16 minutes."
)


class RequestCreated(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    customer = serializers.IntegerField()
    equipment = serializers.IntegerField(allow_null=True)
    severity = serializers.CharField()
    channel = serializers.CharField()
    received_at = serializers.DateTimeField()


class Target(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.IntegerField()


class LimitBreached(serializers.Serializer):
    id = serializers.IntegerField()
    rule = serializers.CharField()
    severity = serializers.CharField()
    due_at = serializers.DateTimeField()
    target = Target()


class OrderCompleted(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    service_request = serializers.IntegerField()
    result = serializers.CharField()
    completed_at = serializers.DateTimeField()


class ComplaintClosed(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    closed_at = serializers.DateTimeField()


def _hook(event: str, data: type[serializers.Serializer], summary: str) -> OpenApiWebhook:
    envelope = type(
        f"{data.__name__}Event",
        (serializers.Serializer,),
        {
            "event": serializers.ChoiceField(choices=[event]),
            "at": serializers.DateTimeField(),
            "data": data(),
        },
    )
    return OpenApiWebhook(
        name=event,
        decorator=extend_schema(
            summary=summary,
            description=SIGNED,
            request=envelope,
            responses={200: None},
        ),
    )


REQUEST_CREATED = _hook("service_request.created", RequestCreated, "A service request was created")
LIMIT_BREACHED = _hook("obligation.breached", LimitBreached, "A time limit was breached")
ORDER_COMPLETED = _hook("work_order.completed", OrderCompleted, "A work order was completed")
COMPLAINT_CLOSED = _hook("complaint.closed", ComplaintClosed, "A complaint was closed")
