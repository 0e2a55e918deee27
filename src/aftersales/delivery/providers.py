"""Sending one message through one configured channel, in each provider's documented
wire format, and reading its answer as sent, to be tried again, or refused.

- Alibaba Cloud SMS: the RPC API (``SendSms``, version 2017-05-25), its query signed
  with HMAC-SHA1 over the sorted, percent-encoded parameters (signature version 1.0).
- Tencent Cloud SMS: API 3.0 (``SendSms``, version 2021-01-11), a JSON body signed with
  TC3-HMAC-SHA256 (date, service and ``tc3_request`` keys derived in turn).
- DingTalk group robot: a JSON text message to the webhook; with a signing secret the
  address carries ``timestamp`` (ms) and ``sign`` = base64(HMAC-SHA256(secret,
  "timestamp\\nsecret")).
- WeCom group robot: a JSON text message to the webhook.
- SMTP: Django's SMTP backend with the channel's server, user and password.

A provider's refusal of the template or signature, or a missing secret, is final
(trying again cannot help); timeouts, connection errors, HTTP 5xx and the providers'
rate limits are tried again. Only the standard library speaks HTTP here.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from aftersales.delivery.models import Channel

ALIYUN_ENDPOINT = "https://dysmsapi.aliyuncs.com/"
TENCENT_ENDPOINT = "https://sms.tencentcloudapi.com/"
# Answers that mean "later" (rate limits); any other refusal is final.
ALIYUN_LATER = {"isv.BUSINESS_LIMIT_CONTROL", "Throttling", "Throttling.User", "ServiceUnavailable"}
TENCENT_LATER = {"LimitExceeded", "InternalError", "RequestLimitExceeded"}
ROBOT_LATER = {130101, 45009, -1}  # DingTalk "too fast", WeCom "frequency", system busy


@dataclass(frozen=True)
class Outgoing:
    to: str  # a phone number, an e-mail address, or "" for a group robot
    text: str
    subject: str = ""
    kind: str = ""  # which template (SMS): the message's kind
    params: dict[str, str] | None = None  # the template's variables (SMS)
    headers: dict[str, str] | None = None  # e-mail: Message-ID, Auto-Submitted


@dataclass(frozen=True)
class Answer:
    ok: bool
    retry: bool = False
    detail: str = ""
    reference: str = ""  # the provider's id of the message


class NotConfigured(Exception):
    """The channel lacks what it needs (a secret, a template): final, not retried."""


def send(channel: Channel, message: Outgoing) -> Answer:
    senders = {
        Channel.Kind.ALIYUN_SMS: _aliyun,
        Channel.Kind.TENCENT_SMS: _tencent,
        Channel.Kind.DINGTALK: _dingtalk,
        Channel.Kind.WECOM: _wecom,
        Channel.Kind.SMTP: _smtp,
        Channel.Kind.LOG: lambda _c, _m: Answer(ok=True, detail="logged, not sent"),
    }
    try:
        return senders[Channel.Kind(channel.kind)](channel, message)
    except NotConfigured as error:
        return Answer(ok=False, retry=False, detail=str(error))
    except (TimeoutError, ConnectionError, OSError) as error:
        return Answer(ok=False, retry=True, detail=f"{type(error).__name__}: {error}"[:300])


def _secret(channel: Channel) -> str:
    secret = channel.secret
    if not secret:
        raise NotConfigured(f"the environment variable {channel.secret_env or '(none)'} is not set")
    return secret


def _template(channel: Channel, message: Outgoing) -> str:
    code = (channel.templates or {}).get(message.kind) or (channel.templates or {}).get("default")
    if not code:
        raise NotConfigured(f"no SMS template for {message.kind or 'default'}")
    return str(code)


def _http(
    url: str, *, body: bytes | None, headers: dict[str, str], timeout: int
) -> tuple[int, Any]:
    """(HTTP status, the JSON answer or None); raises on timeouts and refused connections."""
    request = urllib.request.Request(
        url, data=body, headers=headers, method="POST" if body is not None else "GET"
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw = response.status, response.read(100_000)
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read(100_000)
    try:
        return status, json.loads(raw.decode("utf-8") or "null")
    except (UnicodeDecodeError, json.JSONDecodeError):
        return status, None


def _server_trouble(status: int, answer: Any) -> Answer | None:
    if status >= 500 or status == 429:
        return Answer(ok=False, retry=True, detail=f"HTTP {status}")
    if answer is None:
        return Answer(ok=False, retry=status >= 500, detail=f"HTTP {status}: not JSON")
    return None


# --- Alibaba Cloud ---------------------------------------------------------------


def _percent(text: str) -> str:
    return urllib.parse.quote(text, safe="~")


def aliyun_signature(params: dict[str, str], secret: str, method: str = "GET") -> str:
    """Signature version 1.0 of Alibaba Cloud's RPC APIs."""
    canonical = "&".join(f"{_percent(k)}={_percent(v)}" for k, v in sorted(params.items()))
    to_sign = f"{method}&{_percent('/')}&{_percent(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def _aliyun(channel: Channel, message: Outgoing) -> Answer:
    secret = _secret(channel)
    params = {
        "AccessKeyId": channel.key_id,
        "Action": "SendSms",
        "Format": "JSON",
        "PhoneNumbers": message.to,
        "RegionId": channel.region or "cn-hangzhou",
        "SignName": channel.sign_name,
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": secrets.token_hex(16),
        "SignatureVersion": "1.0",
        "TemplateCode": _template(channel, message),
        "TemplateParam": json.dumps(message.params or {}, ensure_ascii=False),
        "Timestamp": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "Version": "2017-05-25",
    }
    params["Signature"] = aliyun_signature(params, secret)
    url = f"{channel.endpoint or ALIYUN_ENDPOINT}?{urllib.parse.urlencode(params)}"
    status, answer = _http(url, body=None, headers={}, timeout=channel.timeout)
    if trouble := _server_trouble(status, answer):
        return trouble
    code = str(answer.get("Code", ""))
    if code == "OK":
        return Answer(ok=True, detail="OK", reference=str(answer.get("BizId", "")))
    return Answer(
        ok=False, retry=code in ALIYUN_LATER, detail=f"{code}: {answer.get('Message', '')}"[:300]
    )


