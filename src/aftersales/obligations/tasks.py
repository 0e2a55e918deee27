from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from aftersales.obligations.services import obligations_recompute
from aftersales.obligations.sweep import obligations_sweep


@db_periodic_task(crontab(minute="*"))
def sweep_every_minute() -> dict[str, int]:
    return obligations_sweep()


@db_task()
def recompute_obligations(policy_id: int | None = None, calendar_id: int | None = None) -> int:
    from aftersales.obligations.models import Policy

    policy = Policy.objects.get(pk=policy_id) if policy_id else None
    return obligations_recompute(policy=policy, calendar_id=calendar_id)
