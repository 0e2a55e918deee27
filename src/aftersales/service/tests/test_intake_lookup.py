"""Intake: finding the caller's company and unit, and the unit's site.

Rules: R-SR-1 (recording a call), R-CUS-3 (installed equipment at its site).
"""

import pytest
from tests import factories

from aftersales.service.models import ServiceRequest

pytestmark = pytest.mark.django_db


def test_the_intake_lookup_finds_by_phone_and_by_serial(page, users, company_a, company_b):
    from aftersales.customers.services import contact_create, equipment_update, site_create

    contact_create(actor=None, customer=company_a.customer, name="王工", phone="13912345678")
    room = site_create(actor=None, customer=company_a.customer, name="总部机房")
    equipment_update(actor=None, equipment=company_a.equipment, site=room)
    client = page(users.agent)
    by_phone = client.get("/service-requests/lookup/?q=3912345").content.decode()
    assert "王工" in by_phone and f'data-customer="{company_a.customer.pk}"' in by_phone
    first = factories.make_request(
        company_a.customer,
        actor=users.agent,
        serial_number="A-0001",
        channel="phone",
        severity="P3",
        caller_name="王工",
        caller_phone="13912345678",
        description="x",
    )
    by_serial = client.get("/service-requests/lookup/?q=a-00").content.decode()
    assert (
        'data-serial="A-0001"' in by_serial and f'data-open-request="{first.number}"' in by_serial
    )
    assert f'data-site="{room.pk}"' in by_serial  # picking the unit picks its site
    assert "B-0001" not in by_serial
    assert "没有匹配的记录" in client.get("/service-requests/lookup/?q=zzzz").content.decode()


def test_a_unit_recorded_at_another_site_is_refused_at_intake(users, company_a):
    from aftersales.customers.services import equipment_update, site_create

    room = site_create(actor=None, customer=company_a.customer, name="总部机房")
    branch = site_create(actor=None, customer=company_a.customer, name="分厂")
    equipment_update(actor=None, equipment=company_a.equipment, site=room)
    with factories.refused("site"):
        factories.make_request(company_a.customer, serial_number="A-0001", site=branch)
    assert not ServiceRequest.objects.exists()
    made = factories.make_request(company_a.customer, serial_number="A-0001", site=room)
    assert made.site == room
    assert factories.make_request(company_a.customer, serial_number="A-0001").site == room


def test_the_lookup_is_scoped_and_needs_the_permission(page, users, company_a, company_b):
    assert page(users.tech).get("/service-requests/lookup/?q=A-00").status_code == 403
    html = page(company_b.user).get("/service-requests/lookup/?q=A-00").content.decode()
    assert "A-0001" not in html