# --- Tencent Cloud ---------------------------------------------------------------


def _hmac256(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def tencent_authorization(
    *, secret_id: str, secret_key: str, host: str, payload: str, timestamp: int
) -> str:
    """The Authorization header of Tencent Cloud API 3.0 (TC3-HMAC-SHA256) for SMS."""
    day = dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%d")
    canonical = (
        "POST\n/\n\n"
        f"content-type:application/json; charset=utf-8\nhost:{host}\n\n"
        "content-type;host\n" + hashlib.sha256(payload.encode()).hexdigest()
    )
    scope = f"{day}/sms/tc3_request"
    to_sign = (
        f"TC3-HMAC-SHA256\n{timestamp}\n{scope}\n" + hashlib.sha256(canonical.encode()).hexdigest()
    )
    key = _hmac256(_hmac256(_hmac256(f"TC3{secret_key}".encode(), day), "sms"), "tc3_request")
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    return (
        f"TC3-HMAC-SHA256 Credential={secret_id}/{scope}, "
        f"SignedHeaders=content-type;host, Signature={signature}"
    )


def _tencent(channel: Channel, message: Outgoing) -> Answer:
    secret = _secret(channel)
    phone = message.to if message.to.startswith("+") else f"+86{message.to}"
    payload = json.dumps(
        {
            "PhoneNumberSet": [phone],
            "SmsSdkAppId": channel.app_id,
            "SignName": channel.sign_name,
            "TemplateId": _template(channel, message),
            "TemplateParamSet": list((message.params or {}).values()),
        },
        ensure_ascii=False,
    )
    url = channel.endpoint or TENCENT_ENDPOINT
    host = urllib.parse.urlsplit(url).netloc
    timestamp = int(time.time())
    headers = {
        "Authorization": tencent_authorization(
            secret_id=channel.key_id,
            secret_key=secret,
            host=host,
            payload=payload,
            timestamp=timestamp,
        ),
        "Content-Type": "application/json; charset=utf-8",
        "Host": host,
        "X-TC-Action": "SendSms",
        "X-TC-Timestamp": str(timestamp),
        "X-TC-Version": "2021-01-11",
        "X-TC-Region": channel.region or "ap-guangzhou",
    }
    status, answer = _http(url, body=payload.encode(), headers=headers, timeout=channel.timeout)
    if trouble := _server_trouble(status, answer):
        return trouble
    response = answer.get("Response", {}) if isinstance(answer, dict) else {}
    if "Error" in response:
        code = str(response["Error"].get("Code", ""))
        later = code.split(".")[0] in TENCENT_LATER
        return Answer(
            ok=False, retry=later, detail=f"{code}: {response['Error'].get('Message', '')}"[:300]
        )
    sent = (response.get("SendStatusSet") or [{}])[0]
    if sent.get("Code") == "Ok":
        return Answer(ok=True, detail="Ok", reference=str(sent.get("SerialNo", "")))
    return Answer(ok=False, detail=f"{sent.get('Code')}: {sent.get('Message', '')}"[:300])


# --- group robots ----------------------------------------------------------------


def dingtalk_signed(url: str, secret: str, timestamp_ms: int) -> str:
    """The webhook address with DingTalk's ``timestamp`` and ``sign``."""
    digest = hmac.new(
        secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256
    ).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}timestamp={timestamp_ms}&sign={sign}"


