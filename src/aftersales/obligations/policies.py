"""Time-limit policies: finding a rule's row, what it allows, and changing it.

``policy_for`` finds the row of a rule and severity; ``policy_duration`` and
``policy_deadline`` answer "how long does the rule allow" for features that
need the answer without tracking an obligation (a repeat window, the return
window, when a visit is planned). Changing a policy or its ladder recomputes
the running obligations under it in the background, after commit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.calendars.engine import NATURAL_UNITS, WORKING_TIME_UNITS
from aftersales.obligations.clock import clock_for, schedule
from aftersales.obligations.models import Obligation, Policy

State = Obligation.State


def policy_for(rule: str, severity: str = "") -> Policy | None:
    """The policy of a rule for a severity; None where the rule does not apply ("—")."""
    rows = list(
        Policy.objects.filter(rule=rule, severity__in=[severity, ""]).select_related("calendar")
    )
    if not rows:
        if not Policy.objects.filter(rule=rule).exists():
            raise ValidationError({"rule": _("Unknown rule code %(rule)s.") % {"rule": rule}})
        return None
    exact = [row for row in rows if row.severity == severity]
    return (exact or rows)[0]


# A window counted back from a date (a repeat within 90 days) has no calendar to walk:
# a working unit set on such a rule is taken at its nominal length.
NOMINAL_SECONDS = {
    **NATURAL_UNITS,
    **WORKING_TIME_UNITS,
    "working_days": 86400,
    "same_working_day": 0,
}


def policy_duration(rule: str, severity: str = "") -> dt.timedelta | None:
    """How long a window rule allows (SR.REPEAT's 90 days, RT.WINDOW's 7); None where
    it does not apply. For a deadline from a start, ask ``policy_deadline``."""
    policy = policy_for(rule, severity)
    if policy is None:
        return None
    return dt.timedelta(seconds=policy.amount * NOMINAL_SECONDS[policy.unit])


def policy_deadline(rule: str, start: dt.datetime, severity: str = "") -> dt.datetime | None:
    """When ``rule``'s time is up, counted from ``start`` on its calendar; None where
    the rule does not apply to the severity."""
    policy = policy_for(rule, severity)
    if policy is None:
        return None
    return clock_for(policy).add(start, policy.amount, policy.unit)


def obligations_recompute(
    *, policy: Policy | None = None, calendar_id: int | None = None, chunk: int = 2000
) -> int:
    """New due and warning times for running obligations after their policy or calendar changed."""
    qs = Obligation.objects.filter(state=State.RUNNING).select_related("policy__calendar")
    if policy is not None:
        qs = qs.filter(policy=policy)
    if calendar_id is not None:
        qs = qs.filter(policy__calendar_id=calendar_id)
    changed = 0
    batch: list[Obligation] = []
    for obligation in qs.order_by("pk").iterator(chunk_size=chunk):
        schedule(obligation, obligation.policy)
        batch.append(obligation)
        if len(batch) >= chunk:
            changed += _save_schedules(batch)
            batch = []
    return changed + _save_schedules(batch)


@transaction.atomic
def _save_schedules(batch: list[Obligation]) -> int:
    Obligation.objects.bulk_update(batch, ["due_at", "warn_at"])
    return len(batch)


@transaction.atomic
def policy_update(*, actor: User | None, policy: Policy, **fields: Any) -> Policy:
    """Change a time limit; running obligations under it get new due times."""
    from aftersales.calendars.engine import CalendarError, check_amount
    from aftersales.calendars.forms import engine_error_message
    from aftersales.common.audit import save_audited

    for name, value in fields.items():
        setattr(policy, name, value)
    try:
        check_amount(policy.amount, policy.unit)
    except CalendarError as error:
        raise ValidationError({"amount": engine_error_message(error)}) from error
    save_audited(policy, actor=actor, reason="updated")
    transaction.on_commit(lambda: _recompute_later(policy_id=policy.pk))
    return policy


def _recompute_later(**kwargs: Any) -> None:
    from aftersales.obligations.tasks import recompute_obligations

    recompute_obligations(**kwargs)


@transaction.atomic
def policy_set_ladder(
    *, actor: User | None, policy: Policy, steps: list[dict[str, Any]]
) -> list[Any]:
    """Replace the ladder after the breach: steps numbered 2, 3, … in the order given.

    Each step is ``{"role", "delay_amount", "delay_unit", "delay_calendar"}``; a
    later step may not come before an earlier one in the ladder's order, but
    its delay is counted from the due time like every other (policies.md).
    """
    from aftersales.accounts.roles import Role
    from aftersales.calendars.engine import CalendarError, check_amount
    from aftersales.calendars.forms import engine_error_message
    from aftersales.common.audit import save_audited
    from aftersales.obligations.models import EscalationStep

    if not steps:
        raise ValidationError({"steps": _("The ladder needs at least one step after the breach.")})
    made = []
    policy.steps.all().delete()
    for number, step in enumerate(steps, start=2):
        if step["role"] not in Role.values:
            raise ValidationError({"steps": _("Unknown role %(role)s.") % {"role": step["role"]}})
        try:
            check_amount(step["delay_amount"], step["delay_unit"])
        except CalendarError as error:
            raise ValidationError({"steps": engine_error_message(error)}) from error
        row = EscalationStep(policy=policy, step=number, **step)
        save_audited(row, actor=actor, reason="ladder set")
        made.append(row)
    save_audited(policy, actor=actor, reason="ladder changed")
    return made
