"""Sales orders (R-CUS-6): an order's lines deliver units, whose purchase date is the
order's; the returns window and a warranty without acceptance count from it."""

import datetime as dt

import pytest
from django.utils import timezone
from tests import factories

from aftersales.customers.models import Equipment
from aftersales.returns.services import return_request_create
from aftersales.sales.models import SalesOrder
from aftersales.sales.services import sales_order_create

pytestmark = pytest.mark.django_db


def order(users, customer, number="SO-1", ordered_on=None, **line):
    model = factories.make_product_model("HX-NVR-6400")
    return sales_order_create(
        actor=users.sales,
        number=number,
        customer=customer,
        ordered_on=ordered_on or timezone.localdate(),
        salesperson=users.sales,
        lines=[
            {
                "item": model.code,
                "quantity": 2,
                "unit_price": "12800.00",
                "shipped_on": ordered_on or timezone.localdate(),
                "serial_numbers": ["NVR-001", "NVR-002"],
            }
            | line
        ],
    )


def test_an_order_delivers_its_units_bought_on_its_date(users, company_a):
    day = timezone.localdate() - dt.timedelta(days=30)
    made = order(users, company_a.customer, ordered_on=day)
    units = Equipment.objects.filter(serial_number__in=["NVR-001", "NVR-002"])
    assert [(u.customer_id, u.purchased_on, u.delivered_on) for u in units] == [
        (company_a.customer.pk, day, day)
    ] * 2
    # No acceptance recorded: the warranty (12 months) runs from the purchase.
    assert units[0].warranty_until == day.replace(year=day.year + 1) - dt.timedelta(days=1)
    assert list(made.lines.get().units.values_list("equipment__serial_number", flat=True)) == [
        "NVR-001",
        "NVR-002",
    ]


def test_a_return_counts_its_seven_days_from_the_sales_record(users, company_a):
    """第十七条 from the record: day 7 is taken, day 8 refused, whatever date is typed."""
    today = timezone.localdate()
    order(users, company_a.customer, "SO-7", today - dt.timedelta(days=7), serial_numbers=["S7"])
    order(users, company_a.customer, "SO-8", today - dt.timedelta(days=8), serial_numbers=["S8"])
    asked = {
        "actor": users.agent,
        "customer": company_a.customer,
        "kind": "exchange",
        "purchased_on": today,  # typed wrong: the record wins
        "problem": "开机无图像",
        "caused_by_misuse": False,
        "proof_checked": True,
        "packaging_intact": True,
    }
    made = return_request_create(equipment=Equipment.objects.get(serial_number="S7"), **asked)
    assert made.purchased_on == today - dt.timedelta(days=7)
    with factories.refused("purchased_on"):
        return_request_create(equipment=Equipment.objects.get(serial_number="S8"), **asked)


def test_bad_orders_are_refused_and_nothing_is_written(users, company_a, company_b):
    order(users, company_a.customer)
    for number, line, field in [
        ("SO-1", {}, "number"),  # recorded already
        ("SO-2", {"serial_numbers": ["B-0001"]}, "lines-1"),  # another company's unit
        ("SO-3", {"serial_numbers": ["NVR-001"]}, "lines-1"),  # sold on SO-1
        ("SO-3", {"serial_numbers": ["nvr-001"]}, "lines-1"),  # the same, in small letters
        ("SO-4", {"serial_numbers": ["X1", "X2", "X3"]}, "lines-1"),  # more than 2
        ("SO-5", {"serial_numbers": ["X1", "x1"]}, "lines"),  # twice
        ("SO-6", {"item": "电源线", "serial_numbers": ["X9"]}, "lines-1"),  # not a model
        ("SO-7", {"quantity": 0}, "lines-1"),
        ("SO-8", {"shipped_on": dt.date(1999, 1, 1)}, "lines-1"),
    ]:
        with factories.refused(field):
            order(users, company_a.customer, number, **line)
    assert SalesOrder.objects.count() == 1
    assert not Equipment.objects.filter(serial_number__in=["X1", "X9"]).exists()