def _robot(url: str, message: Outgoing, timeout: int) -> Answer:
    text = f"{message.subject}\n{message.text}" if message.subject else message.text
    body = json.dumps({"msgtype": "text", "text": {"content": text[:4000]}}, ensure_ascii=False)
    status, answer = _http(
        url,
        body=body.encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        timeout=timeout,
    )
    if trouble := _server_trouble(status, answer):
        return trouble
    code = answer.get("errcode", -1) if isinstance(answer, dict) else -1
    if code == 0:
        return Answer(ok=True, detail="ok")
    return Answer(
        ok=False, retry=code in ROBOT_LATER, detail=f"{code}: {answer.get('errmsg', '')}"[:300]
    )


def _dingtalk(channel: Channel, message: Outgoing) -> Answer:
    if not channel.endpoint:
        raise NotConfigured("no webhook address")
    url = channel.endpoint
    if channel.secret_env:  # the robot's "加签" security setting
        url = dingtalk_signed(url, _secret(channel), int(time.time() * 1000))
    return _robot(url, message, channel.timeout)


def _wecom(channel: Channel, message: Outgoing) -> Answer:
    if not channel.endpoint:
        raise NotConfigured("no webhook address")
    return _robot(channel.endpoint, message, channel.timeout)


# --- e-mail ------------------------------------------------------------------------


def _smtp(channel: Channel, message: Outgoing) -> Answer:
    import smtplib

    from django.core.mail import EmailMessage
    from django.core.mail.backends.smtp import EmailBackend

    if not channel.host or not channel.from_address:
        raise NotConfigured("no SMTP server or sender address")
    backend = EmailBackend(
        host=channel.host,
        port=channel.port or (465 if channel.security == "ssl" else 25),
        username=channel.key_id or None,
        password=channel.secret if channel.secret_env else None,
        use_tls=channel.security == "starttls",
        use_ssl=channel.security == "ssl",
        timeout=channel.timeout,
        fail_silently=False,
    )
    mail = EmailMessage(
        subject=message.subject or message.text[:40],
        body=message.text,
        from_email=channel.from_address,
        to=[message.to],
        connection=backend,
        headers=message.headers or {},
    )
    try:
        mail.send()
    except smtplib.SMTPRecipientsRefused as error:
        return Answer(ok=False, retry=False, detail=f"recipient refused: {error}"[:300])
    except smtplib.SMTPAuthenticationError as error:
        return Answer(ok=False, retry=False, detail=f"login refused: {error}"[:300])
    except smtplib.SMTPException as error:
        return Answer(ok=False, retry=True, detail=f"{type(error).__name__}: {error}"[:300])
    return Answer(ok=True, detail="accepted by the SMTP server")
