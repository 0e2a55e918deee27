"""The duty roster (值班, R-OP-1; 001 十一 "分组值班，随时待命，保证电话通畅").

Groups take turns so the hotline and the technicians and managers on call are
covered: a hotline group around the clock (7×24), an on-call group outside the
working hours of its calendar (nights, weekends, holidays; a make-up workday is
working time). The service manager plans shifts week by week; a gap in the cover
of the coming two weeks is shown and warned about before it happens. A member asks
to hand a shift to another member; the service manager approves or refuses.

The roster drives the rest: a request that arrives with no agent taking it (the
portal, the mailbox) gives its first reply (SR.REPLY) to the agent on duty; the
dispatch board suggests, outside working hours, only technicians on call; and a
warning meant for the service manager outside working hours reaches the manager
on call.

The life of a swap (``SWAP_LIFE``):

==========  =====================================================
requested   approved (the shift changes hands), refused, withdrawn
approved    —
refused     —
withdrawn   —
==========  =====================================================
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role
from aftersales.calendars.selectors import work_calendar
from aftersales.common.audit import save_audited
from aftersales.common.exceptions import ConflictError
from aftersales.common.lifecycle import Lifecycle
from aftersales.common.validation import typed_text, within_years
from aftersales.operations.models import DutyGroup, Shift, ShiftSwap

Swap = ShiftSwap.Status
Kind = DutyGroup.Kind

SWAP_LIFE = Lifecycle(
    "operations.shiftswap",
    {
        Swap.REQUESTED: {Swap.APPROVED, Swap.REFUSED, Swap.WITHDRAWN},
        Swap.APPROVED: set(),
        Swap.REFUSED: set(),
        Swap.WITHDRAWN: set(),
    },
)

# The role a member of each kind of group holds.
ROLE_OF = {Kind.HOTLINE: Role.AGENT, Kind.TECHNICIANS: Role.TECHNICIAN, Kind.MANAGERS: ""}
MANAGER_ROLES = (Role.SERVICE_MANAGER, Role.SALES_VP, Role.GENERAL_MANAGER)
LONGEST_SHIFT = dt.timedelta(hours=24)
AHEAD = dt.timedelta(days=14)  # how far ahead gaps are shown and warned about


def may_plan(user: User) -> bool:
    return user.has_perm("operations.add_shift")


def qualified(group: DutyGroup, person: User) -> bool:
    """A member of the group holding the group's role (any manager's role for managers)."""
    if not person.is_active or not group.members.filter(pk=person.pk).exists():
        return False
    return holds_role(group.kind, person)


def holds_role(kind: str, person: User) -> bool:
    """The person holds the role a member of this kind of group needs."""
    role = ROLE_OF[Kind(kind)]
    return person.has_role(role) if role else person.has_role(*MANAGER_ROLES)


def not_member(group: DutyGroup, person: User) -> str:
    return _("%(person)s is not a member of %(group)s.") % {"person": person, "group": group}


def _overlapping(person: User, starts_at: dt.datetime, ends_at: dt.datetime) -> QuerySet[Shift]:
    return Shift.objects.filter(person=person, starts_at__lt=ends_at, ends_at__gt=starts_at)


def _check_span(starts_at: Any, ends_at: Any, errors: dict[str, Any]) -> None:
    for field, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if not isinstance(value, dt.datetime):
            errors[field] = _("Give a date and time.")
            continue
        try:
            within_years(value)
        except ValidationError as error:
            errors[field] = error.messages
    if errors:
        return
    if ends_at <= starts_at:
        errors["ends_at"] = _("A shift ends after it starts.")
    elif ends_at - starts_at > LONGEST_SHIFT:
        errors["ends_at"] = _("A shift lasts at most 24 hours; plan two shifts.")


def _check_free(
    person: User, starts_at: dt.datetime, ends_at: dt.datetime, *, but: int = 0
) -> None:
    clash = _overlapping(person, starts_at, ends_at).exclude(pk=but).select_related("group").first()
    if clash is not None:
        raise ValidationError(
            {
                "person": _("%(person)s is already on duty then: %(group)s %(span)s.")
                % {"person": person, "group": clash.group, "span": span(clash)}
            }
        )


def span(shift: Shift) -> str:
    a, b = timezone.localtime(shift.starts_at), timezone.localtime(shift.ends_at)
    end = b.strftime("%H:%M") if a.date() == b.date() else b.strftime("%m-%d %H:%M")
    return f"{a:%m-%d %H:%M}–{end}"


@transaction.atomic
def shift_add(
    *,
    actor: User,
    group: DutyGroup,
    person: User,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    note: str = "",
) -> Shift:
    """Put a member on duty. Refused (400) for someone not qualified for the group, for
    a span that is not a span, and for a person already on duty then (in any group)."""
    errors: dict[str, Any] = {}
    _check_span(starts_at, ends_at, errors)
    note = typed_text(note, "note", 200, errors, required=False)
    if not qualified(group, person):
        errors["person"] = not_member(group, person)
    if errors:
        raise ValidationError(errors)
    User.objects.select_for_update().filter(pk=person.pk).first()  # one writer per person
    _check_free(person, starts_at, ends_at)
    shift = Shift(
        group=group,
        person=person,
        starts_at=starts_at,
        ends_at=ends_at,
        note=note,
        created_by=actor,
    )
    save_audited(shift, actor=actor, reason="planned")
    return shift


@transaction.atomic
def shift_remove(*, actor: User, shift: Shift) -> None:
    """Take a shift off the roster before it starts (a shift that has begun stays: it
    happened)."""
    if shift.starts_at <= timezone.now():
        raise ConflictError(_("This shift has begun and stays on the roster."))
    if shift.swaps.filter(status=Swap.REQUESTED).exists():
        raise ConflictError(_("A swap of this shift awaits a decision."))
    shift._history_user = actor  # type: ignore[attr-defined]
    shift._change_reason = "removed"  # type: ignore[attr-defined]
    shift.delete()


@transaction.atomic
def week_copy(*, actor: User, group: DutyGroup, week: dt.date) -> int:
    """Plan the week starting ``week`` (a Monday) like the week before it: each shift a
    week later, unless its person is on duty then already. Returns how many it added."""
    start = _week_start(week)
    first, last = _local_midnight(start - dt.timedelta(days=7)), _local_midnight(start)
    added = 0
    for shift in Shift.objects.filter(group=group, starts_at__gte=first, starts_at__lt=last):
        starts_at, ends_at = _week_later(shift.starts_at), _week_later(shift.ends_at)
        if (
            not qualified(group, shift.person)
            or _overlapping(shift.person, starts_at, ends_at).exists()
        ):
            continue
        copy = Shift(
            group=group,
            person=shift.person,
            starts_at=starts_at,
            ends_at=ends_at,
            note=shift.note,
            created_by=actor,
        )
        save_audited(copy, actor=actor, reason="copied from the week before")
        added += 1
    return added


def _week_later(at: dt.datetime) -> dt.datetime:
    """The same wall-clock time a week later (Shanghai has no clock changes, but say so)."""
    local = timezone.localtime(at)
    return timezone.make_aware(local.replace(tzinfo=None) + dt.timedelta(days=7))


def _week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# --- swaps -------------------------------------------------------------------------------


@transaction.atomic
def swap_request(*, actor: User, shift: Shift, to_person: User, reason: str) -> ShiftSwap:
    """Ask to hand ``shift`` to ``to_person``: by the person on it, or by a planner."""
    if actor.pk != shift.person_id and not may_plan(actor):
        raise ConflictError(_("Only the person on this shift may ask to hand it over."))
    if shift.ends_at <= timezone.now():
        raise ConflictError(_("This shift is over."))
    if shift.swaps.filter(status=Swap.REQUESTED).exists():
        raise ConflictError(_("A swap of this shift awaits a decision."))
    errors: dict[str, Any] = {}
    reason = typed_text(reason, "reason", 200, errors, required=True)
    if to_person.pk == shift.person_id:
        errors["to_person"] = _("Choose someone else.")
    elif not qualified(shift.group, to_person):
        errors["to_person"] = not_member(shift.group, to_person)
    if errors:
        raise ValidationError(errors)
    swap = ShiftSwap(
        shift=shift,
        from_person=shift.person,
        to_person=to_person,
        reason=reason,
        requested_by=actor,
        requested_at=timezone.now(),
    )
    save_audited(swap, actor=actor, reason="requested")
    _tell_planners(swap)
    return swap


def _tell_planners(swap: ShiftSwap) -> None:
    from aftersales.accounts.selectors import users_with_role
    from aftersales.obligations.notices import notify

    notify(
        users=users_with_role(Role.SERVICE_MANAGER),
        message=_("Shift swap asked: %(group)s %(span)s, %(from)s to %(to)s (%(reason)s).")
        % {
            "group": swap.shift.group,
            "span": span(swap.shift),
            "from": swap.from_person,
            "to": swap.to_person,
            "reason": swap.reason,
        },
        url="/duty/swaps/",
    )


@transaction.atomic
def swap_decide(*, actor: User, swap: ShiftSwap, approve: bool) -> ShiftSwap:
    """The service manager's decision. Approving hands the shift over, refused (400)
    if the new person is no longer qualified or is on duty then already."""
    if not may_plan(actor):
        raise ConflictError(_("Only the service manager decides a swap."))
    swap = ShiftSwap.objects.select_for_update().select_related("shift__group").get(pk=swap.pk)
    SWAP_LIFE.check(swap, Swap.APPROVED if approve else Swap.REFUSED)
    shift = swap.shift
    if approve:
        if not qualified(shift.group, swap.to_person):
            raise ValidationError({"to_person": not_member(shift.group, swap.to_person)})
        _check_free(swap.to_person, shift.starts_at, shift.ends_at, but=shift.pk)
        shift.person = swap.to_person
        save_audited(shift, actor=actor, reason="swapped")
    swap.decided_by, swap.decided_at = actor, timezone.now()
    SWAP_LIFE.move(swap, Swap.APPROVED if approve else Swap.REFUSED, actor=actor)
    from aftersales.obligations.notices import notify

    notify(
        users=[swap.from_person, swap.to_person],
        message=(
            _("Shift swap approved: %(group)s %(span)s, now %(to)s.")
            if approve
            else _("Shift swap refused: %(group)s %(span)s stays with %(from)s.")
        )
        % {
            "group": shift.group,
            "span": span(shift),
            "to": swap.to_person,
            "from": swap.from_person,
        },
        url="/duty/",
        exclude=actor,
    )
    return swap


@transaction.atomic
def swap_withdraw(*, actor: User, swap: ShiftSwap) -> ShiftSwap:
    if actor.pk != swap.requested_by_id and not may_plan(actor):
        raise ConflictError(_("Only the person who asked may withdraw it."))
    swap = ShiftSwap.objects.select_for_update().get(pk=swap.pk)
    SWAP_LIFE.move(swap, Swap.WITHDRAWN, actor=actor)
    return swap


# --- who is on duty, and where the cover has gaps ------------------------------------------


def on_duty(at: dt.datetime | None = None, *, kind: str | None = None) -> QuerySet[Shift]:
    """The shifts running at ``at`` (now), with their group and person."""
    at = at or timezone.now()
    shifts = Shift.objects.filter(starts_at__lte=at, ends_at__gt=at)
    if kind is not None:
        shifts = shifts.filter(group__kind=kind)
    return shifts.select_related("group", "person").order_by("group__kind", "group__name", "pk")


def duty_now(at: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Every group with who is on duty in it at ``at`` (now) and until when; a group
    nobody covers while it must be covered says so (``covered`` false)."""
    at = at or timezone.now()
    running: dict[int, list[Shift]] = {}
    for shift in on_duty(at):
        running.setdefault(shift.group_id, []).append(shift)
    out = []
    for group in DutyGroup.objects.select_related("calendar").order_by("kind", "name"):
        shifts = running.get(group.pk, [])
        out.append(
            {
                "group": group,
                "shifts": shifts,
                "needed": needs_cover(group, at),
                "covered": bool(shifts) or not needs_cover(group, at),
            }
        )
    return out


