"""Comp time (R-OP-2): earned by work on rest days and holidays — not on a make-up
workday — from the work order's arrival and departure, once per order; taken with the
service manager's approval within the balance; the monthly export for HR."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook
from tests import factories

from aftersales.operations import comp_time
from aftersales.operations.models import CompTimeEntry, CompTimeRequest
from aftersales.service import work_orders

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def at(text):
    return dt.datetime.fromisoformat(text).replace(tzinfo=SH)


def test_rest_minutes_count_holidays_and_weekends_but_not_a_make_up_workday():
    # 2026-10-10 is a Saturday worked in exchange for the National Day holidays.
    assert comp_time.rest_minutes(at("2026-10-10T10:00"), at("2026-10-10T14:00")) == 0
    assert comp_time.rest_minutes(at("2026-10-11T10:00"), at("2026-10-11T14:00")) == 240  # Sunday
    assert comp_time.rest_minutes(at("2026-10-01T10:00"), at("2026-10-01T13:30")) == 210  # holiday
    # A Wednesday night into the first holiday: only the hours after midnight.
    assert comp_time.rest_minutes(at("2026-09-30T22:00"), at("2026-10-01T02:00")) == 120


def _visit(users, company_a, start, end):
    with time_machine.travel(at(start), tick=False):
        request = factories.make_request(company_a.customer, actor=users.agent)
        order = work_orders.work_order_create(
            actor=users.manager, service_request=request, technician=users.tech
        )
        work_orders.work_order_arrive(actor=users.tech, work_order=order)
    with time_machine.travel(at(end), tick=False):
        work_orders.work_order_record(
            actor=users.tech,
            work_order=order,
            work_done="更换风扇",
            diagnosis="hardware",
            result="fixed",
        )
        for signer in ("customer", "technician"):
            work_orders.work_order_sign(
                actor=users.tech,
                work_order=order,
                signature=factories.SIGNATURE,
                signed_by="刘建国",
                signer=signer,
            )
        return work_orders.work_order_complete(actor=users.tech, work_order=order)


def test_completing_a_holiday_visit_earns_its_technician_comp_time_once(users, company_a):
    order = _visit(users, company_a, "2026-10-02T09:30", "2026-10-02T12:00")
    entry = CompTimeEntry.objects.get()
    assert (entry.person, entry.minutes, entry.work_order) == (users.tech, 150, order)
    assert comp_time.earn_for_order(order, actor=users.tech) is None  # never twice
    _visit(users, company_a, "2026-10-10T09:30", "2026-10-10T12:00")  # make-up Saturday
    assert comp_time.balance_minutes(users.tech) == 150


def test_taking_comp_time_needs_the_balance_and_the_managers_approval(users, company_a, page):
    _visit(users, company_a, "2026-10-03T09:00", "2026-10-03T13:00")  # 4 hours on a holiday
    with time_machine.travel(at("2026-10-12T09:00"), tick=False):
        with factories.refused("hours"):
            comp_time.comp_time_request(actor=users.tech, day=dt.date(2026, 10, 16), hours="4.5")
        ask = comp_time.comp_time_request(actor=users.tech, day=dt.date(2026, 10, 16), hours="3")
        with factories.refused("hours"):  # 1 hour left after what is asked
            comp_time.comp_time_request(actor=users.tech, day=dt.date(2026, 10, 17), hours="2")
        with factories.refused(conflict="售后服务部经理"):
            comp_time.comp_time_decide(actor=users.tech, request=ask, approve=True)
        assert (
            page(users.manager)
            .post("/comp-time/", {"step": "approve", "request": ask.pk})
            .status_code
            == 302
        )
    ask.refresh_from_db()
    assert ask.status == CompTimeRequest.Status.APPROVED
    assert comp_time.balance_minutes(users.tech) == 60
    html = page(users.tech).get("/comp-time/").content.decode()
    assert "1.0" in html and 'data-minutes="-180"' in html


def test_the_monthly_export_for_hr_gives_hours_as_numbers(users, company_a, page):
    _visit(users, company_a, "2026-10-04T09:00", "2026-10-04T11:30")
    response = page(users.manager).get("/comp-time/export/?month=2026-10")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == (str(users.tech), 2.5, 0, 2.5)
    assert page(users.tech).get("/comp-time/export/?month=2026-10").status_code == 403


def test_comp_time_pages_are_staffs_only(users, page, company_a):
    assert page(company_a.user).get("/comp-time/").status_code in (403, 404)
    assert page(users.nobody).get("/comp-time/").status_code == 403
