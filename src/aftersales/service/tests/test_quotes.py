"""Out of warranty (R-SR-6): priced by the service manager, SR.QUOTE, SR.RESOLVE paused.

Rules: R-SR-6 (warranty decides the charge; quotes out of warranty).
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from tests import factories

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
T0 = dt.datetime(2026, 9, 21, 10, 0, tzinfo=SH)  # Monday


def at(hours):
    return T0 + dt.timedelta(hours=hours)


@pytest.fixture
def old_unit(company_a):
    return factories.make_equipment(
        company_a.customer,
        serial_number="OLD-1",
        accepted_on=dt.date(2020, 1, 1),
        warranty_months=12,
    )


def _create(api, users, company_a, severity="P3"):
    with time_machine.travel(T0, tick=False):
        response = api(users.agent).post(
            "/api/v1/service-requests/",
            {
                "customer": company_a.customer.pk,
                "serial_number": "OLD-1",
                "channel": "phone",
                "severity": severity,
                "caller_name": "刘",
                "caller_phone": "13800000000",
                "description": "报警主机故障",
            },
            format="json",
        )
    assert response.status_code == 201, response.content
    return response.json()


def _by_rule(data):
    return {o["rule"]: o for o in data["obligations"]}


def test_out_of_warranty_starts_sr_quote_at_intake(api, users, company_a, old_unit):
    data = _create(api, users, company_a)
    assert data["warranty_status"] == "out_of_warranty" and data["charge"] == "quoted"
    assert _by_rule(data)["SR.QUOTE"]["due_at"] == "2026-09-22T10:00:00+08:00"  # 8 working h


def test_a_quote_accepted_resumes_resolve_with_the_paused_time_added(
    api, users, company_a, old_unit
):
    data = _create(api, users, company_a)
    url = f"/api/v1/service-requests/{data['id']}"
    # 5 working days after Monday: Tue, Wed, Thu, (Fri 09-25 is Mid-Autumn), Mon, Tue.
    assert _by_rule(data)["SR.RESOLVE"]["due_at"] == "2026-09-29T18:00:00+08:00"
    with time_machine.travel(at(2), tick=False):  # Monday 12:00
        agent_try = api(users.agent).post(f"{url}/quote/", {"amount": "1200.00"}, format="json")
        assert agent_try.status_code == 400  # only the service manager prices
        quoted = api(users.manager).post(f"{url}/quote/", {"amount": "1200.00"}, format="json")
    assert quoted.json()["status"] == "quoting" and quoted.json()["quote_status"] == "pending"
    rules = _by_rule(quoted.json())
    assert rules["SR.QUOTE"]["state"] == "met" and rules["SR.RESOLVE"]["state"] == "paused"
    with time_machine.travel(at(24), tick=False):  # Tuesday 10:00
        answered = api(users.agent).post(f"{url}/quote-answer/", {"accepted": True}, format="json")
    rules = _by_rule(answered.json())
    # Priced before anyone answered with a plan: back to 新建, the plan still owed.
    assert answered.json()["status"] == "new"
    assert rules["SR.RESOLVE"]["state"] == "running"
    assert rules["SR.RESPOND"]["state"] in ("running", "breached")
    # Paused Mon 12:00 → Tue 10:00 = 6 working hours (13-18, 9-10): due + 6 h.
    assert rules["SR.RESOLVE"]["due_at"] == "2026-09-30T16:00:00+08:00"


def test_a_quote_refused_closes_the_request(api, users, company_a, old_unit):
    data = _create(api, users, company_a)
    url = f"/api/v1/service-requests/{data['id']}"
    with time_machine.travel(at(1), tick=False):
        api(users.manager).post(f"{url}/quote/", {"amount": "800"}, format="json")
        refused = api(users.agent).post(
            f"{url}/quote-answer/", {"accepted": False, "note": "太贵"}, format="json"
        )
    body = refused.json()
    assert body["status"] == "closed" and body["quote_status"] == "refused"
    assert "太贵" in body["resolution"]
    states = {o["rule"]: o["state"] for o in body["obligations"]}
    assert states["SR.RESOLVE"] == "cancelled" and states["SR.QUOTE"] == "met"
    again = api(users.agent).post(f"{url}/quote-answer/", {"accepted": True}, format="json")
    assert again.status_code == 409


def test_misuse_in_warranty_is_charged_at_cost(api, users, company_a):
    with time_machine.travel(T0, tick=False):
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
                    "description": "进水",
                },
                format="json",
            )
            .json()
        )
    url = f"/api/v1/service-requests/{created['id']}/exclude/"
    assert (
        api(users.agent).post(url, {"exclusion": "flood", "note": "x"}, format="json").status_code
        == 400
    )
    data = (
        api(users.agent)
        .post(url, {"exclusion": "misuse", "note": "设备进水，人为损坏"}, format="json")
        .json()
    )
    assert data["charge"] == "parts_cost" and data["exclusion"] == "misuse"


def test_nobody_is_sent_out_of_warranty_before_the_quote_is_accepted(users, company_a, old_unit):
    from aftersales.service import charges, work_orders

    with time_machine.travel(T0, tick=False):
        request = factories.make_request(
            company_a.customer, actor=users.agent, serial_number="OLD-1"
        )
        with factories.refused(conflict="须客户先接受报价"):
            work_orders.work_order_create(
                actor=users.manager, service_request=request, technician=users.tech
            )
        charges.service_request_quote(actor=users.manager, request=request, amount=500)
        with factories.refused(conflict="须客户先接受报价"):
            work_orders.work_order_create(
                actor=users.manager, service_request=request, technician=users.tech
            )
        charges.service_request_quote_answer(actor=users.agent, request=request, accepted=True)
        order = work_orders.work_order_create(
            actor=users.manager, service_request=request, technician=users.tech
        )
    assert order.number.startswith("WX-")
    # The history says what was quoted and that the customer accepted it.
    notes = list(request.changes.order_by("at", "pk").values_list("note", flat=True))
    assert "报价 ¥500.00" in " ".join(notes) and "客户已接受报价" in " ".join(notes)


def test_the_manager_may_let_work_start_unquoted_with_a_reason(users, company_a, old_unit):
    from aftersales.service import charges, work_orders

    with time_machine.travel(T0, tick=False):
        request = factories.make_request(
            company_a.customer, actor=users.agent, serial_number="OLD-1"
        )
        with factories.refused("reason"):  # an agent may not
            charges.service_request_waive_quote(actor=users.agent, request=request, reason="急")
        with factories.refused("reason"):  # nor without a reason
            charges.service_request_waive_quote(actor=users.manager, request=request, reason=" ")
        charges.service_request_waive_quote(
            actor=users.manager, request=request, reason="医院手术室停电，先抢修后补报价"
        )
        work_orders.work_order_create(
            actor=users.manager, service_request=request, technician=users.tech
        )
    request.refresh_from_db()
    assert request.quote_waived_by == users.manager
    assert request.obligations.get(rule="SR.QUOTE").state == "cancelled"
    assert "先抢修后补报价" in request.changes.order_by("-pk").first().note


def test_an_unknown_warranty_is_never_free(users, company_a):
    request = factories.make_request(company_a.customer, actor=users.agent)  # no unit named
    assert request.warranty_status == "unknown" and request.charge == "undecided"
    assert request.get_charge_display() == "待定（保修状态不明）"
