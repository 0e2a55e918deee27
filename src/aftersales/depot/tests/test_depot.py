"""Depot repair (R-WO-8): ceil(n/10) working days, across a holiday; return visit hook."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from tests import factories

from aftersales.depot import services as depot
from aftersales.depot.models import RepairBatch, RepairUnit
from aftersales.feedback.models import Visit

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
# Friday 2026-09-25, 10:00, the Mid-Autumn holiday. Working days after it: Mon 28,
# Tue 29, Wed 30, then National Day (Oct 1-7), Thu 8, Fri 9, Sat 10 (a make-up
# workday), Mon 12.
RECEIVED = dt.datetime(2026, 9, 25, 10, 0, tzinfo=SH)


def units(n, prefix="RT"):
    return [{"serial_number": f"{prefix}-{i:03d}", "fault": "不开机"} for i in range(n)]


def due(batch, rule="DEPOT.REPAIR"):
    return batch.obligations.get(rule=rule).due_at


@pytest.fixture
def frozen():
    with time_machine.travel(RECEIVED, tick=False):
        yield


@pytest.mark.parametrize(
    "n, expected",
    [
        (1, dt.datetime(2026, 9, 28, 18, 0, tzinfo=SH)),  # 1 working day
        (10, dt.datetime(2026, 9, 28, 18, 0, tzinfo=SH)),
        (11, dt.datetime(2026, 9, 29, 18, 0, tzinfo=SH)),  # 2 working days
        (35, dt.datetime(2026, 10, 8, 18, 0, tzinfo=SH)),  # 4: over National Day
        (61, dt.datetime(2026, 10, 12, 18, 0, tzinfo=SH)),  # 7: through the make-up Saturday
    ],
)
def test_depot_repair_is_due_in_ceil_n_over_ten_working_days(users, company_a, frozen, n, expected):
    batch = depot.repair_batch_receive(
        actor=users.agent, customer=company_a.customer, units=units(n)
    )
    assert batch.number == "FX-2026-000001" and batch.units.count() == n
    assert due(batch) == expected


def test_the_last_unit_finished_meets_the_limit_and_delivery_starts_the_return_visit(
    users, company_a, frozen
):
    batch = depot.repair_batch_receive(
        actor=users.agent,
        customer=company_a.customer,
        units=[{"serial_number": "A-0001", "fault": "硬盘报警"}, *units(2)],
    )
    first, second, third = batch.units.all()
    assert first.equipment == company_a.equipment  # a serial we know is linked
    depot.repair_unit_finish(actor=users.tech, unit=first, repaired=True, result="更换硬盘")
    depot.repair_unit_finish(actor=users.tech, unit=second, repaired=False, result="主板烧毁")
    with factories.refused(conflict="所有设备处理完毕后才能发回"):
        depot.repair_batch_ship(actor=users.agent, batch=batch)
    with factories.refused(conflict="已处理完毕"):
        depot.repair_unit_finish(actor=users.tech, unit=first, repaired=True, result="again")
    with time_machine.travel(RECEIVED + dt.timedelta(hours=5), tick=False):
        depot.repair_unit_finish(actor=users.tech, unit=third, repaired=True, result="清洁")
    batch.refresh_from_db()
    limit = batch.obligations.get(rule="DEPOT.REPAIR")
    assert batch.status == "repaired" and limit.state == "met"
    assert limit.met_at == RECEIVED + dt.timedelta(hours=5)
    with factories.refused(conflict="只有已发回的批次才能登记客户收货"):
        depot.repair_batch_delivered(actor=users.agent, batch=batch)
    with time_machine.travel(RECEIVED + dt.timedelta(days=1), tick=False):
        depot.repair_batch_ship(actor=users.agent, batch=batch)
    with time_machine.travel(RECEIVED + dt.timedelta(days=3), tick=False), factories.committed():
        depot.repair_batch_delivered(actor=users.agent, batch=batch)
    batch.refresh_from_db()
    assert batch.status == "delivered"
    # The feedback app planned the return visit, due 3 days after the delivery.
    visit = Visit.objects.get(repair_batch=batch)
    limit = visit.obligations.get(rule="FB.RETURN_VISIT")
    assert visit.kind == "depot" and visit.customer == batch.customer
    assert limit.state == "running" and limit.due_at == RECEIVED + dt.timedelta(days=6)


@pytest.mark.parametrize(
    "lines, message_part",
    [
        ([], "at least one"),
        ([{"serial_number": "", "fault": "x"}], "serial"),
        ([{"serial_number": "X-1", "fault": ""}], "wrong"),
        ([{"serial_number": "X-1", "fault": "a"}, {"serial_number": "X-1", "fault": "b"}], "twice"),
        ([{"serial_number": "B-0001", "fault": "a"}], "another customer"),
    ],
)
def test_bad_batches_are_refused_and_nothing_is_written(
    users, company_a, company_b, frozen, lines, message_part, settings
):
    settings.LANGUAGE_CODE = "en"
    with pytest.raises(ValidationError) as refused:
        depot.repair_batch_receive(actor=users.agent, customer=company_a.customer, units=lines)
    assert message_part in " ".join(refused.value.message_dict["units"])
    assert not RepairBatch.objects.exists() and not RepairUnit.objects.exists()


def test_the_api_receives_finishes_ships_and_scopes_batches(
    api, users, company_a, company_b, frozen
):
    created = api(users.agent).post(
        "/api/v1/repair-batches/",
        {"customer": company_a.customer.pk, "units": units(12)},
    )
    assert created.status_code == 201, created.content
    data = created.json()
    assert [(o["rule"], o["due_at"]) for o in data["obligations"]] == [
        ("DEPOT.REPAIR", "2026-09-29T18:00:00+08:00")
    ]
    url = f"/api/v1/repair-batches/{data['id']}"
    unit = data["units"][0]["id"]
    bad = api(users.tech).post(f"{url}/finish/", {"unit": unit, "repaired": True, "result": ""})
    assert bad.status_code == 400 and "result" in bad.json()
    done = api(users.tech).post(f"{url}/finish/", {"unit": unit, "repaired": True, "result": "好"})
    assert done.json()["units"][0]["status"] == "repaired"
    assert api(users.agent).post(f"{url}/ship/", {}).status_code == 409
    assert api(company_a.user).get(f"{url}/").status_code == 200
    assert api(company_b.user).get(f"{url}/").status_code == 404
    assert api(company_a.user).post(f"{url}/ship/", {}).status_code == 403
    assert api(users.finance).post("/api/v1/repair-batches/", {}).status_code == 403
    assert api(users.nobody).get("/api/v1/repair-batches/").status_code == 403


def test_the_depot_pages_receive_and_finish(page, users, company_a, company_b, frozen):
    client = page(users.agent)
    response = client.post(
        "/depot/new/",
        {"customer": company_a.customer.pk, "lines": "RT-1, 不开机\nRT-2，风扇异响\n"},
    )
    batch = RepairBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/depot/{batch.pk}/"
    assert list(batch.units.values_list("fault", flat=True)) == ["不开机", "风扇异响"]
    html = client.get("/depot/").content.decode()
    assert f'data-number="{batch.number}"' in html
    tech = page(users.tech)
    for unit in batch.units.all():
        tech.post(
            f"/depot/{batch.pk}/",
            {"step": "finish", "unit": unit.pk, "repaired": "1", "result": "修复"},
        )
    batch.refresh_from_db()
    assert batch.status == "repaired"
    bad = page(users.agent).post(
        "/depot/new/", {"customer": company_a.customer.pk, "lines": "B-0001, x"}
    )
    assert "field-error" in bad.content.decode() or "alert-danger" in bad.content.decode()
    assert RepairBatch.objects.count() == 1
    assert page(company_b.user).get(f"/depot/{batch.pk}/").status_code == 404
    assert page(users.nobody).get("/depot/").status_code == 403
    assert page(company_a.user).post(f"/depot/{batch.pk}/", {"step": "ship"}).status_code == 403
