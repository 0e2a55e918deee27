"""Each channel speaks its provider's documented format to a real local server, which
checks the signature the provider would check; failures are read as "try again" or
"final" as the provider means them (issue 18 part 2)."""

import base64
import hashlib
import hmac
import json
import urllib.parse
from email.header import decode_header, make_header

import pytest

from aftersales.delivery import providers
from aftersales.delivery.models import Channel
from aftersales.delivery.providers import Outgoing
from aftersales.delivery.tests.receivers import http_receiver, smtp_receiver

pytestmark = pytest.mark.django_db
SECRET = "s3cret-for-tests"


@pytest.fixture
def secret_env(monkeypatch):
    monkeypatch.setenv("TEST_CHANNEL_SECRET", SECRET)
    return "TEST_CHANNEL_SECRET"


def channel(kind, url="", **fields):
    return Channel.objects.create(name=kind, kind=kind, endpoint=url, timeout=2, **fields)


ARRIVAL = Outgoing(
    to="13800138000",
    text="张工将于 12-08 10:00 左右上门",
    kind="arrival",
    params={"time": "12-08 10:00"},
)


def test_alibaba_cloud_sms_is_signed_as_alibaba_checks_it(secret_env):
    with http_receiver() as server:

        def answer(got):
            query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(got.path).query))
            signature = query.pop("Signature")
            ok = signature == providers.aliyun_signature(query, SECRET)
            body = {"Code": "OK", "BizId": "9001"} if ok else {"Code": "SignatureDoesNotMatch"}
            return 200, json.dumps(body).encode(), 0

        server.answer = answer
        sms = channel(
            Channel.Kind.ALIYUN_SMS,
            server.url,
            key_id="LTAI-test",
            secret_env=secret_env,
            sign_name="华信售后",
            templates={"arrival": "SMS_123"},
        )
        sent = providers.send(sms, ARRIVAL)
        assert (sent.ok, sent.reference) == (True, "9001"), sent
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(server.requests[0].path).query))
        assert query["PhoneNumbers"] == "13800138000" and query["TemplateCode"] == "SMS_123"
        assert json.loads(query["TemplateParam"]) == {"time": "12-08 10:00"}
        assert query["SignName"] == "华信售后" and query["Action"] == "SendSms"
        # a refused template is final; the provider's rate limit is tried again
        server.answer = lambda _g: (200, b'{"Code": "isv.SMS_TEMPLATE_ILLEGAL"}', 0)
        refused = providers.send(sms, ARRIVAL)
        assert (refused.ok, refused.retry) == (False, False)
        server.answer = lambda _g: (200, b'{"Code": "isv.BUSINESS_LIMIT_CONTROL"}', 0)
        assert providers.send(sms, ARRIVAL).retry is True


def test_tencent_cloud_sms_is_signed_with_tc3(secret_env):
    with http_receiver() as server:

        def answer(got):
            host = got.headers["host"]
            expected = providers.tencent_authorization(
                secret_id="AKID-test",
                secret_key=SECRET,
                host=host,
                payload=got.body.decode(),
                timestamp=int(got.headers["x-tc-timestamp"]),
            )
            if got.headers["authorization"] != expected:
                return 200, b'{"Response": {"Error": {"Code": "AuthFailure.SignatureFailure"}}}', 0
            body = {"Response": {"SendStatusSet": [{"Code": "Ok", "SerialNo": "77"}]}}
            return 200, json.dumps(body).encode(), 0

        server.answer = answer
        sms = channel(
            Channel.Kind.TENCENT_SMS,
            server.url,
            key_id="AKID-test",
            secret_env=secret_env,
            sign_name="华信售后",
            app_id="1400000001",
            templates={"default": "1234"},
        )
        sent = providers.send(sms, ARRIVAL)
        assert (sent.ok, sent.reference) == (True, "77"), sent
        body = json.loads(server.requests[0].body)
        assert body["PhoneNumberSet"] == ["+8613800138000"] and body["TemplateId"] == "1234"
        assert server.requests[0].headers["x-tc-action"] == "SendSms"
        server.answer = lambda _g: (
            200,
            b'{"Response": {"Error": {"Code": "LimitExceeded.PhoneNumberDailyLimit"}}}',
            0,
        )
        assert providers.send(sms, ARRIVAL).retry is True


