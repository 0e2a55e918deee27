"""Repeat repairs within the SR.REPEAT window (R-SR-8) and 三包 replacement (R-SR-7).

Rules: R-SR-7 (三包 replacement), R-SR-8 (repeat repairs).
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from tests import factories

from aftersales.customers.models import FaultCode, ProductModel
from aftersales.obligations.models import Policy
from aftersales.service import repeats, service_requests

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def no_power(company_a):
    return FaultCode.objects.create(
        product_model=company_a.equipment.product_model, code="E01", name="无法开机"
    )


def _failure(users, company_a, fault, when, *, resolve=True):
    with time_machine.travel(when, tick=False):
        request = factories.make_request(
            company_a.customer,
            actor=users.agent,
            serial_number="A-0001",
            channel="phone",
            severity="P3",
            caller_name="刘",
            caller_phone="13800000000",
            description="无法开机",
        )
        request = repeats.service_request_set_fault(
            actor=users.tech, request=request, fault_code=fault
        )
        if resolve:  # repaired and confirmed: the next failure is a new request
            service_requests.service_request_resolve(
                actor=users.tech, request=request, resolution="修好"
            )
            service_requests.service_request_close(
                actor=users.agent, request=request, confirmed_by="刘", confirmed_via="phone"
            )
    return request


def test_the_same_fault_within_90_days_is_a_repeat(users, company_a, no_power):
    first = _failure(users, company_a, no_power, dt.datetime(2026, 2, 2, 10, tzinfo=SH))
    assert not first.is_repeat
    again = _failure(users, company_a, no_power, dt.datetime(2026, 4, 20, 10, tzinfo=SH))
    assert again.is_repeat  # 77 days later
    later = _failure(users, company_a, no_power, dt.datetime(2026, 8, 1, 10, tzinfo=SH))
    assert not later.is_repeat  # 103 days after the last one


def test_the_window_is_the_policy_row(users, company_a, no_power):
    Policy.objects.filter(rule="SR.REPEAT").update(amount=30)
    _failure(users, company_a, no_power, dt.datetime(2026, 2, 2, 10, tzinfo=SH))
    again = _failure(users, company_a, no_power, dt.datetime(2026, 4, 20, 10, tzinfo=SH))
    assert not again.is_repeat


def test_the_fourth_failure_in_warranty_proposes_a_replacement(users, company_a, no_power):
    days = [dt.datetime(2026, m, 5, 10, tzinfo=SH) for m in (2, 4, 6)]
    for when in days:
        assert not _failure(users, company_a, no_power, when).replacement_proposed
    fourth = _failure(
        users, company_a, no_power, dt.datetime(2026, 8, 5, 10, tzinfo=SH), resolve=False
    )
    assert fourth.replacement_proposed


def test_a_fault_code_of_another_model_is_refused(api, users, company_a):
    other = FaultCode.objects.create(
        product_model=ProductModel.objects.create(code="OTHER", name="其他"), code="E9", name="x"
    )
    created = (
        api(users.agent)
        .post(
            "/api/v1/service-requests/",
            {
                "customer": company_a.customer.pk,
                "serial_number": "A-0001",
                "channel": "phone",
                "severity": "P3",
                "caller_name": "刘",
                "caller_phone": "13800000000",
                "description": "x",
            },
            format="json",
        )
        .json()
    )
    response = api(users.agent).post(
        f"/api/v1/service-requests/{created['id']}/fault/",
        {"fault_code": other.pk},
        format="json",
    )
    assert response.status_code == 400 and "fault_code" in response.json()
