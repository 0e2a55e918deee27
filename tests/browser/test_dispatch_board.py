"""The manager's dispatch board (派工, R-WO-1) in the browser."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from aftersales.service import service_requests
from aftersales.service.models import WorkOrder
from tests import factories


def test_the_manager_sends_a_team_with_the_suggested_technician_and_an_arrival_time(
    open_page, users, company_a
):
    users.tech.region, users.tech.skills = "华东", "监控"
    users.tech.save()
    north = factories.make_user("tech_north", "technician", region="华北", skills="电源")
    request = factories.make_request(
        company_a.customer, actor=users.agent, serial_number="A-0001", severity="P1"
    )
    service_requests.service_request_go_onsite(actor=users.manager, request=request)

    manager = open_page(users.manager)
    manager.goto("/dispatch/")
    card = manager.locator(f'[data-number="{request.number}"]')
    expect(card).to_be_visible()
    # Company A is in 华东: the technician there is suggested and preselected.
    expect(card.locator("[data-suggested]")).to_have_attribute("data-suggested", "tech")
    expect(card.locator("select[name=technicians]")).to_have_values([str(users.tech.pk)])
    card.locator("select[name=technicians]").select_option([str(users.tech.pk), str(north.pk)])
    arrival = timezone.localtime() + dt.timedelta(days=1)
    arrival = arrival.replace(hour=9, minute=30, second=0, microsecond=0)
    card.locator("input[name=planned_arrival]").fill(arrival.strftime("%Y-%m-%dT%H:%M"))
    card.locator("button[type=submit]").click()

    expect(manager.locator(".alert-success")).to_contain_text("WX-")
    expect(manager.locator(f'[data-number="{request.number}"]')).to_have_count(0)
    expect(manager.locator('[data-tech="tech"] .badge')).to_have_text("1")
    expect(manager.locator('[data-tech="tech_north"] .badge')).to_have_text("1")
    orders = WorkOrder.objects.filter(service_request=request)
    assert {o.technician_id for o in orders} == {users.tech.pk, north.pk}
    assert all(o.planned_arrival == arrival for o in orders)

    # The request's page tells the same story, and the board fits a phone.
    manager.goto(f"/service-requests/{request.pk}/")
    expect(manager.locator("#timeline")).to_contain_text("tech_north")
    phone = open_page(users.manager, width=390, height=844)
    phone.goto("/dispatch/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_board_is_refused_to_a_technician_and_a_customer(open_page, users, company_a):
    for user in (users.tech, company_a.user):
        page = open_page(user)
        response = page.goto("/dispatch/")
        assert response is not None and response.status == 403