def test_a_dingtalk_robot_gets_a_signed_text(secret_env):
    with http_receiver() as server:

        def answer(got):
            query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(got.path).query))
            digest = hmac.new(
                SECRET.encode(), f"{query['timestamp']}\n{SECRET}".encode(), hashlib.sha256
            ).digest()
            if query.get("sign") != base64.b64encode(digest).decode():
                return 200, b'{"errcode": 310000, "errmsg": "sign not match"}', 0
            return 200, b'{"errcode": 0, "errmsg": "ok"}', 0

        server.answer = answer
        robot = channel(
            Channel.Kind.DINGTALK, f"{server.url}robot/send?access_token=abc", secret_env=secret_env
        )
        sent = providers.send(robot, Outgoing(to="", subject="P1 超时", text="SR-2026-0001 已超时"))
        assert sent.ok, sent
        body = json.loads(server.requests[0].body)
        assert body == {"msgtype": "text", "text": {"content": "P1 超时\nSR-2026-0001 已超时"}}
        assert "access_token=abc" in server.requests[0].path


def test_a_wecom_robot_and_failures_that_are_tried_again():
    with http_receiver() as server:
        robot = channel(Channel.Kind.WECOM, f"{server.url}cgi-bin/webhook/send?key=k1")
        server.answer = lambda _g: (200, b'{"errcode": 0, "errmsg": "ok"}', 0)
        assert providers.send(robot, Outgoing(to="", text="告警")).ok
        server.answer = lambda _g: (500, b"oops", 0)
        assert providers.send(robot, Outgoing(to="", text="告警")).retry is True
        server.answer = lambda _g: (
            200,
            b'{"errcode": 45009, "errmsg": "api freq out of limit"}',
            0,
        )
        assert providers.send(robot, Outgoing(to="", text="告警")).retry is True
        server.answer = lambda _g: (200, b'{"errcode": 0}', 3)  # slower than the 2 s timeout
        slow = providers.send(robot, Outgoing(to="", text="告警"))
        assert (slow.ok, slow.retry) == (False, True) and "timed out" in slow.detail.lower()


def test_a_missing_secret_or_template_is_final_and_says_which(monkeypatch):
    monkeypatch.delenv("NOT_SET_ANYWHERE", raising=False)
    sms = channel(Channel.Kind.ALIYUN_SMS, "http://127.0.0.1:9/", secret_env="NOT_SET_ANYWHERE")
    answer = providers.send(sms, ARRIVAL)
    assert (answer.ok, answer.retry) == (False, False) and "NOT_SET_ANYWHERE" in answer.detail
    monkeypatch.setenv("NOT_SET_ANYWHERE", "x")
    assert "template" in providers.send(sms, ARRIVAL).detail


def test_a_refused_connection_is_tried_again(secret_env):
    robot = channel(Channel.Kind.WECOM, "http://127.0.0.1:9/cgi-bin/webhook/send?key=k")
    answer = providers.send(robot, Outgoing(to="", text="告警"))
    assert (answer.ok, answer.retry) == (False, True)


def test_smtp_delivers_to_a_real_server():
    with smtp_receiver() as (port, received):
        mail = channel(
            Channel.Kind.SMTP, host="127.0.0.1", port=port, from_address="service@example.com"
        )
        answer = providers.send(
            mail, Outgoing(to="wang@example.com", subject="服务回访", text="请评价本次服务")
        )
        assert answer.ok, answer
        assert str(make_header(decode_header(received[0]["Subject"]))) == "服务回访"
        assert received[0]["To"] == "wang@example.com"
    down = providers.send(mail, Outgoing(to="wang@example.com", text="x"))  # the server is gone
    assert (down.ok, down.retry) == (False, True)


def test_a_channel_says_what_its_kind_needs_before_it_is_saved():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        Channel(name="短信", kind=Channel.Kind.TENCENT_SMS, secret_env="lower-case").full_clean()
    assert set(refused.value.message_dict) >= {"key_id", "sign_name", "app_id", "secret_env"}
    Channel(
        name="群", kind=Channel.Kind.WECOM, endpoint="https://qyapi.weixin.qq.com/x"
    ).full_clean()


def test_the_administrator_configures_a_channel_and_sends_a_test(client, users, monkeypatch):
    from tests import factories

    from aftersales.common.models import OutboundMessage

    admin = factories.make_user("root", is_superuser=True)
    client.force_login(admin)
    with http_receiver() as server:
        server.answer = lambda _g: (200, b'{"errcode": 0, "errmsg": "ok"}', 0)
        answer = client.post(
            "/admin/delivery/channel/add/",
            {
                "name": "售后群",
                "kind": "dingtalk",
                "enabled": "on",
                "alerts": "on",
                "timeout": "5",
                "endpoint": f"{server.url}robot/send?access_token=t",
                "templates": "{}",
            },
        )
        assert answer.status_code == 302, answer.content.decode()[:2000]
        made = Channel.objects.get()
        with factories.committed():
            client.post(
                "/admin/delivery/channel/",
                {"action": "send_test", "_selected_action": [made.pk]},
            )
        assert OutboundMessage.objects.get().status == "sent"
        assert "测试消息" in json.loads(server.requests[0].body)["text"]["content"]