def needs_cover(group: DutyGroup, at: dt.datetime) -> bool:
    return bool(required(group, at, at + dt.timedelta(seconds=1)))


def required(
    group: DutyGroup, start: dt.datetime, end: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime]]:
    """When the group must have someone on duty between ``start`` and ``end``: all of it,
    or what lies outside the working days' hours — from the end of one working day to
    the start of the next (the lunch break is part of the working day)."""
    if group.cover == DutyGroup.Cover.ALWAYS:
        return [(start, end)]
    calendar = work_calendar(group.calendar)
    days: dict[dt.date, tuple[dt.datetime, dt.datetime]] = {}
    lo, hi = start - dt.timedelta(days=1), end + dt.timedelta(days=1)
    for a, b in calendar.working_intervals(lo, hi):
        day = a.astimezone(calendar.tz).date()
        first, last = days.get(day, (a, b))
        days[day] = (min(first, a), max(last, b))
    out, cursor = [], start
    for a, b in sorted(days.values()):
        a, b = max(a, start), min(b, end)
        if a >= b:
            continue
        if cursor < a:
            out.append((cursor, a))
        cursor = max(cursor, b)
    if cursor < end:
        out.append((cursor, end))
    return out


@dataclass(frozen=True)
class Gap:
    group: DutyGroup
    starts_at: dt.datetime
    ends_at: dt.datetime

    @property
    def hours(self) -> float:
        return round((self.ends_at - self.starts_at).total_seconds() / 3600, 1)

    def __str__(self) -> str:
        a, b = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        return f"{self.group} {a:%m-%d %H:%M}–{b:%m-%d %H:%M}"


