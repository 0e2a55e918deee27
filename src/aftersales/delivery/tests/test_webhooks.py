"""Webhooks for integrators (issue 18 part 6): a receiver on loopback gets each event
it follows, signed with HMAC-SHA256 over the timestamp and body; a receiver that is
down or slow is tried again later, never twice at once, and a failed delivery is
replayed from the log."""

import hashlib
import hmac
import json

import pytest
from tests import factories

from aftersales.delivery import webhooks
from aftersales.delivery.models import WebhookDelivery, WebhookSubscription
from aftersales.delivery.tests.receivers import http_receiver

pytestmark = pytest.mark.django_db


def subscribe(url, events, **fields):
    return WebhookSubscription.objects.create(
        name="ERP", url=url, events=events, timeout=2, **fields
    )


def verified(got, secret):
    timestamp = got.headers["x-aftersales-timestamp"]
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + got.body, hashlib.sha256)
    return got.headers["x-aftersales-signature"] == f"sha256={mac.hexdigest()}"


def test_a_new_request_reaches_the_receiver_signed(users, company_a):
    with http_receiver() as server:
        server.answer = lambda _got: (204, b"", 0)
        hook = subscribe(server.url, ["service_request.created"])
        subscribe_other = WebhookSubscription.objects.create(
            name="CRM", url=server.url, events=["complaint.closed"]
        )
        with factories.committed():
            request = factories.make_request(company_a.customer, actor=users.agent)
        assert len(server.requests) == 1  # the complaint-only subscriber heard nothing
        got = server.requests[0]
        assert verified(got, hook.secret) and not verified(got, subscribe_other.secret)
        body = json.loads(got.body)
        assert body["event"] == "service_request.created"
        assert body["data"]["number"] == request.number and body["data"]["severity"]
        delivery = WebhookDelivery.objects.get()
        assert got.headers["x-aftersales-delivery"] == str(delivery.pk)
        assert (delivery.status, delivery.attempts, delivery.response_status) == (
            "delivered",
            1,
            204,
        )


def test_a_receiver_down_or_slow_is_tried_later_then_replayed(users, company_a):
    with http_receiver() as server:
        server.answer = lambda _got: (503, b"maintenance", 0)
        subscribe(server.url, ["service_request.created"])
        with factories.committed():
            factories.make_request(company_a.customer, actor=users.agent)
        delivery = WebhookDelivery.objects.get()
        assert (delivery.status, delivery.attempts) == ("queued", 1)
        assert delivery.next_try_at is not None and "503" in delivery.detail
        server.answer = lambda _got: (200, b"ok", 3)  # slower than the 2 s timeout
        webhooks.webhook_deliver(delivery.pk)
        delivery.refresh_from_db()
        assert delivery.status == "queued" and "timed out" in delivery.detail.lower()
        assert webhooks._claim(delivery.pk) is not None
        assert webhooks._claim(delivery.pk) is None  # never sent twice at once
        WebhookDelivery.objects.filter(pk=delivery.pk).update(status="queued")
        server.answer = lambda _got: (500, b"", 0)
        for _ in range(4):
            webhooks.webhook_deliver(delivery.pk)
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == ("failed", 6)
        server.answer = lambda _got: (200, b"ok", 0)
        with factories.committed():
            again = webhooks.webhook_replay(actor=users.manager, delivery=delivery)
        again.refresh_from_db()
        assert again.status == "delivered" and again.replay_of == delivery
        assert again.payload == delivery.payload
        assert server.requests[-1].headers["x-aftersales-delivery"] == str(again.pk)


def test_no_subscriber_no_delivery_and_unknown_events_are_refused(users, company_a):
    from django.core.exceptions import ValidationError

    with factories.committed():
        factories.make_request(company_a.customer, actor=users.agent)
    assert not WebhookDelivery.objects.exists()
    with pytest.raises(ValidationError):
        WebhookSubscription(
            name="x", url="https://erp.example.com/hook", events=["nope"]
        ).full_clean()
