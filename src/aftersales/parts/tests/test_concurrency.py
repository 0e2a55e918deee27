"""Two (eight) people issuing the last unit at once: exactly one succeeds (PostgreSQL)."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from tests import factories

from aftersales.parts import selectors, services
from aftersales.parts.models import Balance, Movement
from aftersales.service import work_orders

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_only_one_of_eight_concurrent_issues_of_the_last_unit_succeeds(users, company_a):
    item = factories.make_part("LAST-1", name="最后一个电源")
    depot = factories.make_location("DEPOT")
    services.stock_receive(
        document="供应商送货单",
        actor=users.warehouse,
        item=item,
        location=depot,
        quantity=1,
        unit_cost=99,
    )
    request = factories.make_request(company_a.customer, actor=users.agent)
    orders = [
        work_orders.work_order_create(
            actor=users.manager, service_request=request, technician=users.tech
        )
        for _ in range(8)
    ]
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def worker(order):
        try:
            barrier.wait()
            services.stock_issue(
                actor=users.warehouse, work_order=order, item=item, location=depot, quantity=1
            )
            outcomes.append("issued")
        except ValidationError:
            outcomes.append("refused")
        except Exception as error:  # pragma: no cover - reported below
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(order,)) for order in orders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["issued"] + ["refused"] * 7
    assert selectors.on_hand(item) == 0
    assert Balance.objects.get(item=item, location=depot).value == Decimal("0.00")
    assert Movement.objects.filter(item=item, kind="issue").count() == 1
