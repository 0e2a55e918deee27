"""Messages leave here, after the transaction that made them committed."""

from __future__ import annotations

from typing import Any

from huey.contrib.djhuey import db_task

# A gateway that is down for a few minutes still gets the message.
RETRIES, RETRY_DELAY = 5, 60


@db_task(retries=RETRIES, retry_delay=RETRY_DELAY, context=True)
def deliver_message(message_id: int, text: str, task: Any = None) -> str:
    from aftersales.common.messaging import message_deliver

    last_try = task is None or not task.retries
    message = message_deliver(message_id, text, last_try=last_try)
    return message.status if message is not None else ""
