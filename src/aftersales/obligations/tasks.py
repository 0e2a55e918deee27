"""Background work of the obligations app: the sweep every minute, recomputing due
times after a policy or calendar changed, and e-mailing notices after commit."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from aftersales.obligations.policies import obligations_recompute
from aftersales.obligations.sweep import obligations_sweep


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
