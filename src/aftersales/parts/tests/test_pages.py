"""The stock pages: who sees them, and that they do what their buttons say."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook
from tests import factories

from aftersales.customers.services import part_item_update
from aftersales.parts import selectors, services
from aftersales.parts.models import Movement, PeriodClose

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def stock(users, stock):
    services.stock_receive(
        document="供应商送货单",
        actor=users.warehouse,
        item=stock["psu"],
        location=stock["depot"],
        quantity=5,
        unit_cost=100,
    )
    return stock


PAGES = ["/parts/", "/parts/reconciliation/"]


def test_staff_see_the_stock_pages_customers_and_outsiders_do_not(page, users, company_a, stock):
    item = f"/parts/items/{stock['psu'].pk}/"
    for user in (users.warehouse, users.finance, users.manager, users.agent, users.tech):
        for url in [*PAGES, item]:
            if user == users.tech and url.startswith("/parts/reconciliation/"):
                continue  # the books are management's (found by a trial)
            assert page(user).get(url).status_code == 200, (user, url)
    assert page(users.tech).get("/parts/reconciliation/").status_code == 403
    assert page(users.tech).get("/complaints/review/").status_code == 403
    assert page(users.tech).get("/surveys/analysis/").status_code == 403
    for user in (company_a.user, users.nobody):
        for url in [*PAGES, item, "/parts/receive/", "/parts/count/"]:
            assert page(user).get(url).status_code == 403, (user, url)


def test_only_those_who_book_stock_get_the_forms(page, users, stock):
    for url in ("/parts/receive/", "/parts/transfer/", "/parts/write-off/", "/parts/count/"):
        assert page(users.warehouse).get(url).status_code == 200
        assert page(users.finance).get(url).status_code == 403
        assert page(users.agent).get(url).status_code == 403
    assert page(users.warehouse).get("/parts/nonsense/").status_code == 404


def test_receiving_on_the_page_books_it_and_shows_the_item(page, users, stock):
    client = page(users.warehouse)
    response = client.post(
        "/parts/receive/",
        {
            "item": "ps-200",
            "location": stock["depot"].pk,
            "quantity": "3",
            "unit_cost": "110",
            "document": "送货单 2026-118",
        },
    )
    assert (
        response.status_code == 302 and response["Location"] == f"/parts/items/{stock['psu'].pk}/"
    )
    assert selectors.on_hand(stock["psu"]) == 8
    html = client.get(response["Location"]).content.decode()
    assert "送货单 2026-118" in html and 'id="on-hand">8<' in html


def test_a_bad_receipt_shows_the_error_and_books_nothing(page, users, stock):
    before = Movement.objects.count()
    response = page(users.warehouse).post(
        "/parts/receive/",
        {"item": "PS-200", "location": stock["depot"].pk, "quantity": "1.5", "unit_cost": "1"},
    )
    assert response.status_code == 200 and "field-error" in response.content.decode()
    response = page(users.warehouse).post(
        "/parts/receive/",
        {"item": "NOPE", "location": stock["depot"].pk, "quantity": "1", "unit_cost": "1"},
    )
    assert "field-error" in response.content.decode()
    assert Movement.objects.count() == before


def test_the_overview_lists_balances_and_what_to_reorder(page, users, stock):
    part_item_update(actor=None, part_item=stock["psu"], reorder_level=5)
    html = page(users.warehouse).get("/parts/").content.decode()
    assert 'data-item="PS-200" data-location="DEPOT"' in html
    assert 'id="reorder"' in html and 'data-code="PS-200"' in html
    html = page(users.warehouse).get("/parts/", {"q": "XX"}).content.decode()
    assert 'data-item="PS-200"' not in html


def test_the_overview_takes_the_same_queries_for_many_items(page, users, stock):
    client = page(users.warehouse)
    before = factories.count_queries(client, "/parts/")
    for n in range(10):
        item = factories.make_part(f"X-{n}")
        services.stock_receive(
            document="供应商送货单",
            actor=users.warehouse,
            item=item,
            location=stock["depot"],
            quantity=1,
            unit_cost=1,
        )
    assert factories.count_queries(client, "/parts/") == before


def test_a_count_on_the_page_books_the_differences(page, users, stock):
    client = page(users.warehouse)
    url = f"/parts/count/?location={stock['depot'].pk}"
    assert "count-" in client.get(url).content.decode()
    client.post(url, {f"count-{stock['psu'].pk}": "4", "note": "月末盘点"})
    assert selectors.on_hand(stock["psu"], stock["depot"]) == 4
    assert Movement.objects.filter(kind="count").count() == 1


def test_the_technician_uses_parts_from_their_kit_on_the_order_page(page, users, stock):
    services.stock_transfer(
        actor=users.warehouse,
        item=stock["psu"],
        source=stock["depot"],
        target=stock["kit"],
        quantity=2,
    )
    client = page(users.tech)
    url = f"/work-orders/{stock['order'].pk}/"
    html = client.get(url).content.decode()
    assert 'id="parts-used"' in html and 'id="issue-part"' in html
    client.post(
        f"{url}parts/",
        {"item": "PS-200", "location": stock["kit"].pk, "quantity": "1", "step": "issue"},
    )
    assert selectors.on_hand(stock["psu"], stock["kit"]) == 1
    # The depot is not theirs: refused, nothing booked.
    client.post(
        f"{url}parts/",
        {"item": "PS-200", "location": stock["depot"].pk, "quantity": "1", "step": "issue"},
    )
    assert selectors.on_hand(stock["psu"], stock["depot"]) == 3
    html = client.get(url).content.decode()
    assert 'data-kind="issue"' in html and "PS-200" in html
    # Another technician cannot reach this order's parts at all.
    other = factories.make_user("tech7", "technician")
    assert page(other).post(f"{url}parts/", {"item": "PS-200"}).status_code == 404


def test_finance_downloads_and_closes_the_month(page, users, stock):
    with time_machine.travel(dt.datetime(2026, 12, 2, 10, tzinfo=SH), tick=False):
        client = page(users.finance)
        html = client.get("/parts/reconciliation/", {"month": "2026-11"}).content.decode()
        assert 'data-code="PS-200"' in html and 'id="close-month"' in html
        download = client.get("/parts/reconciliation/", {"month": "2026-11", "format": "xlsx"})
        sheet = load_workbook(filename=io.BytesIO(download.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[2][0] == "PS-200" and rows[2][-1] == 500  # closing value
        assert (
            page(users.warehouse)
            .post("/parts/reconciliation/close/", {"month": "2026-11"})
            .status_code
            == 403
        )
        client = page(users.finance)  # the one test client, logged in again
        client.post("/parts/reconciliation/close/", {"month": "2026-11"})
        assert PeriodClose.objects.filter(month=dt.date(2026, 11, 1)).exists()
        assert (
            'id="closed"'
            in client.get("/parts/reconciliation/", {"month": "2026-11"}).content.decode()
        )
