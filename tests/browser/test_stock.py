"""The warehouse, the technician and finance on the stock pages, in the browser."""

from django.utils import timezone
from playwright.sync_api import expect

from aftersales.parts import selectors
from aftersales.parts.models import Movement, PeriodClose
from aftersales.service import work_orders
from tests import factories


def test_receive_transfer_use_on_an_order_and_reconcile(open_page, users, company_a):
    psu = factories.make_part("PS-200", name="电源模块")
    depot = factories.make_location("DEPOT")
    kit = factories.make_location("KIT-TECH", "kit", users.tech)
    request = factories.make_request(company_a.customer, actor=users.agent, serial_number="A-0001")
    order = work_orders.work_order_create(
        actor=users.manager, service_request=request, technician=users.tech
    )

    keeper = open_page(users.warehouse)
    keeper.goto("/parts/")
    keeper.click("#receive")
    keeper.fill("#id_item", "PS-200")
    keeper.select_option("#id_location", str(depot.pk))
    keeper.fill("#id_quantity", "5")
    keeper.fill("#id_unit_cost", "120")
    keeper.fill("#id_document", "送货单 8812")
    keeper.click("button:has-text('保存')")
    expect(keeper.locator("#on-hand")).to_have_text("5")
    expect(keeper.locator("#ledger")).to_contain_text("送货单 8812")

    keeper.goto("/parts/transfer/")
    keeper.fill("#id_item", "PS-200")
    keeper.select_option("#id_source", str(depot.pk))
    keeper.select_option("#id_target", str(kit.pk))
    keeper.fill("#id_quantity", "9")  # more than on hand
    keeper.click("button:has-text('保存')")
    expect(keeper.locator(".field-error, .alert-danger").first).to_contain_text("仅有")
    keeper.fill("#id_quantity", "2")
    keeper.click("button:has-text('保存')")
    expect(keeper.locator("#item-balances")).to_contain_text("KIT-TECH")

    tech = open_page(users.tech, width=390, height=844)
    tech.goto(f"/work-orders/{order.pk}/")
    tech.fill("#id_item", "ps-200")
    tech.select_option("#id_location", str(kit.pk))
    tech.fill("#id_quantity", "1")
    tech.click("#issue-part")
    expect(tech.locator('#parts-used [data-kind="issue"]')).to_contain_text("PS-200")
    assert tech.evaluate("document.documentElement.scrollWidth") <= 390
    assert selectors.on_hand(psu, kit) == 1 and selectors.on_hand(psu) == 4

    finance = open_page(users.finance)
    month = timezone.localdate().strftime("%Y-%m")
    finance.goto(f"/parts/reconciliation/?month={month}")
    row = finance.locator('[data-code="PS-200"]')
    expect(row).to_contain_text("5")  # in
    expect(finance.locator("#totals")).to_contain_text("480.00")  # closing: 4 × 120
    with finance.expect_download() as download:
        finance.click("text=Excel")
    assert download.value.suggested_filename == f"stock-{month}.xlsx"
    assert not PeriodClose.objects.exists()  # this month is not over: no close button
    expect(finance.locator("#close-month")).to_have_count(0)
    assert Movement.objects.count() == 4


def test_a_count_on_a_phone_books_the_difference(open_page, users):
    psu = factories.make_part("PS-200", name="电源模块")
    depot = factories.make_location("DEPOT")
    from aftersales.parts import services

    services.stock_receive(
        document="供应商送货单",
        actor=users.warehouse,
        item=psu,
        location=depot,
        quantity=5,
        unit_cost=1,
    )
    keeper = open_page(users.warehouse, width=390, height=844)
    keeper.goto(f"/parts/count/?location={depot.pk}")
    keeper.fill(f"[name=count-{psu.pk}]", "3")
    keeper.click("#book-count")
    expect(keeper.locator(".alert-success")).to_contain_text("1")
    assert selectors.on_hand(psu, depot) == 3
    assert keeper.evaluate("document.documentElement.scrollWidth") <= 390
