"""8 workers creating 200 work orders each on PostgreSQL: numbers 1..1600, no gap.

Rules: R-WO-2 (gapless numbers under concurrency).
"""

import threading

import pytest
from django.db import connection
from tests import factories

from aftersales.service import work_orders
from aftersales.service.models import WorkOrder

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_work_orders_get_gapless_unique_numbers(users):
    customer = factories.make_customer("编号并发客户")
    request = factories.make_request(
        customer,
        actor=users.agent,
        channel="phone",
        severity="P3",
        caller_name="x",
        caller_phone="13800000000",
        description="y",
    )
    barrier = threading.Barrier(8)
    errors = []

    def worker():
        try:
            barrier.wait()
            for _ in range(200):
                work_orders.work_order_create(
                    actor=users.manager, service_request=request, technician=users.tech
                )
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    sequences = sorted(WorkOrder.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, 1601))
    assert WorkOrder.objects.values("number").distinct().count() == 1600
