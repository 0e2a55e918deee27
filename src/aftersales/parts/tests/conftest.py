"""What the stock tests share: a fixed clock, two items, the depot and a kit, an order."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from tests import factories

SH = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=SH)  # a Friday


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def stock(users, company_a):
    """A power module (whole units), cable (by the metre), the depot, the tech's kit, and
    an open work order of the tech's."""
    from aftersales.service import work_orders

    request = factories.make_request(company_a.customer, actor=users.agent, serial_number="A-0001")
    return {
        "psu": factories.make_part("PS-200", name="电源模块", unit_price=Decimal("150.00")),
        "cable": factories.make_part("CB-1", name="网线", unit="米", whole_units=False),
        "depot": factories.make_location("DEPOT"),
        "kit": factories.make_location("KIT-TECH", "kit", users.tech),
        "order": work_orders.work_order_create(
            actor=users.manager, service_request=request, technician=users.tech
        ),
    }
