"""What the caller hears (R-SR-1, R-WO-1): the request's number once it is received,
and the technician's planned arrival — by SMS to a mobile, never to a landline, never
with a staff name; a team arriving together is told once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from tests import factories

from aftersales.common.messaging import messages_about
from aftersales.service import work_orders
from aftersales.service.telling import mobile

pytestmark = pytest.mark.django_db


def test_mobile_numbers_only():
    assert mobile("139 1234 5678") == "13912345678"
    assert mobile("+86 139-1234-5678") == "+8613912345678"
    assert mobile("021-6123 4567") == "" and mobile("") == ""


def test_the_caller_is_told_the_number_and_the_arrival(users, company_a):
    with factories.committed():
        request = factories.make_request(
            company_a.customer, actor=users.agent, caller_phone="13912345678"
        )
    received = messages_about(request).get(kind="request.received")
    assert received.to == "13912345678" and request.number in received.body
    assert received.status == "logged"  # the demo's SMS: logged, not sent
    second = factories.make_user("tech_two", "technician", full_name="李强")
    at = timezone.now() + dt.timedelta(hours=3)
    with factories.committed():
        work_orders.dispatch(
            actor=users.manager,
            service_request=request,
            technicians=[users.tech, second],
            planned_arrival=at,
        )
    arrival = messages_about(request).get(kind="request.arrival")
    assert timezone.localtime(at).strftime("%H:%M") in arrival.body
    for name in (users.tech.get_full_name(), users.tech.username, second.get_full_name()):
        assert name not in arrival.body


def test_a_landline_caller_gets_no_sms(users, company_a):
    request = factories.make_request(
        company_a.customer, actor=users.agent, caller_phone="021-61234567"
    )
    assert not messages_about(request).exists()
