"""The steps of a work order on its page (issue 13): leaving the site, filing the signed
record, voiding a spoiled order with its replacement.

Rules: R-WO-2 (a void order keeps its number; the replacement takes the next), R-WO-3
(arrival and departure on record), R-WO-7 (filing meets WO.FILE).
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from tests import factories

from aftersales.obligations.selectors import obligations_of
from aftersales.service import work_orders
from aftersales.service.models import WorkOrder

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
T0 = dt.datetime(2026, 9, 21, 10, 0, tzinfo=SH)


def at(hours):
    return time_machine.travel(T0 + dt.timedelta(hours=hours), tick=False)


@pytest.fixture
def order(users, company_a):
    with at(0):
        request = factories.make_request(
            company_a.customer, actor=users.agent, serial_number="A-0001"
        )
        return work_orders.work_order_create(
            actor=users.manager, service_request=request, technician=users.tech
        )


def post(client, user, order, **data):
    client.force_login(user)
    return client.post(f"/work-orders/{order.pk}/", data)


def test_the_technician_records_leaving_the_site_apart_from_completing(client, users, order):
    with at(1):
        post(client, users.tech, order, step="depart")  # refused: not arrived yet
        order.refresh_from_db()
        assert order.departed_at is None
        post(client, users.tech, order, step="arrive")
    with at(2.5):
        post(client, users.tech, order, step="depart")
        html = client.get(f"/work-orders/{order.pk}/").content.decode()
    order.refresh_from_db()
    assert order.departed_at == T0 + dt.timedelta(hours=2.5)
    assert "离开现场" in html


def test_filing_the_signed_record_on_the_page_meets_its_limit(client, users, order):
    with at(1):
        factories.finish_visit(order)
    assert obligations_of(order).get(rule="WO.FILE").state == "running"
    with at(30):
        client.force_login(users.agent)
        assert 'id="file"' in client.get(f"/work-orders/{order.pk}/").content.decode()
        post(client, users.agent, order, step="file")
    order.refresh_from_db()
    assert order.filed_at is not None
    assert obligations_of(order).get(rule="WO.FILE").state == "met"


def test_the_manager_voids_an_order_and_issues_its_replacement(client, users, order):
    other = factories.make_user("tech3", "technician")
    response = post(client, users.manager, order, step="replace", reason="", technician="")
    order.refresh_from_db()
    assert order.status == "open"  # refused: no reason
    response = post(
        client, users.manager, order, step="replace", reason="客户信息填错", technician=other.pk
    )
    order.refresh_from_db()
    new = WorkOrder.objects.get(replaces=order)
    assert response.status_code == 302 and response["Location"] == f"/work-orders/{new.pk}/"
    assert order.status == "void" and order.void_reason == "客户信息填错"
    assert new.technician == other and new.sequence == order.sequence + 1
    assert order.number in client.get(f"/work-orders/{new.pk}/").content.decode()


def test_a_technician_may_not_void_and_reissue(client, users, order):
    assert post(client, users.tech, order, step="replace", reason="x").status_code == 403
    order.refresh_from_db()
    assert order.status == "open"


def test_the_technician_sees_where_and_when_and_arrival_puts_the_request_on_site(
    page, users, company_a
):
    """Found by the trial of issue 13: the job page says where to go and when, a job
    dispatched without 上门服务 moves on site at arrival, and the request lists the
    limits of its orders (WO.FILE) beside its own."""
    from aftersales.customers.services import site_create
    from aftersales.obligations.services import obligation_open

    site = site_create(
        actor=None, customer=company_a.customer, name="总部机房", address="上海市世纪大道 100 号"
    )
    request = factories.make_request(company_a.customer, severity="P2", site=site)
    order = work_orders.work_order_create(
        actor=users.manager, service_request=request, technician=users.tech
    )
    tech = page(users.tech)
    html = tech.get(f"/work-orders/{order.pk}/").content.decode()
    assert "世纪大道 100 号" in html and 'id="map"' in html
    assert "总部机房" in tech.get("/work-orders/").content.decode()
    work_orders.work_order_arrive(actor=users.tech, work_order=order)
    request.refresh_from_db()
    assert request.status == "onsite"
    work_orders.work_order_depart(actor=users.tech, work_order=order)
    # As completion does (its paperwork is tested elsewhere): WO.FILE runs on the order.
    obligation_open(
        actor=users.tech, target=order, rule="WO.FILE", severity="P2", responsible=users.tech
    )
    html = page(users.manager).get(request.get_absolute_url()).content.decode()
    assert 'data-rule="WO.FILE"' in html and f'data-part="{order.number}"' in html
    # The timeline names who assigned the order.
    from aftersales.service.selectors import request_timeline

    assigned = next(e for e in request_timeline(request) if e.kind == "work_order")
    assert assigned.who == users.manager
