"""The stock API: who may book what, and answers that match the ledger."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from tests import factories

from aftersales.parts.models import Movement

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def stock(stock):
    return {
        **stock,
        "other_kit": factories.make_location(
            "KIT-2", "kit", factories.make_user("tech2", "technician")
        ),
    }


def receive(api, user, stock, **changes):
    body = {
        "item": stock["psu"].pk,
        "location": stock["depot"].pk,
        "quantity": "5",
        "unit_cost": "120.00",
        "document": "送货单 8812",
        **changes,
    }
    return api(user).post("/api/v1/stock-movements/receive/", body)


def test_the_warehouse_receives_and_the_ledger_and_balances_show_it(api, users, stock):
    response = receive(api, users.warehouse, stock)
    assert response.status_code == 201, response.content
    [row] = response.json()
    assert (row["kind"], row["quantity"], row["value"]) == ("receipt", "5.000", "600.00")
    assert row["document"] == "送货单 8812"
    balances = api(users.warehouse).get("/api/v1/stock-balances/", {"item": stock["psu"].pk})
    assert [(b["location_code"], b["quantity"]) for b in balances.json()["results"]] == [
        ("DEPOT", "5.000")
    ]
    ledger = api(users.finance).get("/api/v1/stock-movements/", {"item": stock["psu"].pk})
    assert ledger.json()["count"] == 1


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"quantity": "1.5"}, "quantity"),  # counted in whole units
        ({"quantity": "-2"}, "quantity"),
        ({"quantity": "0"}, "quantity"),
        ({"unit_cost": "-1"}, "unit_cost"),
        ({"item": 999999}, "item"),
        ({"location": 999999}, "location"),
        ({"at": "2026-12-01T10:00:00+08:00"}, "at"),
    ],
)
def test_bad_receipts_are_400_with_the_field_and_write_nothing(api, users, stock, changes, field):
    response = receive(api, users.warehouse, stock, **changes)
    assert response.status_code == 400 and field in response.json(), response.content
    assert not Movement.objects.exists()


def test_who_may_book_stock(api, users, stock, company_a):
    assert receive(api, users.agent, stock).status_code == 403  # no add permission
    assert receive(api, users.finance, stock).status_code == 403
    assert receive(api, company_a.user, stock).status_code == 403
    assert receive(api, users.nobody, stock).status_code == 403
    assert api().post("/api/v1/stock-movements/receive/", {}).status_code in (401, 403)
    # Receipts come from the warehouse: a technician books none, not even into their own
    # kit (issue 14 item 14), and the warehouse needs the supplier's delivery note.
    for where in (stock["depot"], stock["kit"], stock["other_kit"]):
        refused = receive(api, users.tech, stock, location=where.pk)
        assert refused.status_code == 400 and "location" in refused.json()
    unnoted = receive(api, users.warehouse, stock, document="")
    assert unnoted.status_code == 400 and "document" in unnoted.json()
    assert not Movement.objects.exists()


def test_a_technician_sees_only_their_kit_and_the_depot(api, users, stock, company_a):
    codes = {p["code"] for p in api(users.tech).get("/api/v1/stock-locations/").json()["results"]}
    assert codes == {"DEPOT", "KIT-TECH"}
    codes = {
        p["code"] for p in api(users.warehouse).get("/api/v1/stock-locations/").json()["results"]
    }
    assert codes == {"DEPOT", "KIT-TECH", "KIT-2"}
    assert api(company_a.user).get("/api/v1/stock-locations/").status_code == 403
    other = f"/api/v1/stock-locations/{stock['other_kit'].pk}/"
    assert api(users.tech).get(other).status_code == 404


def test_issue_return_transfer_write_off_and_count_through_the_api(api, users, stock):
    receive(api, users.warehouse, stock)
    wh, tech = api(users.warehouse), api(users.tech)
    moved = wh.post(
        "/api/v1/stock-movements/transfer/",
        {
            "item": stock["psu"].pk,
            "source": stock["depot"].pk,
            "target": stock["kit"].pk,
            "quantity": "2",
        },
    )
    assert moved.status_code == 201 and [r["kind"] for r in moved.json()] == [
        "transfer_out",
        "transfer_in",
    ]
    body = {"work_order": stock["order"].pk, "item": stock["psu"].pk, "location": stock["kit"].pk}
    assert tech.post("/api/v1/stock-movements/issue/", {**body, "quantity": "2"}).status_code == 201
    too_many = tech.post("/api/v1/stock-movements/issue/", {**body, "quantity": "1"})
    assert too_many.status_code == 400 and "quantity" in too_many.json()
    assert (
        tech.post("/api/v1/stock-movements/return/", {**body, "quantity": "1"}).status_code == 201
    )
    off = wh.post(
        "/api/v1/stock-movements/write-off/",
        {"item": stock["psu"].pk, "location": stock["depot"].pk, "quantity": "1", "reason": ""},
    )
    assert off.status_code == 400 and "reason" in off.json()
    counted = wh.post(
        "/api/v1/stock-movements/count/",
        {"location": stock["depot"].pk, "lines": [{"item": stock["psu"].pk, "counted": "2"}]},
    )
    assert counted.status_code == 201 and counted.json()[0]["quantity"] == "-1.000"
    assert (
        wh.post(
            "/api/v1/stock-movements/count/", {"location": stock["depot"].pk, "lines": []}
        ).status_code
        == 400
    )
    by_order = (
        api(users.manager).get("/api/v1/stock-movements/", {"work_order": stock["order"].pk}).json()
    )
    assert [r["kind"] for r in by_order["results"]] == ["return", "issue"]


def test_reconciliation_and_closing_months(api, users, stock, company_a):
    with time_machine.travel(dt.datetime(2026, 10, 10, 10, tzinfo=SH), tick=False):
        receive(api, users.warehouse, stock)
    data = api(users.finance).get("/api/v1/stock-reconciliation/", {"month": "2026-10"}).json()
    assert data["closed"] is False
    assert [(r["code"], r["in_qty"], r["closing_value"]) for r in data["rows"]] == [
        ("PS-200", "5.000", "600.00")
    ]
    bad = api(users.finance).get("/api/v1/stock-reconciliation/", {"month": "2026-13"})
    assert bad.status_code == 400 and "month" in bad.json()
    assert (
        api(company_a.user).get("/api/v1/stock-reconciliation/", {"month": "2026-10"}).status_code
        == 403
    )
    assert (
        api(users.warehouse).post("/api/v1/stock-periods/", {"month": "2026-10-01"}).status_code
        == 403
    )
    closed = api(users.finance).post("/api/v1/stock-periods/", {"month": "2026-10-01"})
    assert closed.status_code == 201, closed.content
    again = api(users.finance).post("/api/v1/stock-periods/", {"month": "2026-10-01"})
    assert again.status_code in (400, 409)
    late = receive(api, users.warehouse, stock, at="2026-10-31T12:00:00+08:00")
    assert late.status_code == 409
    assert (
        api(users.finance)
        .get("/api/v1/stock-reconciliation/", {"month": "2026-10"})
        .json()["closed"]
        is True
    )
