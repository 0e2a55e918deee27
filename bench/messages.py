"""Delivering queued messages (issue 18): 10,000 messages to a local receiver.

    .venv/bin/python bench/messages.py [--messages 10000] [--workers 1 2 4]
    BENCH_DATABASE_URL=postgres://… .venv/bin/python bench/messages.py   # on PostgreSQL

For each number of Huey workers: queues the messages (one row each, one task each,
after commit) to a WeCom group-robot channel whose webhook is a local HTTP receiver
answering like WeCom, starts `manage.py run_huey --workers N` (threads) on the same
SQLite database and queue, and times until every message is sent. Prints the queueing
time, the drain time, messages per second in all and per worker, and checks that the
receiver got each message exactly once. Uses a fresh folder under var/ each run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "var" / "bench-messages"
shutil.rmtree(DATA, ignore_errors=True)
DATA.mkdir(parents=True)
os.environ["DATA_DIR"] = str(DATA)
# The messages' database: SQLite in the run's folder, or the PostgreSQL one named (it is
# migrated and its messages emptied). Huey's queue is SQLite unless REDIS_URL is set.
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{DATA / 'bench.sqlite3'}"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.config.settings")
os.environ.pop("HUEY_IMMEDIATE", None)
sys.path.insert(0, str(ROOT / "src"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from aftersales.common.messaging import message_send  # noqa: E402
from aftersales.common.models import OutboundMessage  # noqa: E402
from aftersales.delivery.models import Channel  # noqa: E402

received: Counter[str] = Counter()
lock = threading.Lock()


class Robot(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with lock:
            received[body.decode()] += 1
        answer = b'{"errcode": 0, "errmsg": "ok"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: object) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Robot)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/cgi-bin/webhook/send?key=bench"
    Channel.objects.filter(name="基准群").delete()
    Channel.objects.create(name="基准群", kind=Channel.Kind.WECOM, endpoint=url, alerts=False)
    from django.db import connection

    queue = "Redis" if os.environ.get("REDIS_URL") else "SQLite"
    print(
        f"{args.messages:,} messages per run to a local WeCom-like receiver, "
        f"database {connection.vendor}, queue {queue}"
    )
    print(
        f"{'workers':>7} {'queue s':>8} {'drain s':>8} {'msg/s':>8} {'per worker':>10} {'dupes':>6}"
    )
    for workers in args.workers:
        received.clear()
        OutboundMessage.objects.all().delete()
        started = time.perf_counter()
        with transaction.atomic():
            for n in range(args.messages):
                message_send(
                    actor=None, about=None, to="基准群", body=f"告警 {workers}-{n}", channel="robot"
                )
        queued = time.perf_counter() - started
        consumer = subprocess.Popen(
            [sys.executable, "manage.py", "run_huey", "--workers", str(workers), "-k", "thread"],
            cwd=ROOT,
            env=os.environ.copy(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started = time.perf_counter()
        try:
            while OutboundMessage.objects.filter(status="sent").count() < args.messages:
                if time.perf_counter() - started > 900:
                    raise SystemExit("not drained in 15 minutes")
                time.sleep(0.5)
            drained = time.perf_counter() - started
        finally:
            consumer.terminate()
            consumer.wait(timeout=30)
        dupes = sum(count - 1 for count in received.values() if count > 1)
        rate = args.messages / drained
        print(
            f"{workers:>7} {queued:>8.1f} {drained:>8.1f} {rate:>8.0f} {rate / workers:>10.0f} "
            f"{dupes:>6}"
        )
        assert len(received) == args.messages, (len(received), args.messages)
    server.shutdown()


if __name__ == "__main__":
    main()
