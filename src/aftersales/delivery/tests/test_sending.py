"""One sending path (issue 18 part 1): a P1 breach reaches the team's DingTalk robot
through a real local receiver; a channel failing for now is tried again later, then
reported on the undelivered page and sent again from there; a message is claimed
before it is sent, so it is never sent twice; an SMS goes through the configured
provider, or to the log when none is."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from tests import factories

from aftersales.common.messaging import _claim, message_deliver, message_send
from aftersales.common.models import OutboundMessage
from aftersales.delivery.models import Channel
from aftersales.delivery.tests.receivers import http_receiver
from aftersales.obligations.sweep import obligations_sweep

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
MONDAY = dt.datetime(2026, 11, 16, 10, 0, tzinfo=SH)
OK = (200, b'{"errcode": 0, "errmsg": "ok"}', 0)


@pytest.fixture
def robot_secret(monkeypatch):
    monkeypatch.setenv("DINGTALK_TEST_SECRET", "SEC-test")
    return "DINGTALK_TEST_SECRET"


def test_a_p1_breach_reaches_the_teams_dingtalk_robot_once(users, company_a, robot_secret):
    with http_receiver() as server:
        server.answer = lambda _got: OK
        Channel.objects.create(
            name="售后服务群",
            kind=Channel.Kind.DINGTALK,
            endpoint=f"{server.url}robot/send?access_token=t1",
            secret_env=robot_secret,
        )
        with time_machine.travel(MONDAY, tick=False):
            request = factories.make_request(company_a.customer, actor=users.agent, severity="P1")
        with factories.committed():
            obligations_sweep(now=MONDAY + dt.timedelta(hours=3))
        said = [json.loads(r.body)["text"]["content"] for r in server.requests]
        assert said and all(request.number in text for text in said)
        assert len(said) == len(set(said))  # each alert once, however many people were told
        assert all("sign=" in r.path and "timestamp=" in r.path for r in server.requests)
        sent = OutboundMessage.objects.filter(channel=OutboundMessage.Channel.ROBOT)
        assert {m.status for m in sent} == {"sent"} and sent.count() == len(said)


def test_a_failing_channel_is_tried_later_then_reported_and_sent_again(page, users):
    with http_receiver() as server:
        server.answer = lambda _got: (500, b"down", 0)
        Channel.objects.create(
            name="企业微信群", kind=Channel.Kind.WECOM, endpoint=f"{server.url}send?key=k"
        )
        with factories.committed():
            message_send(actor=None, about=None, to="企业微信群", body="测试告警", channel="robot")
        message = OutboundMessage.objects.get()
        assert (message.status, message.attempts) == ("queued", 1)
        assert message.next_try_at is not None and "HTTP 500" in message.detail
        for _ in range(4):
            with pytest.raises(Exception, match="500"):
                message_deliver(message.pk, message.body, last_try=False)
        message_deliver(message.pk, message.body, last_try=True)
        message.refresh_from_db()
        assert (message.status, message.attempts) == ("failed", 6)
        assert len(server.requests) == 6
        listed = page(users.manager).get("/messages/undelivered/").content.decode()
        assert f'data-message="{message.pk}"' in listed and "HTTP 500" in listed
        assert "→ 企业微信群" in page(users.manager).get("/").content.decode()
        server.answer = lambda _got: OK
        with factories.committed():
            page(users.manager).post(f"/messages/{message.pk}/send-again/")
        message.refresh_from_db()
        assert (message.status, message.attempts) == ("sent", 1)
        assert len(server.requests) == 7


def test_a_message_is_claimed_once(users):
    message = message_send(actor=None, about=None, to="13800138000", body="测试")
    assert _claim(message.pk) is not None
    assert _claim(message.pk) is None  # a second worker finds it taken
    message.refresh_from_db()
    assert message.status == "sending"


def test_an_sms_goes_through_the_configured_provider_or_to_the_log(monkeypatch, users):
    with factories.committed():
        logged = message_send(actor=None, about=None, to="13800138000", body="您的报修已受理")
    logged.refresh_from_db()
    assert logged.status == "logged" and "no SMS channel" in logged.detail
    monkeypatch.setenv("ALIYUN_TEST_SECRET", "x")
    with http_receiver() as server:
        server.answer = lambda _got: (200, b'{"Code": "OK", "BizId": "B-1"}', 0)
        Channel.objects.create(
            name="阿里云短信",
            kind=Channel.Kind.ALIYUN_SMS,
            endpoint=server.url,
            key_id="LTAI",
            secret_env="ALIYUN_TEST_SECRET",
            sign_name="华信售后",
            templates={"default": "SMS_1"},
        )
        with factories.committed():
            sent = message_send(actor=None, about=None, to="13800138000", body="您的报修已受理")
        sent.refresh_from_db()
        assert (sent.status, sent.reference) == ("sent", "B-1")
        assert "PhoneNumbers=13800138000" in server.requests[0].path


def test_only_the_service_manager_sees_and_resends_undelivered_messages(page, users, company_a):
    message = message_send(actor=None, about=None, to="x", body="测试", channel="robot")
    for who in (users.agent, users.tech, users.gm, company_a.user):
        assert page(who).get("/messages/undelivered/").status_code == 403
        assert page(who).post(f"/messages/{message.pk}/send-again/").status_code == 403
    assert page(users.manager).get("/messages/undelivered/").status_code == 200


def test_a_message_whose_worker_was_lost_is_sent_later_not_lost(users, settings):
    from aftersales.common.messaging import messages_recover

    with time_machine.travel(MONDAY, tick=False):
        lost = message_send(actor=None, about=None, to="13800138000", body="到场提醒")
        dead = message_send(actor=None, about=None, to="13800138001", body="回访提醒")
        _claim(dead.pk)  # a worker took it and died
    assert messages_recover(now=MONDAY + dt.timedelta(minutes=5)) == 0  # not stale yet
    dead.refresh_from_db()
    assert dead.status == "sending"
    assert messages_recover(now=MONDAY + dt.timedelta(minutes=20)) == 2
    lost.refresh_from_db()
    dead.refresh_from_db()
    assert {lost.status, dead.status} == {"logged"}  # both delivered (to the demo's log)


def test_quiet_hours_hold_back_what_is_not_urgent_and_urgent_goes_by_sms_too(page, users):
    from aftersales.obligations.notices import notify

    page(users.manager).post(
        "/accounts/me/",
        {
            "step": "details",
            "email": "manager@example.com",
            "phone": "13800138009",
            "sms_alerts": "on",
            "quiet_from": "22:00",
            "quiet_until": "07:30",
        },
    )
    users.manager.refresh_from_db()
    assert users.manager.sms_alerts and str(users.manager.quiet_until) == "07:30:00"
    night = dt.datetime(2026, 11, 16, 23, 0, tzinfo=SH)
    with time_machine.travel(night, tick=False):
        notify(users=[users.manager], message="区域预警：台风")
        notify(users=[users.manager], message="重大投诉 TS-1", urgent=True)
    waiting = OutboundMessage.objects.get(body__startswith="区域预警")
    assert waiting.next_try_at == dt.datetime(2026, 11, 17, 7, 30, tzinfo=SH)
    urgent = OutboundMessage.objects.filter(body__startswith="重大投诉")
    assert {m.channel for m in urgent} == {"email", "sms"}
    assert all(m.next_try_at is None for m in urgent)
    refused = page(users.manager).post(
        "/accounts/me/",
        {"step": "details", "email": "manager@example.com", "phone": "", "sms_alerts": "on"},
    )
    assert refused.status_code == 200 and "手机号码" in refused.content.decode()
