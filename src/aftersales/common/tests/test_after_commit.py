"""Messages and follow-up work leave only after the transaction that made them commits
(issue 12): a rolled-back action sends nothing, a failing gateway is retried and its
failure recorded, and each status moves only as its record's lifecycle allows."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from tests import factories

from aftersales.common.exceptions import ConflictError
from aftersales.common.messaging import TryLater, message_deliver, messages_about
from aftersales.common.models import OutboundMessage, Transition
from aftersales.complaints import decisions, services
from aftersales.feedback.models import Visit
from aftersales.service import work_orders

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 10, 12, 10, tzinfo=SH)
SENT: list[str] = []


class RecordingSender:
    """A gateway that keeps what it was given."""

    def send(self, message):
        SENT.append(message.body)
        return "sent", "ok"


class BrokenSender:
    def send(self, message):
        raise OSError("gateway unreachable")


@pytest.fixture(autouse=True)
def _recording(settings):
    SENT.clear()
    settings.MESSAGE_SENDER = "aftersales.common.tests.test_after_commit.RecordingSender"


def _register(users, **changes):
    return services.complaint_register(
        actor=users.agent,
        complainant_name="王女士",
        complainant_phone="13912345678",
        complainant_email="wang@example.com",
        category="staff_attitude",
        channel="phone",
        demand="道歉",
        description="技术员迟到",
        **changes,
    )


class Refused(Exception):
    pass


def test_a_rolled_back_registration_sends_no_message(users):
    with factories.committed(), pytest.raises(Refused), transaction.atomic():
        _register(users)
        raise Refused
    assert SENT == [] and mail.outbox == []
    assert not OutboundMessage.objects.exists()


def test_a_message_is_kept_waiting_and_sent_only_after_commit(users):
    with factories.committed():
        complaint = _register(users)
        assert SENT == []  # still inside the transaction
        assert set(messages_about(complaint).values_list("status", flat=True)) == {"queued"}
    assert len(SENT) == 2 and complaint.number in SENT[0]
    sent = messages_about(complaint).get(channel="sms")
    assert sent.status == "sent" and sent.attempts == 1 and sent.sent_at is not None


def test_a_failing_gateway_is_retried_and_its_last_failure_recorded(users, settings):
    complaint = _register(users)  # queued; nothing runs: the test transaction never commits
    message = messages_about(complaint).get(channel="sms")
    settings.MESSAGE_SENDER = "aftersales.common.tests.test_after_commit.BrokenSender"
    with pytest.raises(TryLater):
        message_deliver(message.pk, message.body, last_try=False)
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("queued", 1)
    assert "gateway unreachable" in message.detail and message.next_try_at is not None
    message_deliver(message.pk, message.body, last_try=True)
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 2)
    settings.MESSAGE_SENDER = "aftersales.common.tests.test_after_commit.RecordingSender"
    message_deliver(message.pk, message.body, last_try=True)  # a failed message is not resent
    assert SENT == []


def test_the_major_complaint_alert_is_e_mailed_after_commit(users):
    type(users.vp).objects.filter(pk=users.vp.pk).update(email="vp@example.com")
    complaint = _register(users)
    with factories.committed():
        decisions.complaint_mark_major(
            actor=users.manager, complaint=complaint, group=[users.quality]
        )
    # through the sending path, like every message: a row, sent after commit
    alert = OutboundMessage.objects.get(to="vp@example.com")
    assert (alert.channel, alert.status, alert.kind) == ("email", "sent", "alert")
    url = complaint.get_absolute_url()
    assert any(complaint.number in sent and url in sent for sent in SENT)


def test_a_rolled_back_close_plans_no_visit(users, company_a):
    with time_machine.travel(NOW, tick=False):
        request = factories.make_request(company_a.customer, actor=users.agent)
        with factories.committed(), pytest.raises(Refused), transaction.atomic():
            factories.close_request(request, users.agent)
            raise Refused
    assert not Visit.objects.exists()


def test_an_illegal_move_is_refused_and_logs_nothing(users, company_a):
    request = factories.make_request(company_a.customer, actor=users.agent)
    order = work_orders.work_order_create(
        actor=users.manager, service_request=request, technician=users.tech
    )
    work_orders.work_order_void(actor=users.manager, work_order=order, reason="填错客户")
    logged = Transition.objects.filter(object_id=order.pk, to_status="void")
    assert logged.get().actor == users.manager
    order.refresh_from_db()
    with pytest.raises(ConflictError) as refused:
        work_orders.ORDER_LIFE.move(order, "completed", actor=users.manager)
    assert "作废" in refused.value.message or "Void" in refused.value.message
    assert Transition.objects.filter(object_id=order.pk).count() == 1
