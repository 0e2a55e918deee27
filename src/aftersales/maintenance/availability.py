"""Equipment availability (设备完好率, R-PM-3; seed 001 三 1: "设备完好率100%(4小时以内
故障不计算在内)").

An outage is a P1 or P2 request on a unit, from the call to the fault cleared (the
request resolved; still open: until now). An outage shorter than PM.OUTAGE (4
hours) is not counted. A unit's availability over a period is the share of the
period it was not out; a customer's is over all its units in service.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q
from django.utils import timezone

from aftersales.customers.models import Equipment
from aftersales.obligations.policies import policy_duration
from aftersales.service.models import ServiceRequest, Severity

TARGET = 1.0
OUTAGE_SEVERITIES = (Severity.P1, Severity.P2)


@dataclass
class Outage:
    request_id: int
    number: str
    equipment_id: int
    serial_number: str
    started_at: dt.datetime
    ended_at: dt.datetime
    cleared: bool
    minutes: float  # within the period
    counted: bool


@dataclass
class Availability:
    start: dt.date
    end: dt.date
    units: int
    period_minutes: float
    outages: list[Outage] = field(default_factory=list)

    @property
    def outage_minutes_counted(self) -> float:
        return round(sum(o.minutes for o in self.outages if o.counted), 1)

    @property
    def availability(self) -> float:
        """0..1; 1 with no unit (nothing was out)."""
        total = self.units * self.period_minutes
        if total <= 0:
            return 1.0
        return max(0.0, 1 - self.outage_minutes_counted / total)

    @property
    def below_target(self) -> bool:
        return self.availability < TARGET


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The days ``start`` to ``end`` (both included) as instants, local time."""
    first = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    last = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    return first, last


def _outages(units: Q, start: dt.date, end: dt.date) -> list[tuple[int, Outage]]:
    """(customer id, outage) of every P1/P2 request on the units that overlaps the days."""
    first, last = _bounds(start, end)
    now = timezone.now()
    shortest = policy_duration("PM.OUTAGE") or dt.timedelta(hours=0)
    rows = (
        ServiceRequest.objects.filter(
            units, severity__in=OUTAGE_SEVERITIES, received_at__lt=last, equipment__isnull=False
        )
        .annotate(cleared=Min("changes__at", filter=Q(changes__to_status="resolved")))
        .filter(Q(cleared__isnull=True) | Q(cleared__gt=first))
        .exclude(status=ServiceRequest.Status.CANCELLED)
        .values_list(
            "pk",
            "number",
            "customer_id",
            "equipment_id",
            "equipment__serial_number",
            "received_at",
            "cleared",
        )
        .order_by("received_at")
    )
    found = []
    for pk, number, customer_id, unit, serial, began, cleared in rows:
        ended = cleared or now
        inside = (min(ended, last) - max(began, first)).total_seconds() / 60
        found.append(
            (
                customer_id,
                Outage(
                    request_id=pk,
                    number=number,
                    equipment_id=unit,
                    serial_number=serial,
                    started_at=began,
                    ended_at=ended,
                    cleared=cleared is not None,
                    minutes=round(max(inside, 0.0), 1),
                    counted=ended - began >= shortest,
                ),
            )
        )
    return found


def _in_service(start: dt.date) -> Q:
    return Q(retired_on__isnull=True) | Q(retired_on__gte=start)


def _minutes(start: dt.date, end: dt.date) -> float:
    first, last = _bounds(start, end)
    return (last - first).total_seconds() / 60


def unit_availability(equipment: Equipment, start: dt.date, end: dt.date) -> Availability:
    result = Availability(start, end, 1, _minutes(start, end))
    result.outages = [o for _c, o in _outages(Q(equipment=equipment), start, end)]
    return result


def customer_availability(customer_id: int, start: dt.date, end: dt.date) -> Availability:
    units = Equipment.objects.filter(_in_service(start), customer_id=customer_id).count()
    result = Availability(start, end, units, _minutes(start, end))
    result.outages = [o for _c, o in _outages(Q(customer_id=customer_id), start, end)]
    return result


def customers_availability(
    start: dt.date, end: dt.date, customer_ids: Iterable[int] | None = None
) -> dict[int, Availability]:
    """Every customer's (or those given) availability over the days: two queries."""
    units = Equipment.objects.filter(_in_service(start))
    scope = Q()
    if customer_ids is not None:
        ids = list(customer_ids)
        units = units.filter(customer_id__in=ids)
        scope = Q(customer_id__in=ids)
    minutes = _minutes(start, end)
    results = {
        row["customer_id"]: Availability(start, end, row["n"], minutes)
        for row in units.values("customer_id").annotate(n=Count("pk")).order_by()
    }
    grouped: dict[int, list[Outage]] = defaultdict(list)
    for customer_id, outage in _outages(scope, start, end):
        grouped[customer_id].append(outage)
    for customer_id, outages in grouped.items():
        result = results.setdefault(customer_id, Availability(start, end, 0, minutes))
        result.outages = outages
    return results
