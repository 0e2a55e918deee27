"""The mailbox's pages: only agents and the service manager read them and place mail;
a customer or a technician is refused; each of the three ways out works once."""

from __future__ import annotations

import pytest
from tests import factories

from aftersales.common import attachments
from aftersales.customers.models import Contact
from aftersales.inbox.models import InboundMail
from aftersales.inbox.services import mail_receive
from aftersales.inbox.tests.mails import PNG, mail
from aftersales.service.models import ServiceRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(db):
    return mail_receive(
        raw=mail(
            "li@new.example.com",
            name="李工",
            text="录像机无法开机。联系电话 13962112345",
            files=[("现场.png", PNG, "image/png")],
        )
    )


def test_who_may_read_the_mailbox(page, users, company_a, waiting):
    for who in (users.tech, users.warehouse, company_a.user):
        assert page(who).get("/mail/").status_code == 403
        assert page(who).get(f"/mail/{waiting.pk}/").status_code == 403
    file = attachments.attachments_of(waiting).get()
    assert page(company_a.user).get(f"/attachments/{file.pk}/").status_code == 404
    listed = page(users.agent).get("/mail/").content.decode()
    assert f'data-mail="{waiting.pk}"' in listed and "待分拣" in listed
    shown = page(users.manager).get(f"/mail/{waiting.pk}/").content.decode()
    assert 'value="13962112345"' in shown  # the number written in the mail, ready
    assert "发件人不是任何客户的联系人" in shown and "现场.png" in shown
    assert page(users.agent).get(f"/attachments/{file.pk}/").status_code == 200
    assert "待分拣邮件" in page(users.agent).get("/").content.decode()


def test_viewers_without_the_right_to_place_are_refused(page, users, waiting):
    answer = page(users.gm).post(f"/mail/{waiting.pk}/", {"step": "discard", "why": "x"})
    assert answer.status_code == 403
    waiting.refresh_from_db()
    assert waiting.outcome == InboundMail.Outcome.TRIAGE


def test_an_agent_makes_a_waiting_mail_a_request_and_keeps_the_sender(
    page, users, company_a, waiting
):
    client = page(users.agent)
    data = {
        "step": "request",
        "customer": company_a.customer.pk,
        "caller_name": "李工",
        "caller_phone": "13700001111",
        "serial_number": "A-0001",
        "severity": "P2",
        "description": "录像机无法开机",
        "save_contact": "on",
    }
    bad = client.post(f"/mail/{waiting.pk}/", {**data, "severity": "", "caller_phone": "x"})
    assert bad.status_code == 400 and not ServiceRequest.objects.exists()
    with factories.committed():
        done = client.post(f"/mail/{waiting.pk}/", data, follow=True)
    request = ServiceRequest.objects.get()
    assert request.channel == "email" and request.severity == "P2"
    assert request.received_at == waiting.received_at and request.created_by == users.agent
    assert request.number in done.content.decode()
    assert [f.name for f in attachments.attachments_of(request)] == ["现场.png"]
    assert Contact.objects.get(email="li@new.example.com").customer == company_a.customer
    waiting.refresh_from_db()
    assert waiting.outcome == "request" and waiting.handled_by == users.agent
    again = client.post(f"/mail/{waiting.pk}/", {"step": "discard", "why": "重复"})
    assert again.status_code == 409 and "已处理过" in again.content.decode()
    assert ServiceRequest.objects.count() == 1
    # The next mail from that address becomes a request by itself.
    assert mail_receive(raw=mail("li@new.example.com")).outcome == "request"


def test_an_agent_adds_a_waiting_mail_to_a_request_or_discards_one(
    page, users, company_a, company_b, waiting
):
    client = page(users.agent)
    mine = factories.make_request(company_a.customer, actor=users.agent, description="x")
    missing = client.post(f"/mail/{waiting.pk}/", {"step": "add", "number": "BX-1999-000001"})
    assert missing.status_code == 400 and "没有这个编号" in missing.content.decode()
    client.post(f"/mail/{waiting.pk}/", {"step": "add", "number": mine.number.lower()})
    assert mine.calls.get().channel == "email"
    other = mail_receive(raw=mail("spam@junk.example.com", subject="优惠"))
    empty = client.post(f"/mail/{other.pk}/", {"step": "discard", "why": " "})
    assert empty.status_code == 400
    client.post(f"/mail/{other.pk}/", {"step": "discard", "why": "广告"})
    other.refresh_from_db()
    assert other.outcome == "discarded" and other.why_shown == "广告"
    listed = client.get("/mail/").content.decode()
    assert f'data-mail="{other.pk}"' not in listed
    assert f'data-mail="{other.pk}"' in client.get("/mail/?show=all").content.decode()
