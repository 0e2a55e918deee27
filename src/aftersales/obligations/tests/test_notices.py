"""Notifications people read (issue 15 item 2): one line per record, read once opened,
and a morning digest for who chose it instead of one e-mail per message.

Rules: R-SR-3 (the escalation ladder tells people), R-CP-4 (complaint escalations).
"""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from tests import factories

from aftersales.obligations.models import Notification
from aftersales.obligations.notices import digests_send, notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def late_complaint(users, company_a):
    """Three messages about one complaint and one about a request, to the manager."""
    complaint = factories.make_complaint(users, company_a.customer)
    request = factories.make_request(company_a.customer)
    for text in ("联系投诉人已超时 1 小时", "转交已超时 2 小时", "联系投诉人已超时 3 小时"):
        notify(
            users=[users.manager],
            message=f"{complaint.number} {text}",
            url=complaint.get_absolute_url(),
        )
    notify(
        users=[users.manager],
        message=f"{request.number} 首次答复已超时",
        url=request.get_absolute_url(),
    )
    return complaint, request


def test_messages_about_one_record_are_one_line_with_their_count(page, users, late_complaint):
    complaint, request = late_complaint
    client = page(users.manager)
    html = client.get("/notifications/").content.decode()
    assert f"{request.number} 首次答复已超时" in html
    assert html.count('data-unread="') == 2
    assert 'data-count="3"' in html and f"{complaint.number} 联系投诉人已超时 3 小时" in html
    assert f"{complaint.number} 转交已超时" not in html  # only the latest shows
    assert 'id="unread-count">2<' in client.get("/").content.decode()  # records, not rows


def test_opening_a_message_reads_the_records_others_and_opens_the_record(
    page, users, late_complaint
):
    complaint, request = late_complaint
    client = page(users.manager)
    latest = Notification.objects.filter(url=complaint.get_absolute_url()).order_by("-pk").first()
    answer = client.get(f"/notifications/{latest.pk}/open/")
    assert answer.status_code == 302 and answer["Location"] == complaint.get_absolute_url()
    assert not Notification.objects.filter(
        url=complaint.get_absolute_url(), read_at__isnull=True
    ).exists()
    assert Notification.objects.filter(
        url=request.get_absolute_url(), read_at__isnull=True
    ).exists()
    assert 'id="unread-count">1<' in client.get("/").content.decode()
    # Another person's message is not theirs to open.
    theirs = notify(users=[users.gm], message="x", url="/")[0]
    assert client.get(f"/notifications/{theirs.pk}/open/").status_code == 404


def test_who_chose_the_digest_gets_one_mail_a_morning_instead_of_each(
    users, company_a, django_capture_on_commit_callbacks
):
    users.manager.email, users.manager.daily_digest = "manager@example.com", True
    users.manager.save()
    users.gm.email = "gm@example.com"
    users.gm.save()
    complaint = factories.make_complaint(users, company_a.customer)
    with django_capture_on_commit_callbacks(execute=True):
        for n in (1, 2):
            notify(
                users=[users.manager, users.gm],
                message=f"{complaint.number} 已超时 {n} 小时",
                url=complaint.get_absolute_url(),
            )
    assert sorted(m.to[0] for m in mail.outbox) == ["gm@example.com", "gm@example.com"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send() == 1
    [digest] = mail.outbox
    assert digest.to == ["manager@example.com"] and "1" in digest.subject
    assert f"{complaint.number} 已超时 2 小时（共 2 条）" in digest.body
    assert complaint.get_absolute_url() in digest.body
    # What was read, or is older than a day, is not sent again.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(now=timezone.now() + dt.timedelta(days=2)) == 0


def test_staff_choose_the_digest_on_their_account_page(page, users, company_a):
    client = page(users.manager)
    assert 'name="daily_digest"' in client.get("/accounts/me/").content.decode()
    client.post(
        "/accounts/me/",
        {"step": "details", "email": "chen@example.com", "phone": "", "daily_digest": "on"},
    )
    users.manager.refresh_from_db()
    assert users.manager.daily_digest
    assert 'name="daily_digest"' not in page(company_a.user).get("/accounts/me/").content.decode()
