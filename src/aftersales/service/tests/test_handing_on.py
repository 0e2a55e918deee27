"""Handing a job on (R-WO-1, R-WO-2): the technician hears of a job given and of one
voided; a replacement order keeps the arrival the customer was told; a technician
follows links only to the orders they may open."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from tests import factories

from aftersales.obligations.models import Notification
from aftersales.service import work_orders

pytestmark = pytest.mark.django_db


def test_the_technician_hears_of_a_job_and_of_its_void(users, company_a):
    request = factories.make_request(company_a.customer, actor=users.agent)
    order = work_orders.work_order_create(
        actor=users.manager, service_request=request, technician=users.tech
    )
    given = Notification.objects.get(user=users.tech)
    assert order.number in given.message and request.number in given.message
    assert given.url == order.get_absolute_url()
    work_orders.work_order_void(actor=users.manager, work_order=order, reason="填错客户")
    assert Notification.objects.filter(user=users.tech, message__contains="填错客户").exists()
    assert not Notification.objects.filter(user=users.manager).exists()  # not of their own act


def test_a_replacement_keeps_the_arrival_told_unless_a_new_one_is_given(users, company_a):
    tech2 = factories.make_user("tech_two", "technician")
    request = factories.make_request(company_a.customer, actor=users.agent)
    told = timezone.now() + dt.timedelta(hours=4)
    first = work_orders.dispatch(
        actor=users.manager, service_request=request, technicians=[users.tech], planned_arrival=told
    )[0]
    second = work_orders.work_order_replace(
        actor=users.manager, work_order=first, reason="换人", technician=tech2
    )
    assert second.planned_arrival == told and second.technician == tech2
    later = told + dt.timedelta(hours=2)
    third = work_orders.work_order_replace(
        actor=users.manager, work_order=second, reason="再换", planned_arrival=later
    )
    assert third.planned_arrival == later
    with factories.refused("planned_arrival"):
        work_orders.work_order_replace(
            actor=users.manager,
            work_order=third,
            reason="x",
            planned_arrival=timezone.now() - dt.timedelta(days=1),
        )


def test_a_technician_is_not_led_to_orders_they_may_not_open(page, users, company_a):
    tech2 = factories.make_user("tech_two", "technician")
    request = factories.make_request(company_a.customer, actor=users.agent)
    first = work_orders.work_order_create(
        actor=users.manager, service_request=request, technician=users.tech
    )
    second = work_orders.work_order_replace(
        actor=users.manager, work_order=first, reason="换人", technician=tech2
    )
    client = page(tech2)
    html = client.get(request.get_absolute_url()).content.decode()
    assert f'href="/work-orders/{second.pk}/"' in html
    assert f'href="/work-orders/{first.pk}/"' not in html and first.number in html
    assert client.get(f"/work-orders/{first.pk}/").status_code == 404
    shown = client.get(f"/work-orders/{second.pk}/").content.decode()
    assert first.number in shown and f'href="/work-orders/{first.pk}/"' not in shown
    manager = page(users.manager).get(f"/work-orders/{second.pk}/").content.decode()
    assert f'href="/work-orders/{first.pk}/"' in manager


def test_a_limit_past_due_after_hours_reads_late_not_zero_left(users, company_a):
    """A P3's plan (4 working hours) asked at 14:00 is due 18:00; read at 21:00 it is not
    one working minute late yet, but it is late — never "0 minutes left"."""
    import time_machine

    from aftersales.obligations.sweep import minutes_left
    from aftersales.obligations.templatetags.time_limits import time_left

    monday = dt.datetime(2026, 9, 21, 14, 0, tzinfo=timezone.get_current_timezone())
    with time_machine.travel(monday, tick=False):
        request = factories.make_request(company_a.customer, actor=users.agent, severity="P3")
    respond = request.obligations.get(rule="SR.RESPOND")
    assert timezone.localtime(respond.due_at).hour == 18
    with time_machine.travel(monday.replace(hour=21), tick=False):
        left = minutes_left(respond)
        assert left is not None and left < 0
        assert "超时 3 小时" in time_left(respond, left)


def test_a_replacement_to_another_technician_takes_the_limits_with_it(users, company_a):
    tech2 = factories.make_user("tech_two", "technician")
    request = factories.make_request(company_a.customer, actor=users.agent)
    first = work_orders.work_order_create(
        actor=users.manager, service_request=request, technician=users.tech
    )
    owned = {o.rule for o in request.obligations.filter(responsible=users.tech)}
    assert {"SR.RESPOND", "SR.RESOLVE", "WO.PAPERS"} <= owned
    work_orders.work_order_replace(
        actor=users.manager, work_order=first, reason="改派", technician=tech2
    )
    moved = {o.rule for o in request.obligations.filter(responsible=tech2)}
    assert owned <= moved
    assert not request.obligations.filter(
        responsible=users.tech, state__in=["running", "breached", "paused"]
    ).exists()
