"""The duty roster and an emergency of the demo (R-OP-1, R-OP-3).

The hotline is covered around the clock by two agents (day 08:00–20:00, night
20:00–08:00) and the technicians and managers on call cover the nights, weekends and
holidays — this week and next, except one night next week nobody has taken on the
hotline: the gap the service manager sees on the roster. One emergency has just
been reported: the service manager and the vice-president are called to the office."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from aftersales.calendars.models import Calendar
from aftersales.operations import emergencies, roster
from aftersales.operations.models import DutyGroup


def _group(name: str, kind: str, cover: str, phone: str, members: list[Any]) -> DutyGroup:
    group = DutyGroup.objects.create(
        name=name,
        kind=kind,
        cover=cover,
        phone=phone,
        calendar=Calendar.objects.get(code="standard"),
    )
    group.members.set(members)
    return group


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def demo_operations(staff: dict[str, Any]) -> None:
    manager = staff["manager"]
    hotline = _group(
        "热线值班",
        DutyGroup.Kind.HOTLINE,
        DutyGroup.Cover.ALWAYS,
        "400-800-1234",
        [staff["agent"], staff["agent2"]],
    )
    techs = _group(
        "技术员值班",
        DutyGroup.Kind.TECHNICIANS,
        DutyGroup.Cover.OFF_HOURS,
        "13911020000",
        [staff["tech"], staff["tech2"]],
    )
    managers = _group(
        "值班经理",
        DutyGroup.Kind.MANAGERS,
        DutyGroup.Cover.OFF_HOURS,
        "13701040000",
        [manager, staff["vp"]],
    )
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    gap_night = monday + dt.timedelta(days=9)  # next Wednesday
    for n in range(-1, 14):
        day = monday + dt.timedelta(days=n)
        nxt = day + dt.timedelta(days=1)
        day_agent, night_agent = (staff["agent"], staff["agent2"])[:: 1 if n % 2 else -1]
        roster.shift_add(
            actor=manager,
            group=hotline,
            person=day_agent,
            starts_at=_at(day, 8),
            ends_at=_at(day, 20),
        )
        if day != gap_night:
            roster.shift_add(
                actor=manager,
                group=hotline,
                person=night_agent,
                starts_at=_at(day, 20),
                ends_at=_at(nxt, 8),
            )
        on_call = (staff["tech"], staff["tech2"])[n % 2]
        roster.shift_add(
            actor=manager,
            group=techs,
            person=on_call,
            starts_at=_at(day, 8),
            ends_at=_at(nxt, 8),
            note="",
        )
        boss = (manager, staff["vp"])[n % 2]
        roster.shift_add(
            actor=manager, group=managers, person=boss, starts_at=_at(day, 8), ends_at=_at(nxt, 8)
        )
    now = timezone.now()
    incident = emergencies.incident_record(
        actor=staff["agent"],
        nature="机房空调故障，温度持续升高",
        place="杭州市西湖区文三路 90 号 华东数据中心三楼机房",
        occurred_at=now - dt.timedelta(minutes=15),
        reporter="华东数据中心值班室",
        reporter_contact="0571-88886666",
        casualties="无",
        property_loss="暂无，两台服务器已自动关机",
        progress="已通知客户启用备用空调",
        responders=[manager, staff["vp"]],
    )
    emergencies.incident_note(
        actor=staff["agent"], incident=incident, kind="call", leader="gm", text=""
    )
    emergencies.incident_note(
        actor=manager,
        incident=incident,
        kind="instruction",
        text="总经理指示：派技术员携带备用压缩机立即赶赴现场",
    )
