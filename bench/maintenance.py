"""Maintenance plans and availability at scale (issue 16).

    .venv/bin/python bench/maintenance.py [--contracts 100000] [--customers 10000]

Targets: a quarter's plans for 100,000 contracts under 60 seconds; availability for
10,000 customers over a year under 5 seconds on PostgreSQL. Uses DATABASE_URL if
set, else var/bench-maintenance.sqlite3. Generates once:

- one customer per contract, each with one unit; contracts of 4 visits a year and
  of 12 (one in three), running over the whole year;
- for the first 10,000 customers, six P1/P2 faults each over the past year (one in
  three shorter than four hours), each resolved after 1–30 hours;

then times the quarter's plans from nothing (every plan and visit new), the run again
(nothing to add), and the year's availability of the 10,000 customers (median of 5).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics as stats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-maintenance.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.config.settings")

import django  # noqa: E402

django.setup()

from common import analyze  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from aftersales.customers.models import (  # noqa: E402
    Customer,
    Equipment,
    MaintenanceContract,
    ProductModel,
)
from aftersales.maintenance.availability import customers_availability  # noqa: E402
from aftersales.maintenance.models import MaintenancePlan, PlannedVisit  # noqa: E402
from aftersales.maintenance.plans import Quarter, quarter_plans_generate  # noqa: E402
from aftersales.service.models import ServiceRequest, StatusChange  # noqa: E402

BATCH = 10_000


def make_contracts(count: int, year: int) -> None:
    have = MaintenanceContract.objects.filter(number__startswith="BM-").count()
    if have >= count:
        return
    print(f"generating {count - have:,} customers, units and contracts …", flush=True)
    model, _ = ProductModel.objects.get_or_create(code="BENCH-PM", defaults={"name": "基准主机"})
    for start in range(have, count, BATCH):
        batch = range(start, min(count, start + BATCH))
        Customer.objects.bulk_create([Customer(name=f"维保客户{n:07d}") for n in batch])
        customers = dict(
            Customer.objects.filter(name__in=[f"维保客户{n:07d}" for n in batch]).values_list(
                "name", "pk"
            )
        )
        Equipment.objects.bulk_create(
            [
                Equipment(
                    serial_number=f"BM-{n:07d}",
                    product_model=model,
                    customer_id=customers[f"维保客户{n:07d}"],
                    report_token=f"bm{n:020d}",
                )
                for n in batch
            ]
        )
        MaintenanceContract.objects.bulk_create(
            [
                MaintenanceContract(
                    number=f"BM-{n:07d}",
                    customer_id=customers[f"维保客户{n:07d}"],
                    starts_on=dt.date(year, 1, 1),
                    ends_on=dt.date(year, 12, 31),
                    visits_per_year=12 if n % 3 == 0 else 4,
                )
                for n in batch
            ]
        )
        units = dict(
            Equipment.objects.filter(serial_number__in=[f"BM-{n:07d}" for n in batch]).values_list(
                "serial_number", "pk"
            )
        )
        contracts = MaintenanceContract.objects.filter(
            number__in=[f"BM-{n:07d}" for n in batch]
        ).values_list("pk", "number")
        through = MaintenanceContract.equipment.through
        through.objects.bulk_create(
            [
                through(maintenancecontract_id=pk, equipment_id=units[number])
                for pk, number in contracts
            ]
        )
    analyze()


def make_outages(customers: int, today: dt.date) -> list[int]:
    """Six P1/P2 faults a customer over the past year for the first ``customers``."""
    ids = list(
        Customer.objects.filter(name__startswith="维保客户")
        .order_by("pk")
        .values_list("pk", flat=True)[:customers]
    )
    if ServiceRequest.objects.filter(number__startswith="BMR-").exists():
        return ids
    print(f"generating {customers * 6:,} P1/P2 faults with their repair …", flush=True)
    rng = random.Random(16)
    units = dict(Equipment.objects.filter(customer_id__in=ids).values_list("customer_id", "pk"))
    start = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=364), dt.time(8)))
    n = 0
    for chunk in range(0, len(ids), 2_000):
        requests, cleared = [], []
        for customer_id in ids[chunk : chunk + 2_000]:
            for k in range(6):
                n += 1
                received = start + dt.timedelta(minutes=rng.randrange(364 * 1440))
                hours = rng.uniform(1, 3.9) if k % 3 == 0 else rng.uniform(4, 30)
                requests.append(
                    ServiceRequest(
                        number=f"BMR-{n:08d}",
                        status=ServiceRequest.Status.RESOLVED,
                        customer_id=customer_id,
                        equipment_id=units[customer_id],
                        channel="phone",
                        severity="P1" if k % 2 else "P2",
                        caller_name="值班员",
                        caller_phone="13800000000",
                        description="停机",
                        received_at=received,
                    )
                )
                cleared.append(received + dt.timedelta(hours=hours))
        ServiceRequest.objects.bulk_create(requests)
        made = dict(
            ServiceRequest.objects.filter(number__in=[r.number for r in requests]).values_list(
                "number", "pk"
            )
        )
        StatusChange.objects.bulk_create(
            [
                StatusChange(
                    request_id=made[r.number], at=at, from_status="new", to_status="resolved"
                )
                for r, at in zip(requests, cleared, strict=True)
            ]
        )
    analyze()
    return ids


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contracts", type=int, default=100_000)
    parser.add_argument("--customers", type=int, default=10_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    quarter = Quarter.of(today)
    make_contracts(args.contracts, today.year)
    ids = make_outages(args.customers, today)
    print(f"database: {connection.vendor}; quarter {quarter.code}")

    PlannedVisit.history.model.objects.all().delete()
    PlannedVisit.objects.all().delete()
    MaintenancePlan.history.model.objects.all().delete()
    MaintenancePlan.objects.all().delete()
    began = time.perf_counter()
    plans = quarter_plans_generate(actor=None, quarter=quarter)
    first = time.perf_counter() - began
    visits = PlannedVisit.objects.count()
    began = time.perf_counter()
    quarter_plans_generate(actor=None, quarter=quarter)
    again = time.perf_counter() - began
    print(f"quarter's plans, from nothing: {plans:,} plans, {visits:,} visits in {first:.1f} s")
    print(f"quarter's plans, run again (nothing to add): {again:.1f} s")

    end = today
    start = today - dt.timedelta(days=364)
    times = []
    for _ in range(5):
        began = time.perf_counter()
        result = customers_availability(start, end, ids)
        times.append(time.perf_counter() - began)
    below = sum(1 for r in result.values() if r.below_target)
    outages = sum(len(r.outages) for r in result.values())
    print(
        f"a year's availability of {len(ids):,} customers ({outages:,} outages, {below:,} "
        f"below target): median {stats.median(times):.2f} s, max {max(times):.2f} s"
    )


if __name__ == "__main__":
    main()