def gaps(
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    *,
    group: DutyGroup | None = None,
) -> list[Gap]:
    """The stretches between ``start`` (now) and ``end`` (two weeks on) that a group must
    cover and no shift does, in time order. Two queries for all groups."""
    start = start or timezone.now()
    end = end or start + AHEAD
    groups = DutyGroup.objects.select_related("calendar")
    if group is not None:
        groups = groups.filter(pk=group.pk)
    shifts: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
    for g, a, b in (
        Shift.objects.filter(ends_at__gt=start, starts_at__lt=end)
        .order_by("starts_at")
        .values_list("group_id", "starts_at", "ends_at")
    ):
        shifts.setdefault(g, []).append((a, b))
    out = []
    for each in groups:
        for need_a, need_b in required(each, start, end):
            cursor = need_a
            for a, b in shifts.get(each.pk, []):
                if b <= cursor:
                    continue
                if a >= need_b:
                    break
                if a > cursor:
                    out.append(Gap(each, cursor, min(a, need_b)))
                cursor = max(cursor, b)
                if cursor >= need_b:
                    break
            if cursor < need_b:
                out.append(Gap(each, cursor, need_b))
    # A gap shorter than a minute is two shifts meeting a few seconds apart.
    out = [gap for gap in out if gap.ends_at - gap.starts_at >= dt.timedelta(minutes=1)]
    return sorted(out, key=lambda gap: (gap.starts_at, gap.group.name))


