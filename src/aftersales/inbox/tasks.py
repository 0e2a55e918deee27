"""The service mailboxes are read every minute, by one worker at a time."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task


@db_periodic_task(crontab(minute="*"))
def poll_mailboxes() -> int:
    from huey.exceptions import TaskLockedException

    from aftersales.inbox.imap import mailbox_poll
    from aftersales.inbox.models import Mailbox

    read = 0
    try:
        with HUEY.lock_task("poll-mailboxes"):
            for box in Mailbox.objects.filter(enabled=True):
                read += mailbox_poll(box)
    except TaskLockedException:  # the previous poll is still reading
        return 0
    return read
