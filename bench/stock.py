"""Stock at scale (issue 5): 10,000 items and 5,000,000 ledger rows.

    .venv/bin/python bench/stock.py [--items 10000] [--rows 5000000] [--places 10]

Targets: a month's reconciliation under 5 seconds on PostgreSQL; on hand of one
item under 10 ms. Uses DATABASE_URL if set, else var/bench-stock.sqlite3.
Generates the ledger once (PostgreSQL COPY, SQLite executemany) over the twelve
months before this one, with balances summed from it; then times:

- the last month's reconciliation with no month closed (the opening sums every
  earlier row: the worst case),
- closing the eleven earlier months one by one (each keeps its figures),
- the last month's reconciliation again, now opening from the kept figures,
- on hand of 1,000 random items (all places, one query each).
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
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-stock.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.config.settings")

import django  # noqa: E402

django.setup()

from common import analyze  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from aftersales.accounts.models import User  # noqa: E402
from aftersales.accounts.roles import Role  # noqa: E402
from aftersales.accounts.services import user_create  # noqa: E402
from aftersales.customers.models import PartItem  # noqa: E402
from aftersales.parts import selectors, services  # noqa: E402
from aftersales.parts.models import Location, Movement, PeriodClose  # noqa: E402

SH = ZoneInfo("Asia/Shanghai")
BATCH = 50_000
COLUMNS = "item_id, location_id, kind, quantity, value, at, month, document, reason, recorded_at"


def months_before_this(count: int) -> list[dt.date]:
    first = timezone.localdate().replace(day=1)
    months = []
    for _ in range(count):
        first = (first - dt.timedelta(days=1)).replace(day=1)
        months.append(first)
    return sorted(months)


def generate(items: int, rows: int, places: int) -> None:
    if Movement.objects.count() >= rows:
        return
    print(f"generating {items:,} items, {places} places, {rows:,} ledger rows …", flush=True)
    PartItem.objects.bulk_create(
        [PartItem(code=f"B-{n:06d}", name=f"基准配件 {n}") for n in range(items)],
        batch_size=5000,
        ignore_conflicts=True,
    )
    item_ids = list(
        PartItem.objects.filter(code__startswith="B-").order_by("pk").values_list("pk", flat=True)
    )
    for n in range(places):
        Location.objects.get_or_create(code=f"BENCH-{n}", defaults={"name": f"基准库位 {n}"})
    place_ids = list(
        Location.objects.filter(code__startswith="BENCH-")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    months = months_before_this(12)
    per_pair = rows // (items * places)

    def row(i: int) -> tuple:
        item = item_ids[i % items]
        place = place_ids[(i // items) % places]
        step = i // (items * places)  # this pair's step: +5, −1, −1, +5, …
        receipt = step % 3 == 0
        month = months[min(step * 12 // max(per_pair, 1), 11)]
        at = dt.datetime(month.year, month.month, 1 + step % 27, 9, tzinfo=SH) + dt.timedelta(
            seconds=i % 30000
        )
        quantity = 5000 if receipt else -1000  # thousandths
        value = 50000 if receipt else -10000  # cents: 100.00 a unit
        kind = "receipt" if receipt else "issue"
        return (item, place, kind, quantity, value, at, month, f"B{step}", "bench", at)

    started = time.perf_counter()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with (
                connection.cursor() as cursor,
                cursor.cursor.copy(f"COPY parts_movement ({COLUMNS}) FROM STDIN") as copy,
            ):
                for i in range(rows):
                    copy.write_row(row(i))
        else:
            with connection.cursor() as cursor:
                sql = f"INSERT INTO parts_movement ({COLUMNS}) VALUES ({', '.join(['%s'] * 10)})"
                for first in range(0, rows, BATCH):
                    cursor.executemany(
                        sql, [row(i) for i in range(first, min(first + BATCH, rows))]
                    )
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO parts_balance (item_id, location_id, quantity, value) "
                "SELECT item_id, location_id, SUM(quantity), SUM(value) FROM parts_movement "
                "GROUP BY item_id, location_id"
            )
    print(f"  generated in {time.perf_counter() - started:.0f} s", flush=True)
    analyze()


def timed(label: str, action) -> object:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = action()
    print(f"{label}: {time.perf_counter() - started:.2f} s", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--places", type=int, default=10)
    args = parser.parse_args()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    generate(args.items, args.rows, args.places)
    finance = User.objects.filter(username="bench-finance").first() or user_create(
        actor=None, username="bench-finance", password="bench-pass-1", roles=[Role.FINANCE]
    )
    print(f"ledger rows: {Movement.objects.count():,}; items: {PartItem.objects.count():,}")
    months = months_before_this(12)
    PeriodClose.objects.all().delete()
    rows = timed(
        f"reconciliation {months[-1]:%Y-%m}, nothing closed (opening sums the whole ledger)",
        lambda: selectors.reconciliation(months[-1]),
    )
    print(f"  {len(rows):,} items; closing value {sum(r.closing_value for r in rows):,}")
    closes = []
    for month in months[:-1]:
        started = time.perf_counter()
        services.period_close(actor=finance, month=month)
        closes.append(time.perf_counter() - started)
    print(
        f"closing {len(closes)} months in order: median {statistics.median(closes):.2f} s, "
        f"max {max(closes):.2f} s each"
    )
    again = timed(
        f"reconciliation {months[-1]:%Y-%m}, earlier months closed (opening from kept figures)",
        lambda: selectors.reconciliation(months[-1]),
    )
    assert [(r.item_id, r.closing_qty, r.closing_value) for r in again] == [
        (r.item_id, r.closing_qty, r.closing_value) for r in rows
    ], "the two ways disagree"
    print("  both ways give the same figures")
    ids = list(PartItem.objects.values_list("pk", flat=True))
    rng = random.Random(5)
    items = [PartItem(pk=rng.choice(ids)) for _ in range(1000)]
    took = []
    for item in items:
        started = time.perf_counter()
        selectors.on_hand(item)
        took.append((time.perf_counter() - started) * 1000)
    took.sort()
    print(
        f"on hand of one item (1,000 random): median {statistics.median(took):.2f} ms, "
        f"p95 {took[949]:.2f} ms, max {took[-1]:.2f} ms"
    )
    with connection.cursor() as cursor:
        explain = "EXPLAIN" if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
        sql, params = (
            Movement.objects.filter(month=months[-1])
            .values("item_id")
            .annotate(q=django.db.models.Sum("quantity"))
            .query.sql_with_params()
        )
        cursor.execute(f"{explain} {sql}", params)
        print("plan of the month's sums:")
        for line in cursor.fetchall():
            print("  ", " ".join(str(part) for part in line))
    PeriodClose.objects.all().delete()


if __name__ == "__main__":
    main()
