"""Message templates (issue 18 part 3): the administrator's words replace the built-in
text per event and channel; an unknown variable is refused when saved; the admin shows
a preview with sample values and the SMS length."""

import pytest
from tests import factories

from aftersales.common.messaging import messages_about
from aftersales.complaints import services
from aftersales.delivery.models import MessageText
from aftersales.delivery.texts import sms_parts

pytestmark = pytest.mark.django_db


def _register(users):
    return services.complaint_register(
        actor=users.agent,
        complainant_name="王女士",
        complainant_phone="13912345678",
        complainant_email="wang@example.com",
        category="staff_attitude",
        channel="phone",
        demand="道歉",
        description="技术员迟到",
    )


def test_the_administrators_words_replace_the_built_in_text_for_their_channel(users):
    before = _register(users)
    built_in = messages_about(before).get(channel="sms").body
    MessageText.objects.create(
        event="complaint.received",
        channel="sms",
        body="【华信售后】{name}您好，投诉{number}已受理，{due}前联系您。",
    )
    after = _register(users)
    sms = messages_about(after).get(channel="sms")
    mail = messages_about(after).get(channel="email")
    assert sms.body.startswith("【华信售后】王女士您好，投诉" + after.number)
    assert sms.kind == "complaint.received" and "前联系您" in sms.body
    # the e-mail keeps the built-in words: the edited text is the SMS channel's only
    assert (
        mail.body != sms.body and mail.body.startswith(built_in[:8]) and after.number in mail.body
    )


def test_an_unknown_variable_is_refused_and_the_admin_previews_the_text(client, users):
    admin = factories.make_user("root", is_superuser=True)
    client.force_login(admin)
    refused = client.post(
        "/admin/delivery/messagetext/add/",
        {"event": "complaint.progress", "channel": "sms", "body": "{name}：{phone}"},
    )
    assert refused.status_code == 200 and "{phone}" in refused.content.decode()
    assert not MessageText.objects.exists()
    client.post(
        "/admin/delivery/messagetext/add/",
        {"event": "complaint.progress", "channel": "", "body": "{name}您好，{what}" + "。" * 80},
    )
    made = MessageText.objects.get()
    page = client.get(f"/admin/delivery/messagetext/{made.pk}/change/").content.decode()
    assert "王女士您好，调查已开始" in page and "{name}、{number}、{what}" in page
    assert "作为短信：2 条" in page or "as SMS: 2" in page
    assert sms_parts("x" * 70) == 1 and sms_parts("x" * 71) == 2 and sms_parts("x" * 135) == 3
