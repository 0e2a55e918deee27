"""How fast are the customer and equipment lists with a large company's data?

    .venv/bin/python bench/lists.py [--customers 100000] [--equipment 1000000]

Uses DATABASE_URL if set (PostgreSQL is the real target), else
var/bench.sqlite3. Generates the data once (bulk inserts, not the services:
this measures reading), then requests each page through Django's test client
as a logged-in agent and prints the median and worst of several runs, and the
number of SQL queries per request.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.config.settings")
os.environ.setdefault("AXES_ENABLED", "0")

import django  # noqa: E402

django.setup()

from common import agent_client, analyze  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from aftersales.customers import warranty  # noqa: E402
from aftersales.customers.models import Customer, Equipment, ProductModel  # noqa: E402

REGIONS = ["华东", "华北", "华南", "华中", "西南", "西北", "东北"]
BATCH = 20_000


def generate(n_customers: int, n_equipment: int) -> None:
    rng = random.Random(7)
    today = dt.date.today()
    models = [
        ProductModel.objects.get_or_create(code=f"BM-{i:03d}", defaults={"name": f"基准型号{i}"})[0]
        for i in range(50)
    ]
    have = Customer.objects.count()
    for start in range(have, n_customers, BATCH):
        Customer.objects.bulk_create(
            Customer(
                name=f"基准客户{i:07d}有限公司",
                region=REGIONS[i % len(REGIONS)],
                is_key_customer=i % 50 == 0,
                phone=f"0{rng.randrange(10**9, 10**10)}",
            )
            for i in range(start, min(start + BATCH, n_customers))
        )
        print(f"  customers {min(start + BATCH, n_customers):,}", flush=True)
    customer_ids = list(Customer.objects.values_list("pk", flat=True))
    have = Equipment.objects.count()
    for start in range(have, n_equipment, BATCH):
        rows = []
        for i in range(start, min(start + BATCH, n_equipment)):
            accepted = None if i % 17 == 0 else today - dt.timedelta(days=rng.randrange(0, 3000))
            months, maint = rng.choice([12, 24, 36]), rng.choice([0, 0, 12, 24])
            rows.append(
                Equipment(
                    serial_number=f"BS{i:09d}",
                    customer_id=customer_ids[i % len(customer_ids)],
                    product_model=models[i % len(models)],
                    batch_number=f"B{i % 997:04d}",
                    accepted_on=accepted,
                    warranty_months=months,
                    maintenance_months=maint,
                    warranty_until=warranty.warranty_until(accepted, months),
                    maintenance_until=warranty.maintenance_until(accepted, months, maint),
                )
            )
        Equipment.objects.bulk_create(rows)
        print(f"  equipment {min(start + BATCH, n_equipment):,}", flush=True)


def measure(client: Client, url: str, runs: int = 7) -> tuple[float, float, int]:
    with CaptureQueriesContext(connection) as captured:
        client.get(url)  # also warms caches
    queries = len(captured)  # now: the next request empties the log
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), max(times), queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--equipment", type=int, default=1_000_000)
    args = parser.parse_args()

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    generate(args.customers, args.equipment)
    print(
        f"data ready in {time.perf_counter() - started:.0f} s: "
        f"{Customer.objects.count():,} customers, {Equipment.objects.count():,} units"
    )
    analyze()

    _agent, client = agent_client()
    some_customer = Customer.objects.order_by("pk")[Customer.objects.count() // 2]
    some_unit = Equipment.objects.order_by("pk")[Equipment.objects.count() // 2]
    urls = [
        "/customers/",
        "/customers/?page=2000",
        "/customers/?region=华南&key=1",
        f"/customers/?q={some_customer.name[4:11]}",
        f"/customers/{some_customer.pk}/",
        "/equipment/",
        "/equipment/?status=out_of_warranty",
        "/equipment/?status=maintenance_contract&page=50",
        f"/equipment/?q={some_unit.serial_number}",
        f"/equipment/{some_unit.pk}/",
        f"/api/v1/equipment/?customer={some_customer.pk}",
        f"/api/v1/equipment/?serial_number={some_unit.serial_number}",
        "/api/v1/customers/?page=10",
    ]
    print(f"{'page':<55} {'median ms':>10} {'worst ms':>9} {'queries':>8}")
    for url in urls:
        median, worst, queries = measure(client, url)
        print(f"{url:<55} {median:>10.1f} {worst:>9.1f} {queries:>8}")


if __name__ == "__main__":
    main()
