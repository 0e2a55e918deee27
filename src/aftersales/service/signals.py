"""What the service app announces, for apps that act on it without service importing them
(feedback plans the return visit and sends the survey).

Announced only once the service's transaction commits: a receiver queues its own
work (a Huey task, retried), so a rolled-back close plans no visit and sends no
survey, and a slow receiver never holds the service's transaction open.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.dispatch import Signal

# request_id, actor_id, at: the customer confirmed and the request closed.
request_closed = Signal()
# batch_id, actor_id, at: the customer has the repaired units back.
batch_delivered = Signal()


def _pk(actor: Any) -> int | None:
    return getattr(actor, "pk", None)


def announce_closed(*, request: Any, actor: Any, at: dt.datetime) -> None:
    request_id, actor_id = request.pk, _pk(actor)
    transaction.on_commit(
        lambda: request_closed.send(
            sender=type(request), request_id=request_id, actor_id=actor_id, at=at
        )
    )


def announce_delivered(*, batch: Any, actor: Any, at: dt.datetime) -> None:
    batch_id, actor_id = batch.pk, _pk(actor)
    transaction.on_commit(
        lambda: batch_delivered.send(
            sender=type(batch), batch_id=batch_id, actor_id=actor_id, at=at
        )
    )
