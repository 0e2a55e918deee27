"""Importing a large spreadsheet (issue 17): 100,000 units from one .xlsx.

    .venv/bin/python bench/imports.py [--units 100000]

Target: under 2 minutes, checked and imported. Uses DATABASE_URL if set, else a fresh
var/bench-imports.sqlite3. Writes the workbook once (customers, their units' model and
dates), then times: reading the file alone; the check (every row tried and rolled back);
the import; and the same file again (nothing changes). Prints rows per second and the
SQL statements per row of the import.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
DEFAULT_DB = ROOT / "var" / "bench-imports.sqlite3"
os.environ.setdefault("DATABASE_URL", f"sqlite:///{DEFAULT_DB}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.config.settings")

if os.environ["DATABASE_URL"] == f"sqlite:///{DEFAULT_DB}":
    for suffix in ("", "-wal", "-shm"):  # a fresh database each run
        Path(f"{DEFAULT_DB}{suffix}").unlink(missing_ok=True)

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import translation  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from aftersales.accounts.roles import Role  # noqa: E402
from aftersales.accounts.services import user_create  # noqa: E402
from aftersales.customers.models import Customer, Equipment, ProductModel  # noqa: E402
from aftersales.imports.readers import read_rows  # noqa: E402
from aftersales.imports.services import import_run  # noqa: E402


def workbook(units: int) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("设备")
    sheet.append(
        ["序列号*", "客户名称*", "型号编码*", "批号", "交货日期", "验收合格日", "保修（月）"]
    )
    for n in range(units):
        day = f"2025-{n % 12 + 1:02d}-{n % 28 + 1:02d}"
        sheet.append(
            [f"BX{n:07d}", f"导入客户{n % 500:03d}", f"BM-{n % 20}", f"B{n // 1000}", day, day, 24]
        )
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=100_000)
    args = parser.parse_args()
    translation.activate("zh-hans")
    call_command("migrate", verbosity=0)
    manager = user_create(
        actor=None, username="bench-manager", password="bench-pass-1", roles=[Role.SERVICE_MANAGER]
    )
    Customer.objects.bulk_create(Customer(name=f"导入客户{n:03d}") for n in range(500))
    ProductModel.objects.bulk_create(
        ProductModel(code=f"BM-{n}", name=f"型号{n}") for n in range(20)
    )
    started = time.perf_counter()
    data = workbook(args.units)
    print(
        f"workbook: {args.units:,} rows, {len(data) / 1e6:.1f} MB, written in "
        f"{time.perf_counter() - started:.1f} s"
    )

    def upload() -> SimpleUploadedFile:
        return SimpleUploadedFile("units.xlsx", data)

    started = time.perf_counter()
    read_rows(upload())
    print(f"read alone: {time.perf_counter() - started:.1f} s")
    for label, mode in (("check", "check"), ("import", "import"), ("again", "import")):
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            run = import_run(actor=manager, kind="equipment", upload=upload(), mode=mode)
            took = time.perf_counter() - started
        print(
            f"{label}: {took:.1f} s ({args.units / took:,.0f} rows/s), {run.outcome}, "
            f"{run.created:,} new, {run.unchanged:,} the same, {run.problem_count} problems, "
            f"{len(queries) / args.units:.1f} SQL per row"
        )
    print(f"units in the database: {Equipment.objects.count():,}")


if __name__ == "__main__":
    main()
