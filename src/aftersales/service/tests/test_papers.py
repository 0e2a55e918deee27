"""The other papers of a repair, printed and read back with poppler: the quote the
customer signs (R-SR-6), the fault analysis report (R-WO-5) and the delay reason
analysis (R-WO-4)."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from tests import factories
from tests.factories import poppler

from aftersales.service import charges, service_requests, work_orders
from aftersales.service.printing import rmb_in_words

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 9, 21, 10, 0, tzinfo=SH)


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0", "人民币零元整"),
        ("0.05", "人民币伍分"),
        ("0.50", "人民币伍角整"),
        ("12.05", "人民币壹拾贰元零伍分"),
        ("100", "人民币壹佰元整"),
        ("1005.50", "人民币壹仟零伍元伍角整"),
        ("1050", "人民币壹仟零伍拾元整"),
        ("10010", "人民币壹万零壹拾元整"),
        ("100000", "人民币壹拾万元整"),
        ("1000001", "人民币壹佰万零壹元整"),
        ("123456789.12", "人民币壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元壹角贰分"),
        ("100000001", "人民币壹亿零壹元整"),
    ],
)
def test_a_sum_is_written_in_capital_numerals_as_on_a_chinese_invoice(amount, words):
    assert rmb_in_words(Decimal(amount)) == words


@pytest.fixture
def quoted(users, company_a):
    with time_machine.travel(NOW, tick=False):
        request = factories.make_request(
            company_a.customer,
            actor=users.agent,
            serial_number="A-0001",
            severity="P3",
            description="机箱进水后无法开机",
        )
        charges.service_request_exclude(
            actor=users.manager, request=request, exclusion="misuse", note="机房漏水"
        )
        charges.service_request_quote(actor=users.manager, request=request, amount=Decimal("1280"))
    request.refresh_from_db()
    return request


@pytest.mark.pdf
def test_the_quotation_has_price_in_figures_and_words_and_a_box_to_sign(
    page, users, company_a, company_b, quoted
):
    url = f"/service-requests/{quoted.pk}/print/quote/"
    staff = page(users.manager).get(url)
    assert staff.status_code == 200 and staff["Content-Type"] == "application/pdf"
    text = poppler("pdftotext", staff.content).decode()
    for expected in [
        "维修报价单",
        quoted.number,
        "甲公司",
        "机房漏水",
        "¥1,280.00",
        "人民币壹仟贰佰捌拾元整",
        "2026-09-21 10:00",
        "客户签字",
        "日期",
        "报价人",  # who priced it, for the department's copy
    ]:
        assert expected in text, expected
    assert (users.manager.get_full_name() or users.manager.username) in text
    # The customer prints the same quotation to sign, without the staff member's name.
    mine = page(company_a.user).get(url)
    assert mine.status_code == 200
    customer_text = poppler("pdftotext", mine.content).decode()
    assert "人民币壹仟贰佰捌拾元整" in customer_text and "报价人" not in customer_text
    assert page(company_b.user).get(url).status_code == 404
    assert page(users.nobody).get(url).status_code == 404
    detail = page(users.manager).get(f"/service-requests/{quoted.pk}/").content.decode()
    assert url in detail


def test_no_quotation_prints_before_the_job_is_priced(page, users, company_a):
    request = factories.make_request(company_a.customer, actor=users.agent, serial_number="A-0001")
    for kind in ("quote", "fault-report", "anything"):
        url = f"/service-requests/{request.pk}/print/{kind}/"
        assert page(users.manager).get(url).status_code == 404


@pytest.fixture
def visited(users, company_a):
    with time_machine.travel(NOW, tick=False):
        request = factories.make_request(
            company_a.customer,
            actor=users.agent,
            serial_number="A-0001",
            severity="P2",
            description="录像机反复重启",
        )
        service_requests.service_request_go_onsite(actor=users.manager, request=request)
        order = work_orders.work_order_create(
            actor=users.manager, service_request=request, technician=users.tech
        )
    return order


@pytest.mark.pdf
def test_the_fault_analysis_report_prints_cause_and_prevention(
    page, users, company_a, company_b, visited
):
    request = visited.service_request
    with time_machine.travel(NOW + dt.timedelta(hours=3), tick=False):
        factories.finish_visit(visited, work_done="更换主板电容")
        service_requests.service_request_fault_report(
            actor=users.tech,
            request=request,
            cause="主板电容老化鼓包",
            prevention="机房加装空调，温度控制在 25 度以下",
        )
    url = f"/service-requests/{request.pk}/print/fault-report/"
    response = page(users.manager).get(url)
    assert response.status_code == 200
    text = poppler("pdftotext", response.content).decode()
    for expected in [
        "故障分析报告",
        request.number,
        "录像机反复重启",
        "更换主板电容",
        "主板电容老化鼓包",
        "温度控制在 25 度以下",
        visited.number,
        "编写人",
        users.tech.get_full_name() or users.tech.username,
        "编写时间",
    ]:
        assert expected in text, expected
    for_customer = page(company_a.user).get(url)
    assert for_customer.status_code == 200
    text = poppler("pdftotext", for_customer.content).decode()
    assert "编写时间" in text and "编写人" not in text  # no staff names for customers
    assert page(company_b.user).get(url).status_code == 404
    detail = page(company_a.user).get(f"/service-requests/{request.pk}/", follow=True)
    assert detail.redirect_chain[-1][0] == f"/portal/requests/{request.pk}/"
    assert "主板电容老化鼓包" in detail.content.decode() and url in detail.content.decode()


@pytest.mark.pdf
def test_the_delay_analysis_prints_why_and_the_limits_for_the_department_only(
    page, users, company_a, visited
):
    with time_machine.travel(NOW + dt.timedelta(hours=3), tick=False):
        work_orders.work_order_arrive(actor=users.tech, work_order=visited)
        work_orders.work_order_record(
            actor=users.tech,
            work_order=visited,
            work_done="检测电源正常，主板故障",
            diagnosis="hardware",
            result="not_fixed",
            delay_reason="主板需从厂家调货，预计三个工作日到货",
        )
    url = f"/work-orders/{visited.pk}/delay-pdf/"
    response = page(users.tech).get(url)
    assert response.status_code == 200
    text = poppler("pdftotext", response.content).decode()
    for expected in [
        "延时原因分析表",
        visited.number,
        visited.service_request.number,
        "主板需从厂家调货",
        "未完成",
        "首次答复时限",  # the request's limits by name, never by code
        "部门经理审核",
    ]:
        assert expected in text, expected
    assert "SR.REPLY" not in text
    order_page = page(users.tech).get(f"/work-orders/{visited.pk}/").content.decode()
    assert url in order_page
    # Internal paper: not for the customer, nor another technician.
    assert page(company_a.user).get(url).status_code == 404
    assert page(factories.make_user("tech9", "technician")).get(url).status_code == 404
    # An order that finished in one visit has no delay analysis to print.
    other = work_orders.work_order_create(
        actor=users.manager, service_request=visited.service_request, technician=users.tech
    )
    assert page(users.tech).get(f"/work-orders/{other.pk}/delay-pdf/").status_code == 404
