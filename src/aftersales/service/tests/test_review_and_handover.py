import pytest
from django.core.exceptions import ValidationError

from aftersales.common import testing
from aftersales.common.exceptions import ConflictError
from aftersales.service import services

pytestmark = pytest.mark.django_db


def _request(users, customer, serial):
    return testing.make_request(
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
    testing.make_equipment(company_a.customer, serial_number="THEIRS-1", installed_by_us=False)
    request = _request(users, company_a.customer, "THEIRS-1")
    assert request.needs_review
    with pytest.raises(ConflictError):
        services.service_request_go_onsite(actor=users.manager, request=request)
    with pytest.raises(ConflictError):
        services.work_order_create(
            actor=users.manager, service_request=request, technician=users.tech
        )
    with pytest.raises(ValidationError):
        services.service_request_review(
            actor=users.agent, request=request, accepted=True, note="ok"
        )
    services.service_request_review(
        actor=users.techdept, request=request, accepted=True, note="资料齐全，可以受理"
    )
    services.service_request_go_onsite(actor=users.manager, request=request)


def test_a_review_that_refuses_cancels_the_request(users, company_a):
    testing.make_equipment(company_a.customer, serial_number="THEIRS-2", installed_by_us=False)
    request = _request(users, company_a.customer, "THEIRS-2")
    request = services.service_request_review(
        actor=users.techdept, request=request, accepted=False, note="无图纸"
    )
    assert request.status == "cancelled"


def test_a_technician_with_open_orders_cannot_be_deactivated_until_handed_over(users, company_a):
    request = _request(users, company_a.customer, "A-0001")
    order = services.work_order_create(
        actor=users.manager, service_request=request, technician=users.tech
    )
    with pytest.raises(ConflictError) as refused:
        services.user_deactivate(actor=users.manager, user=users.tech)
    assert order.number in refused.value.message
    other = testing.make_user("tech3", "technician")
    assert (
        services.work_orders_hand_over(actor=users.manager, from_user=users.tech, to_user=other)
        == 1
    )
    services.user_deactivate(actor=users.manager, user=users.tech)
    order.refresh_from_db()
    users.tech.refresh_from_db()
    assert order.technician == other and users.tech.is_active is False
    assert request.obligations.get(rule="WO.PAPERS").responsible == other


def test_the_admin_refuses_to_deactivate_a_technician_with_open_orders(
    admin_client, users, company_a
):
    request = _request(users, company_a.customer, "A-0001")
    order = services.work_order_create(
        actor=users.manager, service_request=request, technician=users.tech
    )
    page = admin_client.get(f"/admin/accounts/user/{users.tech.pk}/change/")
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "is_active"}
    data["groups"] = [g.pk for g in users.tech.groups.all()]
    data.pop("user_permissions", None)
    data["last_login_0"] = data["last_login_1"] = ""
    data["date_joined_0"], data["date_joined_1"] = "2026-01-01", "00:00:00"
    response = admin_client.post(f"/admin/accounts/user/{users.tech.pk}/change/", data)
    users.tech.refresh_from_db()
    assert users.tech.is_active
    errors = " ".join(response.context["adminform"].form.non_field_errors())
    assert order.number in errors
