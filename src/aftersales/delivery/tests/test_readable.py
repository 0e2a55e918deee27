"""The page of undelivered messages says why in words, never "HTTP 500" or a setting's
name alone; a message to a contact without a number fails at once and says so."""

from __future__ import annotations

import pytest
from django.utils import translation
from tests import factories

from aftersales.common.messaging import message_send
from aftersales.delivery.readable import reason

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("detail", "words"),
    [
        ("no address", "没有电话号码或地址"),
        ("no SMS channel configured", "未配置短信渠道"),
        ("阿里云短信: HTTP 500", "HTTP 500"),
        ("阿里云短信: HTTP 502: not JSON", "服务商返回错误"),
        ("企业邮箱: recipient refused: {'x@y': (550, b'no such user')}", "邮件服务器拒收"),
        ("阿里云短信: TimeoutError: timed out", "未及时答复"),
        ("钉钉: ConnectionRefusedError: [Errno 111]", "无法连接"),
        ("阿里云短信: isv.MOBILE_NUMBER_ILLEGAL: 非法手机号", "非法手机号"),
        ("腾讯云短信: no SMS template for request.arrival", "技术员到达时间"),
        ("短信: the environment variable SMS_SECRET is not set", "SMS_SECRET"),
        ("阿里云短信: no SMS template for default", "其他"),
    ],
)
def test_each_failure_reads_in_words(detail, words):
    with translation.override("zh-hans"):
        read = reason(detail)
    assert words in read
    assert "refused:" not in read and "Error:" not in read
    assert "isv." not in read and "request.arrival" not in read  # no codes on the page


def test_a_message_without_a_number_is_reported_not_tried(users):
    with factories.committed():
        sent = message_send(actor=None, about=None, to="", body="您的报修已受理")
    sent.refresh_from_db()
    assert sent.status == "failed" and sent.attempts == 1
    assert "没有电话号码" in sent.reason