def gaps_warn(*, now: dt.datetime | None = None) -> int:
    """Tell the service managers of the gaps of the coming two weeks (each morning)."""
    from aftersales.accounts.selectors import users_with_role
    from aftersales.obligations.notices import notify

    found = gaps(now)
    if not found:
        return 0
    listed = "；".join(str(gap) for gap in found[:5])
    more = len(found) - 5
    message = _("Gaps in the duty roster of the next two weeks: %(gaps)s") % {"gaps": listed}
    if more > 0:
        message += _(" and %(n)d more.") % {"n": more}
    notify(users=users_with_role(Role.SERVICE_MANAGER), message=message, url="/duty/")
    return len(found)


# --- what the rest of the system asks -----------------------------------------------------


def agent_on_duty(at: dt.datetime) -> User | None:
    """The hotline agent on duty at ``at`` (the first, if two share the hour)."""
    shift = on_duty(at, kind=Kind.HOTLINE).filter(person__is_active=True).first()
    return shift.person if shift is not None else None


def technicians_available(board: list[User], at: dt.datetime | None = None) -> list[User]:
    """Of the board's technicians, those who may be sent now: everyone in working hours
    (or when no group of technicians on call exists), else those on call."""
    at = at or timezone.now()
    groups = list(DutyGroup.objects.filter(kind=Kind.TECHNICIANS).select_related("calendar"))
    if not groups or not any(needs_cover(group, at) for group in groups):
        return board
    on_call = set(on_duty(at, kind=Kind.TECHNICIANS).values_list("person_id", flat=True))
    return [tech for tech in board if tech.pk in on_call]


def managers_on_call(at: dt.datetime) -> list[User] | None:
    """Outside working hours, the managers on call then (None in working hours, or when
    nobody is on the roster for it: the service managers are told as usual)."""
    groups = list(DutyGroup.objects.filter(kind=Kind.MANAGERS).select_related("calendar"))
    if not groups or not any(needs_cover(group, at) for group in groups):
        return None
    people = [shift.person for shift in on_duty(at, kind=Kind.MANAGERS) if shift.person.is_active]
    return people or None
