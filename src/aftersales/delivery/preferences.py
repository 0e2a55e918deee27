"""Who hears what, and how (``Preference``): the channels each person's alerts take.

``chooser(people)`` reads every preference those people have, and their roles', in two
queries, and answers (e-mail?, SMS?) for a person and a kind of alert — so a sweep
telling a thousand people reads the table once, not once per person."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction

from aftersales.accounts.models import User
from aftersales.common.audit import save_audited
from aftersales.delivery.models import Preference

Event = Preference.Event
DEFAULT = (True, False)  # by e-mail, not by SMS (urgent ones by SMS as each person asked)


def event_of(notice: Any) -> str:
    """The kind of an alert: a warning before a limit runs out (step 1), its breach and
    escalations (step 2 on), or other news (no limit's step)."""
    if notice.obligation_id is not None and notice.step == 1:
        return Event.WARNING
    if notice.obligation_id is not None and notice.step >= 2:
        return Event.ESCALATION
    return Event.NEWS


def chooser(people: Iterable[User]) -> Callable[[User, str], tuple[bool, bool]]:
    ids = {person.pk for person in people}
    roles: dict[int, list[str]] = {}
    for user_id, role in User.groups.through.objects.filter(user_id__in=ids).values_list(
        "user_id", "group__name"
    ):
        roles.setdefault(user_id, []).append(role)
    wanted = {role for held in roles.values() for role in held}
    own: dict[tuple[int, str], tuple[bool, bool]] = {}
    by_role: dict[tuple[str, str], tuple[bool, bool]] = {}
    for row in Preference.objects.filter(user_id__in=ids):
        own[(row.user_id, row.event)] = (row.email, row.sms)  # type: ignore[index]
    for row in Preference.objects.filter(user__isnull=True, role__in=wanted):
        by_role[(row.role, row.event)] = (row.email, row.sms)

    def choose(person: User, event: str) -> tuple[bool, bool]:
        if (person.pk, event) in own:
            return own[(person.pk, event)]
        defaults = [by_role[(r, event)] for r in roles.get(person.pk, []) if (r, event) in by_role]
        if not defaults:
            return DEFAULT
        return any(d[0] for d in defaults), any(d[1] for d in defaults)

    return choose


def preferences_of(user: User) -> dict[str, tuple[bool, bool]]:
    """What the person's alerts take now, per kind (their own choice or their roles')."""
    choose = chooser([user])
    return {event: choose(user, event) for event in Event.values}


@transaction.atomic
def preferences_set(*, actor: User, user: User, chosen: dict[str, tuple[bool, bool]]) -> None:
    """The person's own choice for each kind of alert (kept with who changed it)."""
    for event in Event.values:
        if event not in chosen:
            continue
        email, sms = chosen[event]
        row = Preference.objects.filter(user=user, event=event).first() or Preference(
            user=user, event=event
        )
        if row.pk is not None and (row.email, row.sms) == (email, sms):
            continue
        row.email, row.sms = email, sms
        save_audited(row, actor=actor, reason="chosen")
