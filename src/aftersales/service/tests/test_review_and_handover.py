"""Rules: R-SR-9 (technical review of systems we did not install), R-WO-6 (hand-over before
leaving)."""

import pytest
from tests import factories

from aftersales.common.exceptions import ConflictError
from aftersales.service import handover, service_requests, work_orders

pytestmark = pytest.mark.django_db


def _request(users, customer, serial):
    return factories.make_request(
        customer,
        actor=users.agent,
        serial_number=serial,
        channel="phone",
        severity="P3",
        caller_name="x",
        caller_phone="13800000000",
        description="y",
    )


def test_a_system_we_did_not_install_waits_for_technical_review(users, company_a):
    factories.make_equipment(company_a.customer, serial_number="THEIRS-1", installed_by_us=False)
    request = _request(users, company_a.customer, "THEIRS-1")
    assert request.needs_review
    with factories.refused(conflict="此系统非我公司施工"):
        service_requests.service_request_go_onsite(actor=users.manager, request=request)
    with factories.refused(conflict="此系统非我公司施工"):
        work_orders.work_order_create(
            actor=users.manager, service_request=request, technician=users.tech
        )
    with factories.refused("accepted"):
        service_requests.service_request_review(
            actor=users.agent, request=request, accepted=True, note="ok"
        )
    service_requests.service_request_review(
        actor=users.techdept, request=request, accepted=True, note="资料齐全，可以受理"
    )
    service_requests.service_request_go_onsite(actor=users.manager, request=request)


def test_a_review_that_refuses_cancels_the_request(users, company_a):
    factories.make_equipment(company_a.customer, serial_number="THEIRS-2", installed_by_us=False)
    request = _request(users, company_a.customer, "THEIRS-2")
    request = service_requests.service_request_review(
        actor=users.techdept, request=request, accepted=False, note="无图纸"
    )
    assert request.status == "cancelled"


def test_a_technician_with_open_orders_cannot_be_deactivated_until_handed_over(users, company_a):
    request = _request(users, company_a.customer, "A-0001")
    order = work_orders.work_order_create(
        actor=users.manager, service_request=request, technician=users.tech
    )
    with pytest.raises(ConflictError) as refused:
        handover.user_deactivate(actor=users.manager, user=users.tech)
    assert order.number in refused.value.message
    other = factories.make_user("tech3", "technician")
    assert (
        handover.work_orders_hand_over(actor=users.manager, from_user=users.tech, to_user=other)
        == 1
    )
    handover.user_deactivate(actor=users.manager, user=users.tech)
    order.refresh_from_db()
    users.tech.refresh_from_db()
    assert order.technician == other and users.tech.is_active is False
    assert request.obligations.get(rule="WO.PAPERS").responsible == other


def test_the_admin_shows_whether_an_account_is_active_but_cannot_change_it(admin_client, users):
    page = admin_client.get(f"/admin/accounts/user/{users.tech.pk}/change/")
    assert "is_active" not in page.context["adminform"].form.fields


def test_the_manager_hands_over_and_deactivates_on_the_hand_over_page(client, users, company_a):
    request = _request(users, company_a.customer, "A-0001")
    order = work_orders.work_order_create(
        actor=users.manager, service_request=request, technician=users.tech
    )
    other = factories.make_user("tech3", "technician")
    client.force_login(users.manager)
    url = "/work-orders/hand-over/"
    refused = client.post(url, {"leaving": users.tech.pk, "deactivate": "on"})
    assert order.number in refused.content.decode()
    users.tech.refresh_from_db()
    assert users.tech.is_active
    done = client.post(url, {"leaving": users.tech.pk, "to_user": other.pk, "deactivate": "on"})
    assert done.status_code == 302
    order.refresh_from_db()
    users.tech.refresh_from_db()
    assert order.technician == other and not users.tech.is_active
    assert request.obligations.get(rule="WO.PAPERS").responsible == other


@pytest.mark.parametrize("who", ["tech", "agent", "customer"])
def test_only_the_service_manager_may_hand_work_over(client, users, company_a, who):
    person = company_a.user if who == "customer" else getattr(users, who)
    client.force_login(person)
    assert client.get("/work-orders/hand-over/").status_code == 403
    assert client.post("/work-orders/hand-over/", {"leaving": users.tech.pk}).status_code == 403
