"""Eight clients racing with one Idempotency-Key on PostgreSQL (issue 14 item 12): one
request is created, and every client gets its answer — never a second record.

Rules: the system's rule 7 (nothing half-written) and issue 14's retries without
duplicates; R-SR-1 (a request's number is given once)."""

import json
import threading
import urllib.request

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token
from tests import factories

from aftersales.service.models import ServiceRequest

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
CLIENTS = 8


def test_clients_racing_with_one_key_create_one_request(users, live_server):
    customer = factories.make_customer("幂等并发客户")
    token = Token.objects.create(user=users.agent)
    body = {
        "customer": customer.pk,
        "channel": "phone",
        "severity": "P3",
        "caller_name": "刘",
        "caller_phone": "13812345678",
        "description": "录像机无法开机",
    }
    headers = {"Authorization": f"Token {token.key}", "Idempotency-Key": "race-0001"}
    barrier = threading.Barrier(CLIENTS)
    answers: list[tuple[int, dict, str | None]] = []
    errors: list[BaseException] = []

    def client() -> None:
        try:
            barrier.wait()
            sent = urllib.request.Request(
                f"{live_server.url}/api/v1/service-requests/",
                data=json.dumps(body).encode(),
                headers={**headers, "Content-Type": "application/json"},
                method="POST",
            )
            with urllib.request.urlopen(sent, timeout=60) as answer:
                replayed = answer.headers.get("Idempotent-Replayed")
                answers.append((answer.status, json.loads(answer.read()), replayed))
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert [status for status, _, _ in answers] == [201] * CLIENTS, answers
    assert len({data["number"] for _, data, _ in answers}) == 1
    assert sum(replayed == "true" for _, _, replayed in answers) == CLIENTS - 1
    assert ServiceRequest.objects.count() == 1
