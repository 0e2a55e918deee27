"""Closure confirmed by the customer (R-SR-5) and the request's one timeline.

Rules: R-SR-5 (closed on the customer's confirmation), R-CUS-4 (one timeline).
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from tests import factories

from aftersales.service import selectors, service_requests, work_orders
from aftersales.service.models import ServiceRequest, StatusChange

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 9, 21, 10, 0, tzinfo=SH)  # a Monday


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def resolved(users, company_a):
    request = factories.make_request(
        company_a.customer, actor=users.agent, serial_number="A-0001", severity="P2"
    )
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        service_requests.service_request_resolve(
            actor=users.agent, request=request, resolution="已紧固"
        )
    return ServiceRequest.objects.get(pk=request.pk)


def _states(request):
    return {o.rule: o.state for o in request.obligations.all()}


def test_resolving_keeps_the_resolution_limit_running_until_the_customer_confirms(
    api, users, resolved
):
    assert resolved.status == "resolved"
    # Resolved an hour after the call: past the 10-minute reply, within the 2-hour response.
    assert _states(resolved) == {
        "SR.REPLY": "met_late",
        "SR.RESPOND": "met",
        "SR.RESOLVE": "running",
    }
    url = f"/api/v1/service-requests/{resolved.pk}/close/"
    with time_machine.travel(NOW + dt.timedelta(hours=5), tick=False):
        body = api(users.agent).post(
            url, {"confirmed_by": "刘建国", "confirmed_via": "phone", "note": "回访确认"}
        )
    assert body.status_code == 200, body.content
    data = body.json()
    assert data["status"] == "closed"
    assert (data["confirmed_by"], data["confirmed_via"]) == ("刘建国", "phone")
    assert data["confirmed_at"] == "2026-09-21T15:00:00+08:00"
    resolve = {o["rule"]: o for o in data["obligations"]}["SR.RESOLVE"]
    assert (resolve["state"], resolve["met_at"]) == ("met", "2026-09-21T15:00:00+08:00")
    last = StatusChange.objects.filter(request=resolved).last()
    assert last.to_status == "closed" and "刘建国" in last.note and "回访确认" in last.note


@pytest.mark.parametrize(
    "body, field",
    [
        ({"confirmed_via": "phone"}, "confirmed_by"),
        ({"confirmed_by": " ", "confirmed_via": "phone"}, "confirmed_by"),
        ({"confirmed_by": "刘建国", "confirmed_via": "telepathy"}, "confirmed_via"),
        ({"confirmed_by": "刘建国"}, "confirmed_via"),
    ],
)
def test_closing_without_saying_who_confirmed_and_how_is_refused(api, users, resolved, body, field):
    response = api(users.agent).post(f"/api/v1/service-requests/{resolved.pk}/close/", body)
    assert response.status_code == 400 and field in response.json()
    resolved.refresh_from_db()
    assert resolved.status == "resolved" and resolved.confirmed_at is None
    assert _states(resolved)["SR.RESOLVE"] == "running"


def test_only_a_resolved_request_is_confirmed_and_closed(api, users, company_a):
    request = factories.make_request(company_a.customer, actor=users.agent)
    response = api(users.agent).post(
        f"/api/v1/service-requests/{request.pk}/close/",
        {"confirmed_by": "刘建国", "confirmed_via": "phone"},
    )
    assert response.status_code == 409
    request.refresh_from_db()
    assert request.status == "new" and not request.confirmed_by


def test_not_fixed_reopens_with_the_limit_still_counting_from_intake(api, users, resolved):
    client = api(users.agent)
    url = f"/api/v1/service-requests/{resolved.pk}"
    assert client.post(f"{url}/reopen/", {"reason": " "}).status_code == 400
    data = client.post(f"{url}/reopen/", {"reason": "仍然偶尔死机"}).json()
    assert data["status"] == "responded" and data["resolution"] == ""
    resolve = {o["rule"]: o for o in data["obligations"]}["SR.RESOLVE"]
    assert resolve["state"] == "running" and resolve["due_at"] == "2026-09-24T10:00:00+08:00"
    assert client.post(f"{url}/reopen/", {"reason": "again"}).status_code == 409


def test_the_customer_confirms_in_the_portal(api, users, company_a, resolved):
    company_a.user.full_name = "王经理"
    company_a.user.save()
    response = api(company_a.user).post(
        f"/api/v1/service-requests/{resolved.pk}/confirm/", {"fixed": True}
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "closed"
    assert (data["confirmed_by"], data["confirmed_via"]) == ("王经理", "portal")


def test_the_customer_saying_not_fixed_must_say_what_is_wrong(api, company_a, resolved):
    url = f"/api/v1/service-requests/{resolved.pk}/confirm/"
    client = api(company_a.user)
    response = client.post(url, {"fixed": False})
    assert response.status_code == 400 and "note" in response.json()
    resolved.refresh_from_db()
    assert resolved.status == "resolved"
    assert client.post(url, {"fixed": False, "note": "还是黑屏"}).json()["status"] == "responded"


def test_confirmation_is_refused_to_others(api, users, company_b, resolved):
    url = f"/api/v1/service-requests/{resolved.pk}/confirm/"
    assert api(company_b.user).post(url, {"fixed": True}).status_code == 404
    assert api(users.nobody).post(url, {"fixed": True}).status_code == 403
    assert api().post(url, {"fixed": True}).status_code in (401, 403)
    # Staff close with who confirmed; a customer cannot close for themselves that way.
    close = f"/api/v1/service-requests/{resolved.pk}/close/"
    body = {"confirmed_by": "x", "confirmed_via": "phone"}
    assert api(users.quality).post(close, body).status_code == 403
    resolved.refresh_from_db()
    assert resolved.status == "resolved"


def test_the_customer_answers_on_the_request_page(page, users, company_a, resolved):
    client = page(company_a.user)
    html = client.get(f"/service-requests/{resolved.pk}/", follow=True).content.decode()
    assert 'id="confirm-fixed"' in html and 'id="step-close"' not in html
    response = client.post(f"/service-requests/{resolved.pk}/confirm/", {"fixed": "1"})
    assert response.status_code == 302
    resolved.refresh_from_db()
    assert resolved.status == "closed" and resolved.confirmed_via == "portal"
    html = client.get(f"/service-requests/{resolved.pk}/", follow=True).content.decode()
    assert 'id="confirm-fixed"' not in html


def test_the_confirmation_page_step_is_refused_to_staff_and_other_companies(
    page, users, company_b, resolved
):
    assert page(users.agent).post(f"/service-requests/{resolved.pk}/confirm/").status_code == 403
    url = f"/service-requests/{resolved.pk}/confirm/"
    assert page(company_b.user).post(url, {"fixed": "1"}).status_code == 404


def test_an_agent_closes_on_the_page_only_with_who_confirmed(page, users, resolved):
    client = page(users.agent)
    html = client.get(f"/service-requests/{resolved.pk}/").content.decode()
    assert 'id="step-close"' in html and 'value="刘建国"' in html  # the caller, proposed
    client.post(f"/service-requests/{resolved.pk}/close/", {"confirmed_via": "phone"})
    resolved.refresh_from_db()
    assert resolved.status == "resolved"
    client.post(
        f"/service-requests/{resolved.pk}/close/",
        {"confirmed_by": "刘建国", "confirmed_via": "signature"},
    )
    resolved.refresh_from_db()
    assert resolved.status == "closed" and resolved.confirmed_via == "signature"


# --- the timeline -----------------------------------------------------------------------


@pytest.fixture
def visited(users, company_a):
    """A P2 request: on site, one order voided, another arrived, signed, completed."""
    request = factories.make_request(
        company_a.customer, actor=users.agent, serial_number="A-0001", severity="P2"
    )
    service_requests.service_request_reply(actor=users.agent, request=request)
    with time_machine.travel(NOW + dt.timedelta(minutes=20), tick=False):
        service_requests.service_request_go_onsite(actor=users.manager, request=request)
        spoiled = work_orders.work_order_create(
            actor=users.manager, service_request=request, technician=users.tech
        )
        work_orders.work_order_void(actor=users.manager, work_order=spoiled, reason="填写错误")
        order = work_orders.work_order_create(
            actor=users.manager, service_request=request, technician=users.tech
        )
    with time_machine.travel(NOW + dt.timedelta(hours=3), tick=False):
        factories.finish_visit(order, work_done="更换电源", parts_used="电源模块 1 个")
    return ServiceRequest.objects.get(pk=request.pk)


def test_the_timeline_merges_calls_changes_orders_signatures_and_limits_in_order(users, visited):
    entries = selectors.request_timeline(visited)
    assert [e.when for e in entries] == sorted(e.when for e in entries)
    titles = [e.title for e in entries]
    assert entries[0].kind == "call" and "刘建国" in titles[0]
    kinds = {e.kind for e in entries}
    assert kinds == {"call", "status", "work_order", "limit"}
    joined = "\n".join(titles)
    for expected in [
        "WX-2026-000001",
        "WX-2026-000002",
        "到场时限",
        "维修单提交时限",
        "首次答复时限",
    ]:
        assert expected in joined, expected
    assert "SR." not in joined and "WO." not in joined  # names, never codes
    signed = [e for e in entries if e.detail == "刘建国"]
    order = visited.work_orders.get(status="completed")
    assert len(signed) == 1 and signed[0].url == f"/work-orders/{order.pk}/"
    voided = [e for e in entries if e.detail == "填写错误"]
    assert len(voided) == 1 and voided[0].when == NOW + dt.timedelta(minutes=20)
    assert voided[0].who == users.manager  # whoever voided it, not the order's technician
    assert entries[1].detail == "电话 · P2 主要故障"  # the intake in words, not "phone P2"


def test_a_customer_sees_the_timeline_without_limits_or_names(users, visited):
    entries = selectors.request_timeline(visited, for_customer=True)
    assert entries and all(e.who is None for e in entries)
    assert "limit" not in {e.kind for e in entries}
    # Nor the technician's name, staff notes or links to the staff's pages (issue 14).
    names = {users.tech.get_full_name(), users.tech.username} - {""}
    said = " ".join(f"{e.title} {e.detail}" for e in entries)
    assert not any(name in said for name in names), said
    assert all(not e.url for e in entries if e.kind == "work_order")
    staff = selectors.request_timeline(visited)
    assert any(name in " ".join(e.title for e in staff) for name in names)


def test_the_request_page_takes_the_same_queries_however_long_the_timeline(
    page, users, company_a, visited
):
    client = page(users.manager)
    before = factories.count_queries(client, f"/service-requests/{visited.pk}/")
    for _ in range(3):
        order = work_orders.work_order_create(
            actor=users.manager, service_request=visited, technician=users.tech
        )
        work_orders.work_order_void(actor=users.manager, work_order=order, reason="重复")
    assert factories.count_queries(client, f"/service-requests/{visited.pk}/") == before


def test_escalation_steps_read_as_words_in_the_timeline(settings):
    settings.LANGUAGE_CODE = "en"
    assert selectors._step_note("step 3") == "escalation step 3"
    assert selectors._step_note("客户已确认") == "客户已确认"
