"""Each role's home at a million requests (issue 15: every home page under 150 ms at
the 95th percentile on PostgreSQL).

    DATABASE_URL=postgres://… .venv/bin/python bench/homes.py [--requests 1000000]

Uses the request data of service_requests.py (generated once: 1,000,000 requests over
three years, one SR.RESOLVE limit each, the last 2,000 still new), and adds what a
service department has open on a busy day: a first-reply limit on each new request
(a third of them late), 40 open jobs for one technician with their arrival limits,
20,000 complaints over the years with 300 still to contact, and the people of each
role. Then times each role's home 30 times: median, p95 and queries.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
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

from common import analyze  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from service_requests import generate, timed  # noqa: E402

from aftersales.accounts.models import User  # noqa: E402
from aftersales.accounts.roles import Role  # noqa: E402
from aftersales.accounts.services import user_create  # noqa: E402
from aftersales.complaints.models import Complaint  # noqa: E402
from aftersales.customers.models import Customer  # noqa: E402
from aftersales.obligations.models import Obligation, Policy  # noqa: E402
from aftersales.service.models import ServiceRequest, WorkOrder  # noqa: E402

ROLES = {
    "agent": Role.AGENT,
    "technician": Role.TECHNICIAN,
    "manager": Role.SERVICE_MANAGER,
    "warehouse": Role.WAREHOUSE,
    "quality": Role.QUALITY,
    "general-manager": Role.GENERAL_MANAGER,
}


def people() -> dict[str, User]:
    made = {}
    for name, role in ROLES.items():
        username = f"bench-{name}"
        made[name] = User.objects.filter(username=username).first() or user_create(
            actor=None, username=username, password="bench-pass-1", roles=[role]
        )
    return made


def _limits(model: type, ids: list[int], rule: str, started: dt.datetime, late: int) -> None:
    """A running limit of ``rule`` on each record; every ``late``-th one already breached."""
    policy = Policy.objects.filter(rule=rule).order_by("severity").first()
    kind = ContentType.objects.get_for_model(model)
    Obligation.objects.bulk_create(
        Obligation(
            content_type=kind,
            object_id=pk,
            rule=rule,
            policy=policy,
            started_at=started,
            due_at=started + dt.timedelta(hours=4 + n % 48),
            warn_at=started + dt.timedelta(hours=2 + n % 48),
            state="breached" if n % late == 0 else "running",
        )
        for n, pk in enumerate(ids)
    )


def open_work(who: dict[str, User]) -> None:
    """What is open today, added once."""
    if Obligation.objects.filter(rule="SR.REPLY").exists():
        return
    now = timezone.now()
    new = list(ServiceRequest.objects.filter(status="new").values_list("pk", flat=True))
    _limits(ServiceRequest, new, "SR.REPLY", now - dt.timedelta(hours=3), late=3)
    orders = [
        WorkOrder(
            number=f"WX-B-{n:06d}",
            series="WX-B",
            sequence=n,
            service_request_id=pk,
            technician=who["technician"],
            planned_arrival=now + dt.timedelta(minutes=30 * n),
            created_at=now,
        )
        for n, pk in enumerate(new[:40], start=1)
    ]
    WorkOrder.objects.bulk_create(orders)
    _limits(ServiceRequest, new[:40], "SR.ARRIVE", now - dt.timedelta(hours=1), late=5)
    customers = list(Customer.objects.values_list("pk", flat=True)[:5000])
    start = now - dt.timedelta(days=3 * 365)
    complaints = Complaint.objects.bulk_create(
        Complaint(
            number=f"TS-B-{n:06d}",
            complainant_name="基准投诉人",
            complainant_phone="13900000000",
            customer_id=customers[n % len(customers)],
            received_at=start + dt.timedelta(hours=1.3 * n),
            channel="phone",
            category="product_quality",
            demand="更换",
            description="基准投诉",
            status="closed" if n < 19_700 else "received",
        )
        for n in range(20_000)
    )
    _limits(Complaint, [c.pk for c in complaints[19_700:]], "CP.CONTACT", now, late=4)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1_000_000)
    args = parser.parse_args()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    generate(args.requests)
    who = people()
    open_work(who)
    analyze()
    print(
        f"data ready in {time.perf_counter() - began:.0f} s: "
        f"{ServiceRequest.objects.count():,} requests, {Obligation.objects.count():,} limits, "
        f"{Complaint.objects.count():,} complaints"
    )
    print(f"{'home of':<18} {'median ms':>9} {'p95 ms':>8} {'queries':>8}")
    worst = 0.0
    for name, user in who.items():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        cache.clear()  # the first view counts the month's figures; later ones read the cache
        median, high, queries = timed(client, "/", runs=30)
        worst = max(worst, high)
        print(f"{name:<18} {median:>9.1f} {high:>8.1f} {queries:>8}")
    started = time.perf_counter()
    cache.clear()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(who["general-manager"])
    client.get("/")
    counted = (time.perf_counter() - started) * 1000
    print(f"{'(the month figures, counted once)':<36} {counted:>9.1f} ms")
    print("targets met" if worst < 150 else "TARGETS MISSED")


if __name__ == "__main__":
    main()
