"""Rules: R-WO-1 (a technician or a team assigned, the customer told the arrival)."""

import datetime as dt

import pytest
from django.utils import timezone
from tests import factories

from aftersales.service import selectors, work_orders
from aftersales.service.models import StatusChange, WorkOrder

pytestmark = pytest.mark.django_db


@pytest.fixture
def crew(users):
    users.tech.region, users.tech.skills = "华东", "监控"
    users.tech.save()
    north = factories.make_user("tech_north", "technician", region="华北", skills="电源,网络，电源")
    return {"east": users.tech, "north": north}


def test_the_suggestion_prefers_the_customers_region_then_fewest_jobs(users, company_a, crew):
    request = factories.make_request(company_a.customer, actor=users.agent)  # company A: 华东
    board = selectors.technician_board()
    assert selectors.suggest_technician(request, board) == crew["east"]
    for _ in range(2):
        other = factories.make_request(company_a.customer, actor=users.agent)
        work_orders.work_order_create(
            actor=users.manager, service_request=other, technician=crew["east"]
        )
    company_a.customer.region = ""
    company_a.customer.save()
    request.refresh_from_db()
    board = selectors.technician_board()
    assert selectors.suggest_technician(request, board) == crew["north"]  # fewer open jobs


def test_a_team_gets_one_order_each_and_the_customer_is_told_the_arrival(users, company_a, crew):
    request = factories.make_request(company_a.customer, actor=users.agent, severity="P1")
    arrival = timezone.now() + dt.timedelta(hours=3)
    orders = work_orders.dispatch(
        actor=users.manager,
        service_request=request,
        technicians=[crew["east"], crew["north"]],
        planned_arrival=arrival,
    )
    assert len(orders) == 2 and {o.technician for o in orders} == set(crew.values())
    assert all(o.planned_arrival == arrival for o in orders)
    notes = list(StatusChange.objects.filter(request=request).values_list("note", flat=True))
    assert sum("planned arrival" in n or "预计到达" in n for n in notes) == 2


def test_a_planned_arrival_in_the_past_is_refused(users, company_a, crew):

    request = factories.make_request(company_a.customer, actor=users.agent)
    with factories.refused("planned_arrival"):
        work_orders.dispatch(
            actor=users.manager,
            service_request=request,
            technicians=[crew["east"]],
            planned_arrival=timezone.now() - dt.timedelta(hours=1),
        )
    assert not WorkOrder.objects.exists()


def test_the_dispatch_page_shows_the_queue_the_board_and_assigns(page, users, company_a, crew):
    request = factories.make_request(company_a.customer, actor=users.agent)
    client = page(users.manager)
    html = client.get("/dispatch/").content.decode()
    assert f'data-number="{request.number}"' in html
    assert 'data-suggested="tech"' in html and 'data-tech="tech_north"' in html
    assert "华北 · 电源、网络" in html  # typed with either comma, listed the Chinese way
    response = client.post("/dispatch/", {"request": request.pk, "technicians": [crew["north"].pk]})
    assert response.status_code == 302
    assert WorkOrder.objects.get().technician == crew["north"]
    assert f'data-number="{request.number}"' not in client.get("/dispatch/").content.decode()


@pytest.mark.parametrize("role", ["tech", "quality", "gm"])
def test_only_dispatchers_open_the_board(page, users, role, company_a):
    assert page(getattr(users, role)).get("/dispatch/").status_code == 403
    assert page(company_a.user).get("/dispatch/").status_code == 403


def test_the_board_shows_time_left_and_each_technicians_day(page, users, company_a, crew):
    from aftersales.service import service_requests

    waiting = factories.make_request(company_a.customer, actor=users.agent, severity="P1")
    service_requests.service_request_go_onsite(actor=users.manager, request=waiting)
    busy = factories.make_request(company_a.customer, actor=users.agent)
    today = timezone.localtime().replace(hour=23, minute=0, second=0, microsecond=0)
    work_orders.work_order_create(
        actor=users.manager, service_request=busy, technician=crew["east"], planned_arrival=today
    )
    html = page(users.manager).get("/dispatch/").content.decode()
    card = html[html.index(f'data-number="{waiting.number}"') :]
    card = card[: card.index("</form>")]
    assert 'data-left="arrive"' in card and 'data-left="resolve"' in card
    assert "到场：剩余" in card
    east = html[html.index('data-tech="tech"') : html.index('data-tech="tech_north"')]
    assert f"23:00 {company_a.customer}" in east and "今天空闲" not in east
    north = html[html.index('data-tech="tech_north"') :]
    assert "今天空闲" in north[: north.index("</ul>")]


def test_a_technicians_day_counts_visits_done_and_jobs_with_no_time_yet(users, company_a, crew):
    """Found by a trial: after two visits done today the board said 今天空闲."""
    done = factories.make_request(company_a.customer, actor=users.agent)
    order = work_orders.work_order_create(
        actor=users.manager, service_request=done, technician=crew["east"]
    )
    factories.finish_visit(order)
    untimed = factories.make_request(company_a.customer, actor=users.agent)
    later = work_orders.work_order_create(
        actor=users.manager, service_request=untimed, technician=crew["east"]
    )
    today = selectors.visits_planned(timezone.localdate())
    assert [o.pk for o in today[crew["east"].pk]] == [order.pk, later.pk]
    assert crew["north"].pk not in today


def test_a_request_waiting_for_its_quote_is_marked_not_offered(page, users, company_a, crew):
    old = factories.make_equipment(
        company_a.customer,
        serial_number="OLD-9",
        accepted_on=dt.date(2020, 1, 1),
        warranty_months=12,
        maintenance_months=0,
    )
    request = factories.make_request(
        company_a.customer, actor=users.agent, serial_number=old.serial_number
    )
    assert request.charge == "quoted"  # out of warranty: priced before anyone goes
    html = page(users.manager).get("/dispatch/").content.decode()
    card = html[html.index(f'data-number="{request.number}"') :]
    card = card[: card.index('class="card mb-2"') if 'class="card mb-2"' in card else len(card)]
    assert 'data-waits="quote"' in card and 'name="technicians"' not in card
