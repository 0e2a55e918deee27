"""Rules: R-SR-4 (on site), R-WO-3 (the order's record), R-WO-4 (delay reason), R-WO-5
(fault analysis report), R-WO-7 (filing)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from tests import factories

from aftersales.service import service_requests, work_orders
from aftersales.service.models import WorkOrder

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
T0 = dt.datetime(2026, 9, 21, 10, 0, tzinfo=SH)
PNG = factories.SIGNATURE


def states(target):
    return (
        {o.rule: o.state for o in target.obligations.all()}
        if hasattr(target, "obligations")
        else {}
    )


@pytest.fixture
def p2(users, company_a):
    with time_machine.travel(T0, tick=False):
        return factories.make_request(
            company_a.customer,
            actor=users.agent,
            serial_number="A-0001",
            severity="P2",
            description="录像机花屏",
        )


def _api_order(api, users, p2):
    client = api(users.manager)
    assert (
        client.post(f"/api/v1/service-requests/{p2.pk}/go-onsite/", {}, format="json").status_code
        == 200
    )
    created = client.post(
        "/api/v1/work-orders/",
        {"service_request": p2.pk, "technician": users.tech.pk},
        format="json",
    )
    return created.json()["id"]


def test_p2_on_site_with_an_unfinished_visit_then_a_second_visit(api, users, p2):
    with time_machine.travel(T0 + dt.timedelta(hours=1), tick=False):
        first = _api_order(api, users, p2)
    p2.refresh_from_db()
    arrive_due = p2.obligations.get(rule="SR.ARRIVE").due_at
    assert arrive_due == T0 + dt.timedelta(hours=13)  # 12 hours from the on-site decision
    tech = api(users.tech)
    url = f"/api/v1/work-orders/{first}"
    with time_machine.travel(T0 + dt.timedelta(hours=5), tick=False):
        assert tech.post(f"{url}/arrive/", {}, format="json").status_code == 200
        missing = tech.post(f"{url}/complete/", {}, format="json")
        assert missing.status_code == 400
        assert {"work_done", "diagnosis", "result", "signature", "technician_signature"} <= set(
            missing.json()
        )
        tech.post(
            f"{url}/record/",
            {"work_done": "更换硬盘", "diagnosis": "hardware", "result": "not_fixed"},
            format="json",
        )
        no_reason = tech.post(f"{url}/complete/", {}, format="json")
        assert set(no_reason.json()) == {"delay_reason", "signature", "technician_signature"}
        tech.post(
            f"{url}/record/",
            {
                "work_done": "更换硬盘",
                "diagnosis": "hardware",
                "result": "not_fixed",
                "delay_reason": "备件未到",
            },
            format="json",
        )
        assert (
            tech.post(
                f"{url}/sign/", {"signature": "scribble", "signed_by": "刘"}, format="json"
            ).status_code
            == 400
        )
        tech.post(f"{url}/sign/", {"signature": PNG, "signed_by": "刘建国"}, format="json")
        # The customer alone is not enough: both sides sign the record.
        assert tech.post(f"{url}/complete/", {}, format="json").json() == {
            "technician_signature": ["维修人员须在客户旁签字。"]
        }
        manager = api(users.manager)
        refused = manager.post(
            f"{url}/sign/", {"signature": PNG, "signer": "technician"}, format="json"
        )
        assert refused.status_code == 400 and "signer" in refused.json()
        tech.post(f"{url}/sign/", {"signature": PNG, "signer": "technician"}, format="json")
        done = tech.post(f"{url}/complete/", {}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "completed"
    p2.refresh_from_db()
    assert states(p2)["SR.ARRIVE"] == "met" and states(p2)["WO.PAPERS"] == "met"
    assert "WO.FAULT_REPORT" not in states(p2)  # not fixed yet
    filed_limit = WorkOrder.objects.get(pk=first)
    assert filed_limit.completed_at is not None
    assert tech.post(f"{url}/arrive/", {}, format="json").status_code == 409
    assert tech.post(f"{url}/file/", {}, format="json").status_code == 200
    assert tech.post(f"{url}/file/", {}, format="json").status_code == 409


def test_a_fixed_p2_on_site_needs_a_fault_report(api, users, p2):
    order_id = _api_order(api, users, p2)
    order = WorkOrder.objects.get(pk=order_id)
    work_orders.work_order_arrive(actor=users.tech, work_order=order)
    work_orders.work_order_record(
        actor=users.tech,
        work_order=order,
        work_done="紧固电源",
        diagnosis="hardware",
        result="fixed",
    )
    work_orders.work_order_sign(actor=users.tech, work_order=order, signature=PNG, signed_by="刘")
    work_orders.work_order_sign(
        actor=users.tech, work_order=order, signature=PNG, signer="technician"
    )
    work_orders.work_order_complete(actor=users.tech, work_order=order)
    p2.refresh_from_db()
    assert states(p2)["WO.FAULT_REPORT"] == "running"
    with factories.refused("cause", "prevention"):
        service_requests.service_request_fault_report(
            actor=users.tech, request=p2, cause="", prevention=""
        )
    service_requests.service_request_fault_report(
        actor=users.tech, request=p2, cause="电源接触不良", prevention="每季度巡检紧固"
    )
    assert states(p2)["WO.FAULT_REPORT"] == "met"


def test_a_completed_or_void_order_cannot_be_changed(users, p2):
    order = work_orders.work_order_create(
        actor=users.manager, service_request=p2, technician=users.tech
    )
    work_orders.work_order_void(actor=users.manager, work_order=order, reason="写错")
    for act in (work_orders.work_order_arrive, work_orders.work_order_complete):
        with factories.refused(conflict="该维修单状态为"):
            act(actor=users.tech, work_order=order)


def test_a_technician_cannot_act_on_anothers_order(api, users, p2):
    from tests import factories

    other = factories.make_user("tech9", "technician")
    order = work_orders.work_order_create(actor=users.manager, service_request=p2, technician=other)
    assert (
        api(users.tech)
        .post(f"/api/v1/work-orders/{order.pk}/arrive/", {}, format="json")
        .status_code
        == 404
    )


def test_the_technician_pages(page, users, p2):
    order = work_orders.work_order_create(
        actor=users.manager, service_request=p2, technician=users.tech
    )
    client = page(users.tech)
    assert order.number in client.get("/work-orders/").content.decode()
    url = f"/work-orders/{order.pk}/"
    assert client.post(url, {"step": "arrive"}).status_code == 302
    client.post(
        url, {"step": "record", "work_done": "重启", "diagnosis": "software", "result": "fixed"}
    )
    client.post(url, {"step": "sign", "signed_by": "刘建国", "signature": PNG})
    client.post(url, {"step": "sign", "signer": "technician", "signature": PNG})
    client.post(url, {"step": "complete"})
    order.refresh_from_db()
    assert order.status == "completed" and order.signed_by == "刘建国"
    assert order.technician_signature == PNG and order.technician_signed_at is not None


def test_a_customer_cannot_see_work_orders(page, api, users, p2, company_a):
    order = work_orders.work_order_create(
        actor=users.manager, service_request=p2, technician=users.tech
    )
    assert page(company_a.user).get(f"/work-orders/{order.pk}/").status_code in {403, 404}
    assert api(company_a.user).get(f"/api/v1/work-orders/{order.pk}/").status_code in {403, 404}


def test_the_equipment_timeline_shows_requests_and_visits(page, users, p2, company_a):
    order = work_orders.work_order_create(
        actor=users.manager, service_request=p2, technician=users.tech
    )
    work_orders.work_order_arrive(actor=users.tech, work_order=order)
    work_orders.work_order_record(actor=users.tech, work_order=order, work_done="检查电源")
    html = page(users.agent).get(f"/equipment/{company_a.equipment.pk}/").content.decode()
    assert f"{p2.number}" in html and 'data-kind="service_request"' in html
    assert order.number in html and "检查电源" in html
    customer_view = page(company_a.user).get(f"/equipment/{company_a.equipment.pk}/")
    assert p2.number in customer_view.content.decode()
