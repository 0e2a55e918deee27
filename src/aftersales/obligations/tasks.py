"""Background work of the obligations app: the sweep every minute, recomputing due
times after a policy or calendar changed, and e-mailing notices after commit."""

from __future__ import annotations

from typing import Any

from django.core.mail import send_mass_mail
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from aftersales.obligations.policies import obligations_recompute
from aftersales.obligations.sweep import obligations_sweep

# A mail server that is down for a while gets the notices when it is back.
RETRIES, RETRY_DELAY = 5, 60


@db_periodic_task(crontab(minute="*"))
def sweep_every_minute() -> dict[str, int]:
    return obligations_sweep()


# Huey matches crontabs against UTC: 00:30 UTC is 08:30 in Asia/Shanghai.
@db_periodic_task(crontab(hour="0", minute="30"))
def morning_digests() -> int:
    from aftersales.obligations.notices import digests_send

    return digests_send()


@db_task()
def recompute_obligations(policy_id: int | None = None, calendar_id: int | None = None) -> int:
    from aftersales.obligations.models import Policy

    policy = Policy.objects.get(pk=policy_id) if policy_id else None
    return obligations_recompute(policy=policy, calendar_id=calendar_id)


@db_task(retries=RETRIES, retry_delay=RETRY_DELAY)
def mail_notices(mails: list[Any]) -> int:
    """Each mail is (subject, body, address); an error is retried (Huey re-queues it)."""
    return send_mass_mail(
        [(subject, body, None, [address]) for subject, body, address in mails],
        fail_silently=False,
    )
