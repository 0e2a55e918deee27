"""Messages leave here, after the transaction that made them committed."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task()
def deliver_message(message_id: int, text: str) -> str:
    """One try; a failure for now schedules the next, later each time (see messaging)."""
    from aftersales.common.messaging import TRIES, TryLater, _deliver_later, message_deliver
    from aftersales.common.models import OutboundMessage

    attempts = (
        OutboundMessage.objects.filter(pk=message_id).values_list("attempts", flat=True).first()
        or 0
    )
    try:
        message = message_deliver(message_id, text, last_try=attempts + 1 >= TRIES)
    except TryLater:
        from aftersales.common.messaging import BACKOFF

        _deliver_later(message_id, text, delay=BACKOFF[min(attempts, len(BACKOFF) - 1)])
        return "queued"
    return message.status if message is not None else ""


@db_periodic_task(crontab(minute="*/5"))
def recover_messages() -> int:
    """What no task will send any more goes back on the sending path."""
    from aftersales.common.messaging import messages_recover

    return messages_recover()
