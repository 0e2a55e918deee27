"""Monthly reconciliation with finance (R-SP-4): figures that add up to the ledger."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import Sum
from tests import factories

from aftersales.parts import selectors, services
from aftersales.parts.models import Movement, PeriodBalance

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
SEPT = dt.date(2026, 9, 1)
OCT = dt.date(2026, 10, 1)


def at(day, hour=10):
    return time_machine.travel(dt.datetime(2026, *day, hour, tzinfo=SH), tick=False)


@pytest.fixture
def books(users, company_a):
    """September: receipts; October: issues, a transfer, a count loss, a write-off."""
    psu = factories.make_part("PS-200", name="电源模块")
    fan = factories.make_part("FAN-1", name="风扇")
    depot = factories.make_location("DEPOT")
    kit = factories.make_location("KIT-TECH", "kit", users.tech)
    wh = users.warehouse
    with at((9, 10)):
        services.stock_receive(
            document="供应商送货单", actor=wh, item=psu, location=depot, quantity=10, unit_cost=100
        )
        services.stock_receive(
            document="供应商送货单",
            actor=wh,
            item=fan,
            location=depot,
            quantity=4,
            unit_cost="25.5",
        )
    with at((9, 30, 23)):  # the last hour of September, Shanghai time
        services.stock_receive(
            document="供应商送货单", actor=wh, item=psu, location=depot, quantity=2, unit_cost=106
        )
    with at((10, 8)):
        request = factories.make_request(company_a.customer, actor=users.agent)
        from aftersales.service import work_orders

        order = work_orders.work_order_create(
            actor=users.manager, service_request=request, technician=users.tech
        )
        services.stock_transfer(actor=wh, item=psu, source=depot, target=kit, quantity=3)
        services.stock_issue(actor=users.tech, work_order=order, item=psu, location=kit, quantity=2)
        services.stock_count(actor=wh, location=depot, counts={fan: 3})
        services.stock_write_off(actor=wh, item=psu, location=depot, quantity=1, reason="摔坏")
        services.stock_receive(
            document="供应商送货单", actor=wh, item=fan, location=depot, quantity=2, unit_cost=30
        )
    return {"psu": psu, "fan": fan, "depot": depot, "kit": kit, "order": order}


def by_code(rows):
    return {r.code: r for r in rows}


def test_a_month_adds_up_opening_in_out_closing_per_item(books):
    sept = by_code(selectors.reconciliation(SEPT))
    assert (sept["PS-200"].opening_qty, sept["PS-200"].in_qty) == (0, 12)
    assert sept["PS-200"].in_value == Decimal("1212.00")  # 10 × 100 + 2 × 106
    assert sept["FAN-1"].closing_value == Decimal("102.00")
    octo = by_code(selectors.reconciliation(OCT))
    psu = octo["PS-200"]
    assert (psu.opening_qty, psu.opening_value) == (12, Decimal("1212.00"))
    # The transfer depot → kit is inside the company: neither in nor out.
    assert (psu.in_qty, psu.out_qty) == (0, 3)  # 2 issued, 1 written off
    assert psu.out_value == Decimal("303.00")  # at the average of 101.00
    assert (psu.closing_qty, psu.closing_value) == (9, Decimal("909.00"))
    fan = octo["FAN-1"]
    assert (fan.opening_qty, fan.in_qty, fan.out_qty, fan.closing_qty) == (4, 2, 1, 5)
    assert fan.closing_value == Decimal("136.50")  # 102.00 − 25.50 + 60.00


def test_each_items_closing_equals_the_ledger_up_to_the_months_end(books):
    for month in (SEPT, OCT):
        next_month = (month + dt.timedelta(days=32)).replace(day=1)
        for row in selectors.reconciliation(month):
            totals = Movement.objects.filter(item_id=row.item_id, month__lt=next_month).aggregate(
                q=Sum("quantity"), v=Sum("value")
            )
            assert (row.closing_qty, row.closing_value) == (totals["q"], totals["v"])


def test_one_location_counts_its_transfers_as_in_and_out(books):
    kit = by_code(selectors.reconciliation(OCT, books["kit"]))["PS-200"]
    assert (kit.opening_qty, kit.in_qty, kit.out_qty, kit.closing_qty) == (0, 3, 2, 1)
    assert kit.in_value == Decimal("303.00") and kit.closing_value == Decimal("101.00")


def test_closing_a_month_keeps_its_figures_and_locks_it(users, books):
    with at((11, 2)):
        with factories.refused(conflict="请先月结之前的月份"):  # September still open
            services.period_close(actor=users.finance, month=OCT)
        september = services.period_close(actor=users.finance, month=SEPT)
        kept = {
            b.item.code: (b.quantity, b.value)
            for b in PeriodBalance.objects.filter(period=september)
        }
        assert kept == {"PS-200": (12, Decimal("1212.00")), "FAN-1": (4, Decimal("102.00"))}
        with factories.refused(conflict="已月结"):
            services.period_close(actor=users.finance, month=SEPT)
        # Backdating into the closed month is refused and writes nothing.
        before = Movement.objects.count()
        with factories.refused(conflict="不能在该月及之前记账"):
            services.stock_receive(
                document="供应商送货单",
                actor=users.warehouse,
                item=books["psu"],
                location=books["depot"],
                quantity=1,
                unit_cost=1,
                at=dt.datetime(2026, 9, 30, 9, tzinfo=SH),
            )
        assert Movement.objects.count() == before
        # October's opening now comes from the kept figures, and still adds up.
        october = by_code(selectors.reconciliation(OCT))
        assert october["PS-200"].closing_qty == 9
        services.period_close(actor=users.finance, month=OCT)
        with factories.refused(conflict="不能在该月及之前记账"):
            services.stock_receive(
                document="供应商送货单",
                actor=users.warehouse,
                item=books["psu"],
                location=books["depot"],
                quantity=1,
                unit_cost=1,
                at=dt.datetime(2026, 10, 31, 23, tzinfo=SH),
            )
        # November goes on.
        services.stock_issue(
            actor=users.tech,
            work_order=books["order"],
            item=books["psu"],
            location=books["kit"],
            quantity=1,
        )
        november = by_code(selectors.reconciliation(dt.date(2026, 11, 1)))
        assert november["PS-200"].opening_qty == 9 and november["PS-200"].closing_qty == 8


def test_a_month_closes_only_when_it_is_over_and_only_by_finance_or_the_manager(users, books):
    with at((10, 31, 23)), factories.refused(conflict="尚未结束"):
        services.period_close(actor=users.finance, month=OCT)
    with at((11, 2)):
        for outsider in (users.warehouse, users.tech, users.agent):
            with factories.refused("month"):
                services.period_close(actor=outsider, month=SEPT)
        assert services.period_close(actor=users.manager, month=SEPT).closed_by == users.manager
