"""What a home page is made of: panels of entries, each a link to a record and the
step to take there, built from live data by the role modules (desk, field, stock,
quality, leaders)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from aftersales.obligations.sweep import minutes_left

# Each list is short: the most urgent few, and a link to the full list.
SHORT = 8


@dataclass
class Entry:
    title: str
    url: str
    detail: str = ""  # the step to take, or what the record is about
    note: str = ""  # a second line: customer, address, amounts
    phone: str = ""  # tap to call
    map_url: str = ""
    when: dt.datetime | None = None
    when_label: str | Promise = ""  # what ``when`` is: due, planned arrival, decided
    obligation: Any = None  # with ``minutes``: the time left, shown by the template
    minutes: float | None = None
    tone: str = ""  # danger (late), warning (past its warning time), or none


@dataclass
class Panel:
    key: str
    title: str | Promise
    empty: str | Promise
    entries: list[Entry] = field(default_factory=list)
    more_url: str = ""
    figures: list[Any] = field(default_factory=list)  # a table of headline figures
    kind: str = "list"  # list, figures or load

    @property
    def count(self) -> str:
        """How many are listed; "8+" when the list is cut short."""
        n = len(self.entries)
        return f"{n}+" if n >= SHORT else str(n)


@dataclass
class Section:
    """One role's part of the home (a person with several roles sees each)."""

    key: str
    title: str | Promise
    panels: list[Panel]


def tone_of(obligation: Any, now: dt.datetime) -> str:
    if obligation.state == "breached":
        return "danger"
    if obligation.warn_at is not None and obligation.warn_at <= now:
        return "warning"
    return ""


def customer_of(record: Any) -> Any:
    """The customer a record concerns: its own, or its request's (a work order)."""
    customer = getattr(record, "customer", None)
    if customer is None and getattr(record, "service_request", None) is not None:
        customer = record.service_request.customer
    return customer


def limit_entry(obligation: Any, now: dt.datetime, *, phone: str = "") -> Entry:
    """A time limit as an entry: its record and customer, the step (the rule's name),
    and the time left."""
    record = obligation.target
    customer = customer_of(record)
    url = record.get_absolute_url() if hasattr(record, "get_absolute_url") else ""
    return Entry(
        title=str(record) if record is not None else "—",
        url=url,
        detail=obligation.name,
        note=str(customer) if customer is not None else "",
        phone=phone,
        obligation=obligation,
        minutes=minutes_left(obligation, now),
        when=obligation.due_at,
        when_label=pgettext_lazy("when", "due"),
        tone=tone_of(obligation, now),
    )


def soonest_open(records: list[Any], rules: tuple[str, ...]) -> dict[int, Any]:
    """Per record (by pk), its open limit of those ``rules`` that falls due first, read
    in one query for all the records."""
    from aftersales.obligations.selectors import obligations_of_each

    soonest: dict[int, Any] = {}
    for ob in obligations_of_each(records):
        if ob.state not in ("running", "breached") or ob.rule not in rules or ob.due_at is None:
            continue
        known = soonest.get(ob.object_id)
        if known is None or ob.due_at < known.due_at:
            soonest[ob.object_id] = ob
    return soonest


def map_link(address: str) -> str:
    """A map search for the address (AutoNavi's web link opens its app on a phone)."""
    return f"https://uri.amap.com/search?keyword={quote(address)}" if address else ""
