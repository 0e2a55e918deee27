"""Mail to the service mailbox (R-SR-1, channel 邮件; R-EX-2): a known contact's mail
becomes a request and is acknowledged in its thread, a reply joins its request, an
unknown sender waits for an agent, machines are never answered, and the same mail
twice is kept once."""

from __future__ import annotations

import pytest
from tests import factories

from aftersales.common import attachments
from aftersales.common.messaging import mail_id
from aftersales.common.models import OutboundMessage
from aftersales.customers.services import contact_create
from aftersales.inbox.models import InboundMail
from aftersales.inbox.services import mail_receive
from aftersales.inbox.tests.mails import PNG, mail
from aftersales.service.models import ServiceRequest

pytestmark = pytest.mark.django_db
Outcome = InboundMail.Outcome


@pytest.fixture
def wang(company_a):
    return contact_create(
        actor=None,
        customer=company_a.customer,
        name="王工",
        phone="13912345678",
        email="Wang@Jia.example.com",
    )


def test_a_contacts_mail_becomes_a_request_with_its_files_and_is_acknowledged(
    wang, company_a, mailoutbox
):
    raw = mail(
        text="A-0001 这台录像机无法开机。",
        files=[("现场.png", PNG, "image/png"), ("日志.zip", b"PK\x03\x04zz", "application/zip")],
    )
    with factories.committed():
        kept = mail_receive(raw=raw, source="pipe")
    assert kept.outcome == Outcome.REQUEST and kept.contact == wang
    request = kept.service_request
    assert request.channel == "email" and request.customer == company_a.customer
    assert request.caller_name == "王工" and request.caller_phone == "13912345678"
    assert request.equipment == company_a.equipment  # the serial the mail names
    assert request.received_at == kept.received_at
    assert request.obligations.filter(rule="SR.REPLY").exists()
    files = list(attachments.attachments_of(request))
    assert [f.name for f in files] == ["现场.png"]
    assert any("日志.zip" in s for s in kept.skipped)  # said, not silently dropped
    ack = OutboundMessage.objects.get(kind="request.received")
    assert ack.channel == "email" and ack.to == "wang@jia.example.com"
    assert ack.subject.startswith(f"[{request.number}]")
    sent = mailoutbox[-1]
    assert sent.to == ["wang@jia.example.com"] and request.number in sent.subject
    assert sent.extra_headers["Auto-Submitted"] == "auto-generated"
    assert sent.extra_headers["Message-ID"] == mail_id(ack)


def test_a_reply_joins_its_request_and_never_makes_another(wang, company_a, mailoutbox):
    with factories.committed():
        first = mail_receive(raw=mail())
    request = first.service_request
    ack = OutboundMessage.objects.get(kind="request.received")
    reply = mail(
        subject=f"Re: [{request.number}] 已收到您的服务请求",
        text=(
            "补充：指示灯一直闪红灯。\n\n在 2026-12-07 10:00，售后服务 写道：\n> 您的服务请求已受理"
        ),
        headers={"In-Reply-To": mail_id(ack), "References": mail_id(ack)},
    )
    with factories.committed():
        joined = mail_receive(raw=reply)
    assert joined.outcome == Outcome.ADDED and joined.service_request == request
    call = request.calls.get()
    assert call.channel == "email" and "闪红灯" in call.description
    assert "写道" not in call.description  # the quoted mail is left out
    # A reply to the contact's own earlier mail, and one naming the number only.
    again = mail_receive(raw=mail(headers={"In-Reply-To": first.message_id}))
    by_number = mail_receive(raw=mail(subject=f"关于 {request.number.lower()} 的进展"))
    assert again.service_request == by_number.service_request == request
    assert ServiceRequest.objects.count() == 1
    assert OutboundMessage.objects.filter(kind="request.received").count() == 1


def test_a_number_from_a_stranger_or_a_forged_reference_does_not_join(wang, company_a):
    request = mail_receive(raw=mail()).service_request
    stranger = mail_receive(
        raw=mail("x@other.example.com", subject=f"[{request.number}] 我也要报修")
    )
    assert stranger.outcome == Outcome.TRIAGE and stranger.service_request is None
    forged = mail_receive(
        raw=mail("x@other.example.com", headers={"In-Reply-To": "<m1.0000000000000000@x>"})
    )
    assert forged.outcome == Outcome.TRIAGE


def test_the_same_mail_twice_is_kept_once(wang):
    raw = mail()
    assert mail_receive(raw=raw).pk == mail_receive(raw=raw).pk
    no_id = mail(message_id="").replace(b"Message-ID: \n", b"")
    assert mail_receive(raw=no_id).pk == mail_receive(raw=no_id).pk
    assert InboundMail.objects.count() == 2 and ServiceRequest.objects.count() == 2


