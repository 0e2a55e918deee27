"""The service mailbox read over IMAP from a real server on loopback: every unseen mail
is kept and marked seen; a mail kept but not marked (the worker died between) is read
again without a second request; a wrong password or a server in trouble is kept on
the mailbox for the administrator, and nothing is lost."""

from __future__ import annotations

import pytest

from aftersales.customers.services import contact_create
from aftersales.inbox.imap import mailbox_poll
from aftersales.inbox.models import InboundMail, Mailbox
from aftersales.inbox.tasks import poll_mailboxes
from aftersales.inbox.tests.imap_server import imap_server
from aftersales.inbox.tests.mails import mail
from aftersales.service.models import ServiceRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def server(monkeypatch, company_a):
    contact_create(
        actor=None,
        customer=company_a.customer,
        name="王工",
        phone="13912345678",
        email="wang@jia.example.com",
    )
    monkeypatch.setenv("TEST_INBOX_PASSWORD", "secret")
    with imap_server() as running:
        yield running


def _box(server, **fields):
    values = {
        "name": "服务邮箱",
        "host": "127.0.0.1",
        "port": server.port,
        "security": Mailbox.Security.NONE,
        "username": server.user,
        "secret_env": "TEST_INBOX_PASSWORD",
        "timeout": 5,
        **fields,
    }
    return Mailbox.objects.create(**values)


def test_every_unseen_mail_is_kept_and_marked_seen(server):
    box = _box(server)
    server.deliver(mail(subject="第一封"))
    server.deliver(mail("stranger@else.example.com", subject="第二封"))
    assert poll_mailboxes.call_local() == 2
    assert all(m.seen for m in server.mails)
    assert InboundMail.objects.filter(source="服务邮箱").count() == 2
    assert ServiceRequest.objects.count() == 1  # the stranger's waits for an agent
    box.refresh_from_db()
    assert box.last_error == "" and box.last_polled_at is not None
    assert mailbox_poll(box) == 0  # nothing unseen: nothing read again


def test_a_mail_read_again_is_not_a_second_request(server):
    box = _box(server)
    stored = server.deliver(mail())
    mailbox_poll(box)
    stored.seen = False  # as if the worker died before marking it
    assert mailbox_poll(box) == 1
    assert InboundMail.objects.count() == 1 and ServiceRequest.objects.count() == 1


def test_a_wrong_password_and_a_server_in_trouble_are_reported(server, monkeypatch):
    box = _box(server)
    server.deliver(mail())
    monkeypatch.setenv("TEST_INBOX_PASSWORD", "wrong")
    assert mailbox_poll(box) == 0
    box.refresh_from_db()
    assert "AUTHENTICATIONFAILED" in box.last_error
    monkeypatch.setenv("TEST_INBOX_PASSWORD", "secret")
    server.broken = True
    assert mailbox_poll(box) == 0 and box.last_error
    monkeypatch.delenv("TEST_INBOX_PASSWORD")
    server.broken = False
    mailbox_poll(box)
    assert "TEST_INBOX_PASSWORD" in box.last_error
    assert not server.mails[0].seen and not InboundMail.objects.exists()  # still there
    monkeypatch.setenv("TEST_INBOX_PASSWORD", "secret")
    assert mailbox_poll(box) == 1 and box.last_error == ""


def test_a_server_that_is_down_is_reported(server):
    box = _box(server, port=1, name="停用的邮箱")
    assert mailbox_poll(box) == 0
    assert "ConnectionRefused" in box.last_error or "Errno" in box.last_error


def test_a_disabled_mailbox_is_not_read(server):
    _box(server, enabled=False)
    server.deliver(mail())
    assert poll_mailboxes.call_local() == 0 and not server.mails[0].seen