def test_a_quality_complaint_quotes_the_order_of_the_unit(page, users, company_a):
    """000 §13.2.1: 订单编号、料号、交运日期、数量、不良数量, from the sales record."""
    from aftersales.complaints.models import Complaint

    day = timezone.localdate() - dt.timedelta(days=20)
    order(users, company_a.customer, "SO-Q", day)
    posted = {
        "complainant_name": "刘建国",
        "complainant_phone": "13812345678",
        "customer": company_a.customer.pk,
        "channel": "phone",
        "category": "product_quality",
        "target_kind": "product",
        "demand": "更换",
        "description": "录像机频繁重启",
        "serial_number": "nvr-002",
    }
    client = page(users.agent)
    refused = client.post("/complaints/new/", posted | {"defective_quantity": "3"})
    assert "不良数量不能多于交付数量" in refused.content.decode()
    assert not Complaint.objects.exists()
    wrong = client.post("/complaints/new/", posted | {"serial_number": "B-0001"})
    assert "该客户没有此序列号的设备" in wrong.content.decode()
    client.post("/complaints/new/", posted)
    made = Complaint.objects.get()
    assert (made.order_number, made.part_number, made.shipped_on) == ("SO-Q", "HX-NVR-6400", day)
    assert (made.quantity, made.defective_quantity) == (2, 1)
    html = client.get(made.get_absolute_url()).content.decode()
    assert 'id="product"' in html and "SO-Q" in html


def test_a_returns_page_names_the_order_the_purchase_date_comes_from(page, users, company_a):
    today = timezone.localdate()
    order(users, company_a.customer, "SO-R", today - dt.timedelta(days=2))
    made = return_request_create(
        actor=users.agent,
        customer=company_a.customer,
        equipment=Equipment.objects.get(serial_number="NVR-001"),
        kind="exchange",
        problem="开机无图像",
        caused_by_misuse=False,
        proof_checked=True,
        packaging_intact=True,
    )
    html = page(users.agent).get(made.get_absolute_url()).content.decode()
    assert 'id="sale"' in html and "SO-R" in html


def test_a_sold_unit_is_in_warranty_from_its_sale_and_shows_its_purchase_date(
    page, users, company_a
):
    from aftersales.customers.selectors import filter_by_warranty_status

    day = timezone.localdate() - dt.timedelta(days=30)
    order(users, company_a.customer, ordered_on=day, unit_price="3,200")
    unit = Equipment.objects.get(serial_number="NVR-001")
    assert unit.accepted_on is None and unit.warranty_status == "in_warranty"
    listed = filter_by_warranty_status(
        Equipment.objects.filter(pk=unit.pk), "in_warranty", timezone.localdate()
    )
    assert list(listed) == [unit]
    shown = page(users.agent).get(f"/equipment/{unit.pk}/").content.decode()
    assert f"{day:%Y-%m-%d}" in shown.split('id="purchased-on"')[1][:200] and "SO-1" in shown
    portal = page(company_a.user).get(f"/equipment/{unit.pk}/").content.decode()
    assert 'id="purchased-on"' in portal and "/sales/orders/" not in portal


def test_only_the_general_manager_sees_the_decision_form(page, users, company_a):
    day = timezone.localdate() - dt.timedelta(days=2)
    order(users, company_a.customer, ordered_on=day)
    unit = Equipment.objects.get(serial_number="NVR-001")
    made = return_request_create(
        actor=users.agent,
        customer=company_a.customer,
        equipment=unit,
        kind="refund",
        problem="开机无显示",
        caused_by_misuse=False,
        proof_checked=True,
        packaging_intact=True,
    )
    assert 'id="decide"' not in page(users.agent).get(made.get_absolute_url()).content.decode()
    assert 'id="decide"' in page(users.gm).get(made.get_absolute_url()).content.decode()
