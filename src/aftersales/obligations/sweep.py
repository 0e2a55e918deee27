"""The sweep: what is due now, found by index, acted on exactly once.

Three questions, each answered from a partial index (see the model):
which running obligations passed their due time (breach → step 2), which
passed their warning time (step 1), and which breached ones reached their
next ladder step. Rows are claimed with SELECT … FOR UPDATE SKIP LOCKED on
PostgreSQL (SQLite's IMMEDIATE transactions serialise writers instead), and
the claimed state is written before anyone is told, so two sweepers never
send the same step twice; a unique constraint on notifications backs it up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import F, QuerySet, prefetch_related_objects
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.accounts.selectors import users_with_role
from aftersales.common.choices import Severity
from aftersales.common.words import span
from aftersales.obligations.clock import clock_for
from aftersales.obligations.models import (
    EscalationStep,
    Notification,
    Obligation,
    ObligationEvent,
)
from aftersales.obligations.notices import deliver

State = Obligation.State
BATCH = 500


def obligations_sweep(*, now: dt.datetime | None = None, batch: int = BATCH) -> dict[str, int]:
    now = now or timezone.now()
    done = {"breached": 0, "warned": 0, "escalated": 0}
    done["breached"] = _drain(
        Obligation.objects.filter(state=State.RUNNING, due_at__lte=now).order_by("due_at"),
        lambda rows: _breach(rows, now),
        batch,
    )
    done["warned"] = _drain(
        Obligation.objects.filter(
            state=State.RUNNING, escalation_step=0, warn_at__lte=now
        ).order_by("warn_at"),
        lambda rows: _warn(rows, now),
        batch,
    )
    done["escalated"] = _drain(
        Obligation.objects.filter(state=State.BREACHED, next_escalation_at__lte=now).order_by(
            "next_escalation_at"
        ),
        lambda rows: _climb(rows, now),
        batch,
    )
    return done


def _drain(queryset: QuerySet[Obligation], act: Any, batch: int) -> int:
    total = 0
    for _round in range(10_000):
        with transaction.atomic():
            rows = list(
                queryset.select_for_update(skip_locked=True, of=("self",))
                .select_related("policy__calendar", "responsible")
                .prefetch_related("target")[:batch]
            )
            if not rows:
                return total
            act(rows)
            total += len(rows)
    return total


def _steps(rows: Iterable[Obligation]) -> dict[tuple[int, int], EscalationStep]:
    policy_ids = {row.policy_id for row in rows}
    return {
        (step.policy_id, step.step): step
        for step in EscalationStep.objects.filter(policy_id__in=policy_ids).select_related(
            "delay_calendar"
        )
    }


def _next_time(step: EscalationStep | None, due: dt.datetime) -> dt.datetime | None:
    if step is None:
        return None
    from aftersales.calendars.selectors import work_calendar

    return work_calendar(step.delay_calendar).add(due, step.delay_amount, step.delay_unit)


def _breach(rows: list[Obligation], now: dt.datetime) -> None:
    steps = _steps(rows)
    for row in rows:
        row.state = State.BREACHED
        row.escalation_step = 2
        row.next_escalation_at = _next_time(steps.get((row.policy_id, 3)), row.due_at)  # type: ignore[arg-type]
    Obligation.objects.filter(pk__in=[row.pk for row in rows]).update(
        state=State.BREACHED, escalation_step=2
    )
    _set_each(rows, "next_escalation_at")
    _log(rows, now, "breached", State.RUNNING)
    _notify(rows, now, steps, step=2)
    from aftersales.delivery import webhooks

    webhooks.limits_breached(rows)


def _warn(rows: list[Obligation], now: dt.datetime) -> None:
    for row in rows:
        row.escalation_step = 1
    Obligation.objects.filter(pk__in=[row.pk for row in rows]).update(escalation_step=1)
    _log(rows, now, "warned", State.RUNNING)
    _notify(rows, now, {}, step=1)


def _climb(rows: list[Obligation], now: dt.datetime) -> None:
    steps = _steps(rows)
    by_step: dict[int, list[Obligation]] = {}
    for row in rows:
        row.escalation_step += 1
        row.next_escalation_at = _next_time(
            steps.get((row.policy_id, row.escalation_step + 1)),
            row.due_at,  # type: ignore[arg-type]
        )
        by_step.setdefault(row.escalation_step, []).append(row)
    Obligation.objects.filter(pk__in=[row.pk for row in rows]).update(
        escalation_step=F("escalation_step") + 1
    )
    _set_each(rows, "next_escalation_at")
    _log(rows, now, "escalated", State.BREACHED)
    for step, group in by_step.items():
        _notify(group, now, steps, step=step)


def _set_each(rows: list[Obligation], field_name: str) -> None:
    """One UPDATE … SET field = CASE id WHEN … END for a batch.

    Django's bulk_update builds the same statement but spends most of a sweep
    resolving its expressions; the SQL here is plain and portable.
    """
    field = Obligation._meta.get_field(field_name)
    assert isinstance(field, models.Field) and field.column
    quote = connection.ops.quote_name
    # PostgreSQL types a bare parameter in CASE as text; SQLite must not cast
    # (CAST AS datetime would give it numeric affinity).
    value = (
        f"CAST(%s AS {field.db_type(connection)})" if connection.vendor == "postgresql" else "%s"
    )
    whens, params = [], []
    for row in rows:
        whens.append(f"WHEN %s THEN {value}")
        params += [row.pk, field.get_db_prep_save(getattr(row, field_name), connection)]
    ids = [row.pk for row in rows]
    sql = (
        f"UPDATE {quote(Obligation._meta.db_table)} SET {quote(field.column)} = "
        f"CASE {quote('id')} {' '.join(whens)} END "
        f"WHERE {quote('id')} IN ({', '.join(['%s'] * len(ids))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *ids])


def _log(rows: list[Obligation], now: dt.datetime, kind: str, from_state: str) -> None:
    ObligationEvent.objects.bulk_create(
        ObligationEvent(
            obligation=row,
            at=now,
            kind=kind,
            from_state=from_state,
            to_state=row.state,
            note=f"step {row.escalation_step}",
        )
        for row in rows
    )


def _recipients(
    row: Obligation,
    step: int,
    steps: dict[tuple[int, int], EscalationStep],
    by_role: dict[str, list[User]],
    now: dt.datetime,
) -> list[User]:
    people: list[User] = []
    if row.responsible is not None and step <= 2:
        people.append(row.responsible)
    if step == 1 and row.responsible is None:
        people += _managers(by_role, now)
    rung = steps.get((row.policy_id, step))
    if rung is not None:
        people += (
            _managers(by_role, now)
            if rung.role == "service_manager"
            else by_role.setdefault(rung.role, list(users_with_role(rung.role)))
        )
    return list({person.pk: person for person in people}.values())


def _managers(by_role: dict[str, list[User]], now: dt.datetime) -> list[User]:
    """The service managers — outside working hours, the managers on call instead, when
    the duty roster names any (R-OP-1)."""
    if "service_manager" not in by_role:
        from aftersales.operations.roster import managers_on_call

        on_call = managers_on_call(now)
        by_role["service_manager"] = (
            on_call if on_call is not None else list(users_with_role("service_manager"))
        )
    return by_role["service_manager"]


def _message(row: Obligation, step: int, now: dt.datetime) -> str:
    """What the person reads: the record and its customer, the limit in words, when it
    is due — and once late, by how much on the wall clock."""
    with translation.override(settings.LANGUAGE_CODE):
        # Full-width brackets: the message is read in Chinese.
        label = row.name + (f"（{Severity(row.severity).label}）" if row.severity else "")
        due = timezone.localtime(row.due_at).strftime("%Y-%m-%d %H:%M") if row.due_at else ""
        said = {"rule": label, "record": _record(row), "due": due, "step": step}
        if step == 1:
            return _("Warning: %(rule)s on %(record)s is due at %(due)s.") % said
        late = max(int((now - row.due_at).total_seconds() // 60), 1) if row.due_at else 0
        said["late"] = span(late)
        text = _(
            "Overdue (step %(step)s): %(rule)s on %(record)s was due at %(due)s, late by %(late)s."
        )
        return text % said


def _record(row: Obligation) -> str:
    target = row.target
    if target is None:
        return f"#{row.object_id}"
    customer = getattr(target, "customer", None) if _has_customer(type(target)) else None
    return f"{target}（{customer}）" if customer is not None else str(target)


def _has_customer(model: type[models.Model]) -> bool:
    return any(field.name == "customer" and field.is_relation for field in model._meta.fields)


def _with_customers(rows: list[Obligation]) -> None:
    """One query per kind of record for the customers named in the messages."""
    by_model: dict[type[models.Model], list[models.Model]] = {}
    for row in rows:
        if row.target is not None and _has_customer(type(row.target)):
            by_model.setdefault(type(row.target), []).append(row.target)
    for targets in by_model.values():
        prefetch_related_objects(targets, "customer")


def _notify(
    rows: list[Obligation],
    now: dt.datetime,
    steps: dict[tuple[int, int], EscalationStep],
    *,
    step: int,
) -> None:
    by_role: dict[str, list[User]] = {}
    notices = []
    _with_customers(rows)
    for row in rows:
        message = _message(row, step, now)[:300]  # as much as the bell keeps
        url = getattr(row.target, "get_absolute_url", lambda: "")()
        for person in _recipients(row, step, steps, by_role, now):
            notices.append(
                Notification(
                    user=person,
                    obligation=row,
                    round=row.round,
                    step=step,
                    message=message,
                    url=url,
                    created_at=now,
                )
            )
    deliver(notices)


def minutes_left(obligation: Obligation, now: dt.datetime | None = None) -> float | None:
    """Working minutes until due (negative once late); None while paused or closed. A
    limit past due outside working hours (due 18:00, read at 21:00) has no working
    minute of lateness yet, but is late: a little below zero, never "0 minutes left"."""
    if obligation.due_at is None or obligation.state not in (State.RUNNING, State.BREACHED):
        return None
    now = now or timezone.now()
    left = clock_for(obligation.policy).working_seconds_between(now, obligation.due_at) / 60
    if left >= 0 and (obligation.due_at <= now or obligation.state == State.BREACHED):
        return -1 / 60  # a second late: shown by the wall clock's lateness
    return left