@pytest.mark.parametrize(
    "raw",
    [
        mail(headers={"Auto-Submitted": "auto-replied"}),
        mail(subject="自动回复: 录像机无法开机"),
        mail(subject="Out of Office: back Monday"),
        mail(headers={"X-Autoreply": "yes"}),
        mail(headers={"Precedence": "bulk"}),
        mail(headers={"List-Id": "<news.jia.example.com>"}),
        mail("MAILER-DAEMON@jia.example.com", subject="Undelivered Mail Returned"),
        mail("aftersales@localhost", subject="我们自己的信"),
    ],
    ids=["auto-submitted", "zh-subject", "ooo", "x-autoreply", "bulk", "list", "bounce", "own"],
)
def test_machines_are_ignored_and_never_answered(wang, raw):
    with factories.committed():
        kept = mail_receive(raw=raw)
    assert kept.outcome == Outcome.IGNORED and kept.why_shown
    assert not ServiceRequest.objects.exists() and not OutboundMessage.objects.exists()


def test_our_own_mail_coming_back_is_a_loop(wang):
    with factories.committed():
        request = mail_receive(raw=mail()).service_request
    ack = OutboundMessage.objects.get(kind="request.received")
    echoed = mail_receive(raw=mail(message_id=mail_id(ack), subject="whatever"))
    assert echoed.outcome == Outcome.IGNORED
    assert not request.calls.exists()


def test_a_sender_writing_in_a_loop_is_stopped(wang, settings):
    settings.INBOX_LOOP_LIMIT = 3
    kept = [mail_receive(raw=mail(text=f"第 {n} 封")) for n in range(6)]
    assert [k.outcome for k in kept[-2:]] == [Outcome.IGNORED, Outcome.IGNORED]
    assert "一小时" in kept[-1].why_shown


def test_unknown_and_ambiguous_senders_wait_for_an_agent(wang, company_b):
    unknown = mail_receive(raw=mail("li@unknown.example.com", files=[("a.png", PNG, "image/png")]))
    assert unknown.outcome == Outcome.TRIAGE and "不是任何客户的联系人" in unknown.why_shown
    assert [f.name for f in attachments.attachments_of(unknown)] == ["a.png"]
    contact_create(actor=None, customer=company_b.customer, name="王工", email=wang.email)
    shared = mail_receive(raw=mail())
    assert shared.outcome == Outcome.TRIAGE and "多个客户" in shared.why_shown
    assert not ServiceRequest.objects.exists()


def test_a_contact_without_a_phone_waits_for_an_agent(company_a):
    contact_create(
        actor=None, customer=company_a.customer, name="赵工", email="zhao@jia.example.com"
    )
    kept = mail_receive(raw=mail("zhao@jia.example.com"))
    assert kept.outcome == Outcome.TRIAGE and kept.contact is not None
    assert "电话" in kept.why_shown


def test_html_only_and_odd_mail_is_read(wang):
    html = mail(text="", html="<p>设备<b>A-0001</b>报警</p><script>x()</script>")
    kept = mail_receive(raw=html)
    assert "设备" in kept.text and "A-0001" in kept.text and "x()" not in kept.text
    garbage = mail_receive(raw=b"\x00\xff not a mail at all")
    assert garbage.outcome in (Outcome.IGNORED, Outcome.TRIAGE)
    nul = mail_receive(raw=mail(subject="坏\x00主题", text="正文\x00里有空字符"))
    assert "\x00" not in nul.subject + nul.text and "空字符" in nul.text


def test_a_huge_mail_keeps_its_words_not_its_files(wang, settings):
    settings.INBOX_MAX_BYTES = 2000
    kept = mail_receive(raw=mail(files=[("big.png", PNG + b"0" * 5000, "image/png")]))
    assert kept.size > 2000 and any("MB" in s for s in kept.skipped)
    assert not attachments.attachments_of(kept.service_request).exists()


def test_a_reply_to_a_closed_request_opens_a_new_one(wang, users):
    first = mail_receive(raw=mail()).service_request
    factories.close_request(first, users.agent)
    later = mail_receive(raw=mail(headers={"In-Reply-To": InboundMail.objects.get().message_id}))
    assert later.outcome == Outcome.REQUEST and later.service_request != first
    assert first.number in later.service_request.description


def test_piped_in_by_the_mail_server(wang, tmp_path):
    import subprocess
    import sys

    from django.core.management import call_command

    path = tmp_path / "m.eml"
    path.write_bytes(mail())
    with open(path, "rb") as handle:
        old = sys.stdin
        sys.stdin = type("In", (), {"buffer": handle})()
        try:
            call_command("receive_mail")
        finally:
            sys.stdin = old
    assert InboundMail.objects.get().outcome == Outcome.REQUEST
    assert subprocess  # the command is what a mail server's pipe alias runs
