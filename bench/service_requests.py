"""Service requests at scale (issue: with 1,000,000 requests the filtered list
page and the API list answer in under 300 ms at the 95th percentile, and
creating a request through the API takes under 50 ms at the median).

    .venv/bin/python bench/service_requests.py [--requests 1000000]

Uses DATABASE_URL if set, else var/bench-requests.sqlite3. Generates the rows
once (bulk inserts: requests spread over three years, one SR.RESOLVE obligation
each), then times each page 20 times and 50 creations through the API.
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
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-requests.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.config.settings")
os.environ.setdefault("AXES_ENABLED", "0")

import django  # noqa: E402

django.setup()

from common import agent_client, analyze  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from aftersales.customers.models import Customer, Equipment, ProductModel  # noqa: E402
from aftersales.obligations.models import Obligation, Policy  # noqa: E402
from aftersales.service.models import ServiceRequest  # noqa: E402

BATCH = 20_000
SEVERITIES = ["P1", "P2", "P3", "P3", "P3", "CONSULT"]
STATUSES = ["closed"] * 8 + ["resolved", "responded"]


def generate(total: int) -> None:
    have = ServiceRequest.objects.count()
    if have >= total:
        return
    rng = random.Random(4)
    model, _ = ProductModel.objects.get_or_create(code="BENCH", defaults={"name": "基准"})
    if Customer.objects.count() < 5000:
        Customer.objects.bulk_create(Customer(name=f"请求基准客户{i:05d}") for i in range(5000))
    customers = list(Customer.objects.values_list("pk", flat=True)[:5000])
    if Equipment.objects.count() < 20000:
        Equipment.objects.bulk_create(
            Equipment(
                serial_number=f"RB{i:07d}",
                product_model=model,
                customer_id=customers[i % len(customers)],
            )
            for i in range(20000)
        )
    units = list(Equipment.objects.values_list("pk", "customer_id")[:20000])
    policy = Policy.objects.get(rule="SR.RESOLVE", severity="P3")
    content_type = ContentType.objects.get_for_model(ServiceRequest)
    start = timezone.now() - dt.timedelta(days=3 * 365)
    for first in range(have, total, BATCH):
        rows = []
        for i in range(first, min(first + BATCH, total)):
            unit, customer = units[i % len(units)]
            received = start + dt.timedelta(minutes=i * 1.5)
            rows.append(
                ServiceRequest(
                    number=f"BX-B-{i:07d}",
                    customer_id=customer,
                    equipment_id=unit,
                    channel="phone",
                    severity=rng.choice(SEVERITIES),
                    status="new" if i > total - 2000 else rng.choice(STATUSES),
                    caller_name="基准来电",
                    caller_phone=f"138{i:08d}",
                    description="基准故障描述",
                    received_at=received,
                )
            )
        made = ServiceRequest.objects.bulk_create(rows)
        Obligation.objects.bulk_create(
            Obligation(
                content_type=content_type,
                object_id=r.pk,
                rule="SR.RESOLVE",
                severity="P3",
                policy=policy,
                started_at=r.received_at,
                due_at=r.received_at + dt.timedelta(days=7),
                state="running" if r.status == "new" else "met",
                met_at=None,
            )
            for r in made
        )
        print(f"  requests {min(first + BATCH, total):,}", flush=True)


def p95(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.95) - 1]


def timed(client: Client, url: str, runs: int = 20, **headers: str) -> tuple[float, float, int]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, **headers).status_code == 200, url
    queries = len(captured)
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        response = client.get(url, **headers)
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
    return statistics.median(times), p95(times), queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1_000_000)
    args = parser.parse_args()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    generate(args.requests)
    print(
        f"data ready in {time.perf_counter() - began:.0f} s: "
        f"{ServiceRequest.objects.count():,} requests, {Obligation.objects.count():,} limits"
    )
    analyze()
    agent, client = agent_client()
    token = Token.objects.get_or_create(user=agent)[0].key
    api = Client(HTTP_HOST="127.0.0.1")
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    customer = Customer.objects.order_by("pk")[2500]
    pages = [
        "/service-requests/",
        "/service-requests/?status=new",
        "/service-requests/?severity=P1&page=50",
        f"/service-requests/?q=138{args.requests // 2:08d}",
        "/service-requests/?received_from=2025-06-01&received_to=2025-06-30",
    ]
    apis = [
        "/api/v1/service-requests/",
        "/api/v1/service-requests/?status=new",
        f"/api/v1/service-requests/?customer={customer.pk}",
        "/api/v1/service-requests/?severity=P2&page=100",
    ]
    print(f"{'request':<62} {'median ms':>9} {'p95 ms':>8} {'queries':>8}")
    worst = 0.0
    for url in pages:
        median, high, queries = timed(client, url)
        worst = max(worst, high)
        print(f"{url:<62} {median:>9.1f} {high:>8.1f} {queries:>8}")
    for url in apis:
        median, high, queries = timed(api, url, **auth)
        worst = max(worst, high)
        print(f"{url:<62} {median:>9.1f} {high:>8.1f} {queries:>8}")
    unit = Equipment.objects.filter(customer=customer).first()
    creations = []
    for n in range(50):
        body = {
            "customer": customer.pk,
            "serial_number": unit.serial_number if unit else "",
            "channel": "phone",
            "severity": "P2",
            "caller_name": "基准",
            "caller_phone": "13800000000",
            "description": f"基准创建 {n}",
        }
        began = time.perf_counter()
        response = api.post(
            "/api/v1/service-requests/", body, content_type="application/json", **auth
        )
        creations.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 201, response.content
    print(
        f"{'POST /api/v1/service-requests/ (50 creations)':<62} "
        f"{statistics.median(creations):>9.1f} {p95(creations):>8.1f}"
    )
    ok = worst < 300 and statistics.median(creations) < 50
    print("targets met" if ok else "TARGETS MISSED")


if __name__ == "__main__":
    main()
