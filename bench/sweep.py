"""One sweep over a large table of running obligations (issue: 1,000,000
running, 1,000 of them due; under 2 seconds on SQLite and on PostgreSQL, and
the query plan uses the due_at index).

    .venv/bin/python bench/sweep.py [--running 1000000] [--due 1000]

Uses DATABASE_URL if set, else var/bench-sweep.sqlite3. Generates the rows
once (bulk inserts), then each run makes --due of them due, times one sweep
and prints the plans of the sweep's three queries.
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
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-sweep.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from aftersales.accounts.models import User  # noqa: E402
from aftersales.accounts.roles import Role  # noqa: E402
from aftersales.accounts.services import user_create  # noqa: E402
from aftersales.obligations.models import Notification, Obligation, Policy  # noqa: E402
from aftersales.obligations.sweep import obligations_sweep  # noqa: E402

BATCH = 20_000


def generate(running: int) -> None:
    have = Obligation.objects.count()
    if have >= running:
        return
    policy = Policy.objects.get(rule="CP.CONTACT")
    content_type = ContentType.objects.get_for_model(Policy)
    far = timezone.now() + dt.timedelta(days=3650)
    start = timezone.now()
    for first in range(have, running, BATCH):
        Obligation.objects.bulk_create(
            Obligation(
                content_type=content_type,
                object_id=policy.pk,
                rule=policy.rule,
                policy=policy,
                started_at=start,
                due_at=far + dt.timedelta(seconds=i),
                warn_at=far,
                state="running",
            )
            for i in range(first, min(first + BATCH, running))
        )
        print(f"  obligations {min(first + BATCH, running):,}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--running", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=1_000)
    args = parser.parse_args()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    if not User.objects.filter(username="bench-manager").exists():
        user_create(
            actor=None,
            username="bench-manager",
            password="bench-pass-1",
            roles=[Role.SERVICE_MANAGER],
        )
    generate(args.running)
    # Reset earlier runs' breaches, then make --due rows due now.
    now = timezone.now()
    Obligation.objects.exclude(state="running").update(
        state="running", escalation_step=0, next_escalation_at=None
    )
    Notification.objects.all().delete()
    far = now + dt.timedelta(days=3650)
    Obligation.objects.filter(due_at__lt=far).update(due_at=far, warn_at=far)
    due_ids = list(Obligation.objects.order_by("pk").values_list("pk", flat=True)[: args.due])
    Obligation.objects.filter(pk__in=due_ids).update(due_at=now - dt.timedelta(minutes=1))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE obligations_obligation")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    running = Obligation.objects.filter(state="running").count()
    print(f"{running:,} running obligations, {args.due:,} due")

    queries = {
        "breach": Obligation.objects.filter(state="running", due_at__lte=now).order_by("due_at"),
        "warn": Obligation.objects.filter(
            state="running", escalation_step=0, warn_at__lte=now
        ).order_by("warn_at"),
        "climb": Obligation.objects.filter(state="breached", next_escalation_at__lte=now).order_by(
            "next_escalation_at"
        ),
    }
    for name, query in queries.items():
        print(f"-- plan of the {name} query:")
        print("   " + query[:500].explain().replace("\n", "\n   "))

    started = time.perf_counter()
    result = obligations_sweep(now=now)
    seconds = time.perf_counter() - started
    print(f"one sweep: {seconds:.3f} s  {result}  notifications: {Notification.objects.count():,}")
    print("target met (< 2 s)" if seconds < 2 else "TARGET MISSED (>= 2 s)")


if __name__ == "__main__":
    main()
