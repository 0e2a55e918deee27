"""Availability (设备完好率, R-PM-3): P1/P2 outages from the call to the fault cleared,
those under 4 hours not counted, against the 100 % target."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from tests import factories

from aftersales.maintenance import availability
from aftersales.service import service_requests

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def outage(customer, unit, actor, began, hours, severity="P1"):
    with time_machine.travel(began, tick=False):
        request = factories.make_request(
            customer,
            actor=actor,
            severity=severity,
            serial_number=unit.serial_number,
            caller_phone=f"1380000{began.day:02d}{began.hour:02d}",
        )
    with time_machine.travel(began + dt.timedelta(hours=hours), tick=False):
        service_requests.service_request_resolve(actor=actor, request=request, resolution="已修复")
    return request


def test_a_three_hour_outage_is_not_counted_and_a_five_hour_one_is(users, company_a):
    unit = company_a.equipment
    second = factories.make_equipment(company_a.customer, serial_number="A-0002")
    outage(company_a.customer, unit, users.agent, dt.datetime(2026, 3, 2, 9, 0, tzinfo=SH), 3)
    counted = outage(
        company_a.customer, second, users.agent, dt.datetime(2026, 3, 10, 9, 0, tzinfo=SH), 5
    )
    # A P3 fault is no outage, however long.
    outage(
        company_a.customer, unit, users.agent, dt.datetime(2026, 3, 20, 9, 0, tzinfo=SH), 48, "P3"
    )
    result = availability.customer_availability(
        company_a.customer.pk, dt.date(2026, 3, 1), dt.date(2026, 3, 31)
    )
    # March: 31 days × 1440 minutes × 2 units = 89,280 unit-minutes; 300 counted.
    assert result.units == 2 and result.outage_minutes_counted == 300
    assert [(o.number, o.counted) for o in result.outages] == [
        (result.outages[0].number, False),
        (counted.number, True),
    ]
    assert result.availability == pytest.approx(1 - 300 / 89_280)
    assert result.below_target


def test_an_outage_across_the_period_end_counts_only_its_part_inside(users, company_a):
    unit = company_a.equipment
    outage(company_a.customer, unit, users.agent, dt.datetime(2026, 3, 31, 20, 0, tzinfo=SH), 10)
    march = availability.unit_availability(unit, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    april = availability.unit_availability(unit, dt.date(2026, 4, 1), dt.date(2026, 4, 30))
    assert march.outage_minutes_counted == 240 and april.outage_minutes_counted == 360


def test_a_customer_without_outages_is_at_target_and_many_customers_take_two_queries(
    users, company_a, company_b, django_assert_num_queries
):
    outage(
        company_b.customer,
        company_b.equipment,
        users.agent,
        dt.datetime(2026, 3, 2, 9, 0, tzinfo=SH),
        6,
    )
    with django_assert_num_queries(3):  # units, outages, and the PM.OUTAGE policy
        every = availability.customers_availability(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert every[company_a.customer.pk].availability == 1.0
    assert not every[company_a.customer.pk].below_target
    assert every[company_b.customer.pk].outage_minutes_counted == 360


def test_the_api_answers_availability_for_a_customer_the_user_may_see(
    api, users, company_a, company_b
):
    outage(
        company_a.customer,
        company_a.equipment,
        users.agent,
        dt.datetime(2026, 3, 2, 9, 0, tzinfo=SH),
        6,
    )
    query = {"customer": company_a.customer.pk, "start": "2026-03-01", "end": "2026-03-31"}
    body = api(users.manager).get("/api/v1/availability/", query).json()
    assert body["outage_minutes_counted"] == 360 and body["units"] == 1
    assert body["availability"] == pytest.approx(1 - 360 / 44_640, abs=1e-6)
    assert body["outages"][0]["counted"] is True
    assert api(company_b.user).get("/api/v1/availability/", query).status_code == 404
    assert api(company_a.user).get("/api/v1/availability/", query).status_code == 200
    bad = api(users.manager).get(
        "/api/v1/availability/", {**query, "start": "0002-01-01", "end": "9999-01-01"}
    )
    assert bad.status_code == 400
    too_long = api(users.manager).get(
        "/api/v1/availability/", {**query, "start": "2000-01-01", "end": "2026-01-01"}
    )
    assert too_long.status_code == 400 and "end" in too_long.json()
