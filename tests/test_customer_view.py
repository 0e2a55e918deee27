"""What a customer contact's pages and exports leave out (issue 14 item 2, found by a
trial in the browser): the company's time limits and breaches, the technician's name
and the staff's notes.

Rules: R-CUS-3..5 (the customer's own view), R-CP-5 (complaint handling is internal)."""

import io

from openpyxl import load_workbook

from aftersales.service import work_orders
from aftersales.service.service_requests import service_request_reply
from tests import factories


def test_the_complaint_list_shows_a_customer_no_time_limits(page, users, company_a):
    factories.make_complaint(users, company_a.customer)
    staff = page(users.agent).get("/complaints/").content.decode()
    assert "联系投诉人时限" in staff
    theirs = page(company_a.user).get("/complaints/").content.decode()
    assert "TS-" in theirs and "时限" not in theirs


def test_a_customers_request_export_has_no_time_limits_and_words_for_codes(page, users, company_a):
    factories.make_request(company_a.customer, actor=users.agent, severity="CONSULT")

    def sheet(user):
        answer = page(user).get("/service-requests/?format=xlsx")
        rows = list(load_workbook(io.BytesIO(answer.content)).active.values)
        return rows[0], rows[1]

    header, row = sheet(users.manager)
    assert "时限" in header and "CONSULT" not in row
    header, row = sheet(company_a.user)
    assert "时限" not in header and not any("时限" in str(cell) for cell in row)


def test_a_customers_request_page_names_no_technician_and_shows_no_staff_note(
    page, users, company_a
):
    request = factories.make_request(company_a.customer, actor=users.agent)
    service_request_reply(actor=users.manager, request=request, note="内部备注：此客户难缠")
    users.tech.first_name, users.tech.last_name = "强", "李"
    users.tech.save()
    work_orders.work_order_create(
        actor=users.manager, service_request=request, technician=users.tech
    )
    answer = page(company_a.user).get(f"/service-requests/{request.pk}/", follow=True)
    # Customers follow their requests in the portal, in plain words.
    assert answer.redirect_chain[-1][0] == f"/portal/requests/{request.pk}/"
    theirs = answer.content.decode()
    assert request.number in theirs
    assert "内部备注" not in theirs and "李" not in theirs
    assert 'id="time-limits"' not in theirs
    staff = page(users.manager).get(f"/service-requests/{request.pk}/").content.decode()
    assert "内部备注" in staff and "李" in staff


def test_the_depot_and_return_lists_show_a_customer_no_time_limits(page, users, company_a):
    import datetime as dt

    from aftersales.depot import services as depot
    from aftersales.returns import services as returns

    returned = returns.return_request_create(
        actor=users.agent,
        customer=company_a.customer,
        equipment=company_a.equipment,
        kind="exchange",
        purchased_on=dt.date.today() - dt.timedelta(days=3),
        problem="屏幕闪烁",
        caused_by_misuse=False,
        proof_checked=True,
        packaging_intact=True,
    )
    batch = depot.repair_batch_receive(
        actor=users.agent,
        customer=company_a.customer,
        units=[{"serial_number": "AA-1", "fault": "坏"}],
    )
    for url, number in (("/returns/", returned.number), ("/depot/", batch.number)):
        assert "时限" in page(users.agent).get(url).content.decode(), url
        theirs = page(company_a.user).get(url).content.decode()
        assert number in theirs and "时限" not in theirs, url


def test_a_customer_reports_through_the_portal_now_whatever_the_form_says(page, company_a):
    from aftersales.service.models import ServiceRequest

    client = page(company_a.user)
    # The agent's call-taking form sends a customer's contact to the portal's own form,
    # and nothing posted to it is stored.
    assert client.get("/service-requests/new/").url == "/portal/report/"
    assert client.post("/service-requests/new/", {"description": "x"}).status_code == 302
    assert not ServiceRequest.objects.exists()
    form = client.get("/portal/report/").content.decode()
    assert 'name="channel"' not in form and 'name="received_at"' not in form
    answer = client.post(
        "/portal/report/",
        {
            "customer": company_a.customer.pk,
            "caller_name": "刘建国",
            "caller_phone": "13812345678",
            "severity": "P3",
            "description": "打印机卡纸",
            "channel": "fax",
            "received_at": "2026-11-01T09:00",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    made = ServiceRequest.objects.get()
    assert made.channel == "web"
    assert abs((made.received_at - made.created_at).total_seconds()) < 60
