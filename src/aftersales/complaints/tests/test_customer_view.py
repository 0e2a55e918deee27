"""What a customer contact sees of a complaint and of a request (issue 14 item 2): the
status, the reply sent to them and the dates that concern them — never the investigation,
the staff who handle it, the corrective actions or the internal time limits.

Rules: R-ORG-3 (customers see only what concerns them), R-CP-10 (the complainant hears of
progress), R-CP-5 (the person complained about is not named to the customer)."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from tests import factories

from aftersales.common import attachments
from aftersales.common.tests.test_attachments import png
from aftersales.complaints import actions, decisions

FINDING = "调取通话录音，技术员确有违规"
ACTION = "对技术员进行布线规范培训"


def _handled(users, company_a):
    complaint = factories.make_upheld_complaint(users, company_a.customer, finding=FINDING)
    actions.action_create(
        actor=users.manager,
        complaint=complaint,
        kind="corrective",
        description=ACTION,
        owner=users.tech,
        due_on=dt.date.today() + dt.timedelta(days=7),
    )
    decisions.complaint_reply(
        actor=users.manager, complaint=complaint, text="经核实投诉属实，将返工"
    )
    internal = attachments.attach(
        actor=users.quality,
        about=complaint,
        upload=SimpleUploadedFile("调查.png", png(), content_type="image/png"),
        caption="内部调查照片",
    )
    complaint.refresh_from_db()
    return complaint, internal


def test_a_customer_sees_the_reply_and_dates_but_nothing_of_the_internal_handling(
    page, users, company_a, company_b
):
    complaint, internal = _handled(users, company_a)
    staff_view = page(users.manager).get(f"/complaints/{complaint.pk}/").content.decode()
    assert FINDING in staff_view and ACTION in staff_view and 'data-rule="CP.' in staff_view
    customer = page(company_a.user)
    html = customer.get(f"/complaints/{complaint.pk}/").content.decode()
    assert "经核实投诉属实，将返工" in html  # the reply sent to them
    assert "您的投诉" in html  # what we told them, as sent
    for secret in (FINDING, ACTION, "data-rule=", "quality", "manager", "内部调查照片"):
        assert secret not in html, secret
    assert customer.get(f"/attachments/{internal.pk}/").status_code == 404
    assert page(company_b.user).get(f"/complaints/{complaint.pk}/").status_code == 404


def test_the_api_gives_a_customer_the_same_reduced_complaint(api, users, company_a):
    complaint, internal = _handled(users, company_a)
    staff = api(users.manager).get(f"/api/v1/complaints/{complaint.pk}/").json()
    assert staff["obligations"] and staff["steps"] and staff["responsible"] == users.quality.pk
    seen = api(company_a.user).get(f"/api/v1/complaints/{complaint.pk}/").json()
    assert seen["status"] == complaint.status and seen["reply_text"] == complaint.reply_text
    assert seen["obligations"] == [] and seen["steps"] == []
    assert seen["responsible"] is None and seen["decided_by"] is None
    assert seen["approved_by"] is None and seen["decision_text"] == ""
    assert set(seen) == set(staff)  # the fixed fields are all there
    files = api(company_a.user).get(f"/api/v1/complaints/{complaint.pk}/attachments/")
    assert files.status_code == 200 and files.json() == []
    assert api(company_a.user).get(f"/api/v1/attachments/{internal.pk}/file/").status_code == 404
    assert api(users.manager).get(f"/api/v1/attachments/{internal.pk}/file/").status_code == 200


def test_a_customer_request_page_and_api_show_no_internal_limits(page, api, users, company_a):
    request = factories.make_request(company_a.customer, severity="P2")
    staff = page(users.manager).get(request.get_absolute_url()).content.decode()
    assert 'data-rule="SR.REPLY"' in staff
    html = page(company_a.user).get(request.get_absolute_url()).content.decode()
    assert "data-rule=" not in html and "首次答复时限" not in html
    seen = api(company_a.user).get(f"/api/v1/service-requests/{request.pk}/").json()
    assert seen["obligations"] == [] and seen["status"] == request.status
    assert api(users.manager).get(f"/api/v1/service-requests/{request.pk}/").json()["obligations"]


def test_a_customer_cannot_filter_requests_by_internal_breaches(api, users, company_a):
    factories.make_request(company_a.customer, severity="P2")
    everything = api(company_a.user).get("/api/v1/service-requests/").json()["count"]
    for value in ("true", "false"):
        answer = api(company_a.user).get("/api/v1/service-requests/", {"breached": value})
        assert answer.json()["count"] == everything  # the filter is ignored for customers
