"""Sales orders on their pages and in the API: sales record them, everyone in the office
reads them, technicians and customers do not."""

import io

import pytest
from openpyxl import load_workbook
from tests import factories

from aftersales.customers.models import Equipment
from aftersales.sales.models import SalesOrder

pytestmark = pytest.mark.django_db


def test_sales_record_an_order_on_the_page_and_the_unit_starts_its_life_there(
    page, users, company_a
):
    factories.make_product_model("HX-NVR-6400")
    client = page(users.sales)
    posted = {
        "number": "SO-2026-0001",
        "customer": company_a.customer.pk,
        "ordered_on": "2026-11-02",
        "salesperson": users.sales.pk,
        "item-1": "HX-NVR-6400",
        "quantity-1": "1",
        "unit_price-1": "12800",
        "shipped_on-1": "2026-11-05",
        "serial_numbers-1": "NVR-9",
        "item-2": "电源适配器",
        "quantity-2": "3",
    }
    refused = client.post("/sales/orders/new/", posted | {"shipped_on-1": "2026-10-01"})
    assert refused.status_code == 400 and 'value="NVR-9"' not in refused.content.decode()
    assert "第 1 行" in refused.content.decode() and "NVR-9</textarea>" in refused.content.decode()
    answer = client.post("/sales/orders/new/", posted)
    order = SalesOrder.objects.get()
    assert answer.url == order.get_absolute_url() and order.lines.count() == 2
    unit = Equipment.objects.get(serial_number="NVR-9")
    assert str(unit.purchased_on) == "2026-11-02" and str(unit.delivered_on) == "2026-11-05"
    history = client.get(f"/equipment/{unit.pk}/").content.decode()
    assert 'data-kind="sale"' in history and "SO-2026-0001" in history
    customer = client.get(f"/customers/{company_a.customer.pk}/").content.decode()
    assert 'data-order="SO-2026-0001"' in customer
    sheet = client.get("/sales/orders/?format=xlsx")
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "订单号*" and rows[0][9] == "交付的序列号"  # the import's columns
    assert rows[1][0] == "SO-2026-0001" and rows[1][6] == 1 and rows[1][9] == "NVR-9"
    assert rows[2][4] == "电源适配器" and rows[2][6] == 3  # numbers, not text


def test_who_may_read_and_record_orders(page, api, users, company_a):
    factories.make_product_model("HX-NVR-6400")
    made = api(users.sales).post(
        "/api/v1/sales-orders/",
        {
            "number": "SO-9",
            "customer": company_a.customer.pk,
            "ordered_on": "2026-11-02",
            "lines": [{"item": "HX-NVR-6400", "quantity": 1, "serial_numbers": ["NVR-10"]}],
        },
        format="json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["lines"][0]["serial_numbers"] == ["NVR-10"]
    unit = Equipment.objects.get(serial_number="NVR-10")
    read = api(users.agent).get(f"/api/v1/equipment/{unit.pk}/").json()
    assert read["purchase_date"] == "2026-11-02"
    url = f"/sales/orders/{made.json()['id']}/"
    assert page(users.agent).get(url).status_code == 200
    assert page(users.agent).get("/sales/orders/new/").status_code == 403
    assert page(users.tech).get(url).status_code == 403
    assert page(company_a.user).get(url).status_code == 403
    assert api(company_a.user).get("/api/v1/sales-orders/").status_code == 403
    assert api(users.tech).get("/api/v1/sales-orders/").status_code == 403
    again = api(users.sales).post(
        "/api/v1/sales-orders/",
        {
            "number": "SO-9",
            "customer": company_a.customer.pk,
            "ordered_on": "2026-11-02",
            "lines": [{"item": "X", "quantity": 1}],
        },
        format="json",
    )
    assert again.status_code == 400 and "number" in again.json()
