"""Each person's home in the browser (issue 15): the technician's on a phone, the
agent's and the general manager's on a desk, each only with their own things."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from aftersales.complaints import decisions
from aftersales.service import work_orders
from tests import factories


def test_homes_say_what_to_do_next_and_only_to_whom_it_concerns(open_page, users, company_a):
    tech2 = factories.make_user("tech2", "technician")
    mine = factories.make_request(company_a.customer, caller_phone="13700001234", severity="P2")
    theirs = factories.make_request(company_a.customer, caller_phone="13600000000")
    order = work_orders.work_order_create(
        actor=users.manager,
        service_request=mine,
        technician=users.tech,
        planned_arrival=timezone.now() + dt.timedelta(hours=2),
    )
    other = work_orders.work_order_create(
        actor=users.manager, service_request=theirs, technician=tech2
    )
    complaint = factories.make_complaint(users, company_a.customer)
    decisions.complaint_mark_major(actor=users.manager, complaint=complaint, group=[users.quality])

    phone = open_page(users.tech, width=390, height=844)
    jobs = phone.locator("#panel-jobs")
    expect(jobs).to_contain_text(order.number)
    expect(jobs).not_to_contain_text(other.number)
    expect(jobs.locator("[data-call]")).to_have_attribute("href", "tel:13700001234")
    expect(phone.locator("#panel-dispatch")).to_have_count(0)
    expect(phone.locator("body")).to_have_js_property("scrollWidth", 390)  # nothing spills
    jobs.get_by_role("link", name=order.number, exact=False).click()
    expect(phone.locator("h1")).to_contain_text(order.number)

    agent = open_page(users.agent)
    reply = agent.locator("#panel-reply")
    expect(reply).to_contain_text(mine.number)
    expect(reply).to_contain_text(theirs.number)
    expect(agent.locator("#panel-figures")).to_have_count(0)
    reply.get_by_role("link", name=mine.number).click()
    expect(agent.locator("h1")).to_contain_text(mine.number)

    gm = open_page(users.gm)
    expect(gm.locator("#panel-major")).to_contain_text(complaint.number)
    expect(gm.locator("#panel-figures tr[data-figure]").first).to_be_visible()
    expect(gm.locator("#panel-jobs")).to_have_count(0)

    customer = open_page(company_a.user, width=390, height=844)
    expect(customer.locator("[data-panel]")).to_have_count(0)  # the portal, not a staff home
    expect(customer.locator("#report")).to_be_visible()
    expect(customer.locator("body")).not_to_contain_text(order.number)  # no staff's work
