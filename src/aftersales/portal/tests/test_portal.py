"""The customer portal (issue 15 item 4): a customer contact reports, follows, answers
the quote, confirms, complains and answers the survey on pages of their own, and sees
nothing of another company's, nor staff names, notes or limits.

Rules: R-SR-1 (web intake), R-SR-5 (the customer confirms), R-SR-9 (quotes out of
warranty), R-CP-1 (complaints), R-FB-4 (surveys), R-CUS-5 (warranty shown).
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests import factories

from aftersales.common.models import Attachment
from aftersales.common.tests.test_attachments import png
from aftersales.complaints.models import Complaint
from aftersales.feedback import surveys
from aftersales.feedback.models import SurveyInvitation
from aftersales.feedback.tests.test_pages import publish
from aftersales.service import charges, service_requests
from aftersales.service.models import ServiceRequest

pytestmark = pytest.mark.django_db


def test_a_customer_lands_on_the_portal_and_staff_are_kept_out(page, users, company_a):
    answer = page(company_a.user).get("/")
    assert answer.status_code == 302 and answer["Location"] == "/portal/"
    html = page(company_a.user).get("/portal/").content.decode()
    assert 'id="report"' in html and 'id="bell"' not in html
    for url in ("/portal/", "/portal/report/", "/portal/equipment/"):
        assert page(users.agent).get(url).status_code == 403, url
        assert page(users.nobody).get(url).status_code == 403, url


def test_a_report_with_a_photo_is_a_web_request_of_their_company(page, users, company_a):
    client = page(company_a.user)
    form = client.get("/portal/report/").content.decode()
    assert "A-0001" in form and "B-0001" not in form
    answer = client.post(
        "/portal/report/",
        {
            "equipment": company_a.equipment.pk,
            "severity": "P2",
            "description": "屏幕不亮",
            "caller_name": "刘建国",
            "caller_phone": "13812345678",
            "photos": [SimpleUploadedFile("screen.png", png(), content_type="image/png")],
        },
    )
    made = ServiceRequest.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/portal/requests/{made.pk}/"
    assert (made.channel, made.equipment, made.customer) == (
        "web",
        company_a.equipment,
        company_a.customer,
    )
    assert made.obligations.filter(rule="SR.REPLY").exists()  # its limits run
    assert Attachment.objects.filter(object_id=made.pk).count() == 1
    html = client.get(f"/portal/requests/{made.pk}/").content.decode()
    assert "已收到" in html and 'id="photos"' in html
    staff = page(users.agent).get(f"/service-requests/{made.pk}/").content.decode()
    assert "screen.png" in staff  # the agent sees the customer's photo


def test_another_companys_request_is_not_found(page, users, company_a, company_b):
    theirs = factories.make_request(company_b.customer, actor=users.agent)
    client = page(company_a.user)
    assert client.get(f"/portal/requests/{theirs.pk}/").status_code == 404
    assert client.post(f"/portal/requests/{theirs.pk}/confirm/", {"fixed": "1"}).status_code == 404
    assert client.post(f"/portal/requests/{theirs.pk}/quote/", {"accepted": "1"}).status_code == 404
    assert theirs.number not in client.get("/portal/").content.decode()


def test_the_customer_accepts_the_quote(page, users, company_a):
    old = factories.make_equipment(
        company_a.customer,
        serial_number="OLD-1",
        accepted_on=dt.date(2020, 1, 1),
        warranty_months=12,
    )
    request = factories.make_request(
        company_a.customer, actor=users.agent, serial_number=old.serial_number
    )
    charges.service_request_quote(actor=users.manager, request=request, amount=500)
    client = page(company_a.user)
    home = client.get("/portal/").content.decode()
    assert f'data-number="{request.number}" data-yours="quote"' in home
    html = client.get(f"/portal/requests/{request.pk}/").content.decode()
    assert "¥500.00" in html and 'id="accept-quote"' in html
    client.post(f"/portal/requests/{request.pk}/quote/", {"accepted": "1", "note": "尽快"})
    request.refresh_from_db()
    assert (request.status, request.quote_status) == (
        "new",
        "accepted",
    )  # priced before the plan: still owed


def test_the_customer_confirms_the_repair(page, users, company_a):
    request = factories.make_request(company_a.customer, actor=users.agent)
    service_requests.service_request_resolve(
        actor=users.manager, request=request, resolution="已更换"
    )
    client = page(company_a.user)
    assert 'id="confirm-fixed"' in client.get(f"/portal/requests/{request.pk}/").content.decode()
    client.post(f"/portal/requests/{request.pk}/confirm/", {"fixed": "1"})
    request.refresh_from_db()
    assert request.status == "closed"
    assert "已完成" in client.get(f"/portal/requests/{request.pk}/").content.decode()


def test_the_customer_complains_and_follows_it(page, users, company_a):
    client = page(company_a.user)
    answer = client.post(
        "/portal/complaints/new/",
        {
            "category": "staff_attitude",
            "description": "技术员迟到两小时",
            "demand": "道歉",
            "complainant_name": "刘建国",
            "complainant_phone": "13812345678",
        },
    )
    made = Complaint.objects.get()
    assert answer.status_code == 302 and (made.channel, made.customer) == (
        "web",
        company_a.customer,
    )
    assert made.obligations.filter(rule="CP.CONTACT").exists()
    assert made.number in client.get("/portal/").content.decode()
    assert client.get(made.get_absolute_url()).status_code == 200


def test_the_customer_answers_a_survey_signed_in(page, users, company_a, company_b):
    question_set = publish(users)
    invitation, _token = surveys.invitation_create(
        actor=users.agent, question_set=question_set, customer=company_a.customer, to=""
    )
    other, _ = surveys.invitation_create(
        actor=users.agent, question_set=question_set, customer=company_b.customer, to=""
    )
    client = page(company_a.user)
    assert f'data-survey="{invitation.pk}"' in client.get("/portal/").content.decode()
    assert client.get(f"/portal/surveys/{other.pk}/").status_code == 404
    q = list(question_set.questions.order_by("position"))
    client.post(
        f"/portal/surveys/{invitation.pk}/",
        {f"q{q[0].pk}": "5", f"q{q[1].pk}": "4", f"q{q[2].pk}": "是", "comment": "很好"},
    )
    invitation.refresh_from_db()
    assert invitation.answered_at is not None and invitation.comment == "很好"
    again = client.get(f"/portal/surveys/{invitation.pk}/", follow=True)  # answered once
    assert again.redirect_chain[-1][0] == "/portal/" and "此调查已填写" in again.content.decode()
    assert SurveyInvitation.objects.get(pk=other.pk).answered_at is None


def test_the_equipment_list_is_theirs_with_warranty_dates(page, company_a, company_b):
    html = page(company_a.user).get("/portal/equipment/").content.decode()
    assert 'data-serial="A-0001"' in html and "B-0001" not in html
    assert "保修截止" in html or "保修期至" in html or "保修" in html


def test_a_visit_booked_for_another_day_is_not_on_the_way(users, company_a):
    """Found by a trial: a visit booked for tomorrow read 'a technician is on the way'."""
    from django.utils import timezone

    from aftersales.portal.selectors import progress
    from aftersales.service.work_orders import dispatch

    request = factories.make_request(company_a.customer, actor=users.agent)
    now = timezone.localtime()
    tomorrow = (now + dt.timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    orders = dispatch(
        actor=users.manager,
        service_request=request,
        technicians=[users.tech],
        planned_arrival=tomorrow,
    )
    said = progress(request, orders).words
    assert "正在路上" not in said and f"{tomorrow:%m-%d}" in said and "10:00" in said


def test_a_refused_report_asks_for_the_photo_again_and_names_the_phone(page, company_a):
    """Found by a trial: the chosen photo vanished without a word, and a bad phone number
    read 'enter a valid value'."""
    answer = page(company_a.user).post(
        "/portal/report/",
        {
            "severity": "P3",
            "description": "",
            "caller_name": "刘建国",
            "caller_phone": "打电话",
            "photos": [SimpleUploadedFile("screen.png", png(), content_type="image/png")],
        },
    )
    html = answer.content.decode()
    assert 'id="files-again"' in html and "请输入电话号码" in html
