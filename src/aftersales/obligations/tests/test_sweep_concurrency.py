"""Two sweepers at once on PostgreSQL: every step happens exactly once."""

import datetime as dt
import threading

import pytest
from django.db import connection
from tests import factories

from aftersales.obligations import services
from aftersales.obligations.models import Notification, Obligation, ObligationEvent
from aftersales.obligations.sweep import obligations_sweep

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_concurrent_sweepers_act_on_each_obligation_once(users):
    start = dt.datetime(2026, 9, 21, 9, 0, tzinfo=dt.UTC)
    for n in range(300):
        customer = factories.make_customer(f"并发客户{n}")
        services.obligation_open(
            actor=None, target=customer, rule="CP.CONTACT", started_at=start, responsible=users.tech
        )
    now = start + dt.timedelta(days=3)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def sweeper():
        try:
            barrier.wait()
            results.append(obligations_sweep(now=now, batch=25))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweeper) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(r["breached"] for r in results) == 300
    assert all(r["breached"] > 0 for r in results), "both sweepers should have shared the work"
    assert sum(r["escalated"] for r in results) == 600  # steps 3 and 4, once each
    assert Obligation.objects.filter(state="breached", escalation_step=4).count() == 300
    assert ObligationEvent.objects.filter(kind="breached").count() == 300
    assert ObligationEvent.objects.filter(kind="escalated").count() == 600
    # step 2: tech + manager; step 3: vp; step 4: gm
    assert Notification.objects.count() == 300 * 4
