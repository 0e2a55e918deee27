"""The areas of spec/requirements.md, in its order, as the navigation shows them."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Area:
    slug: str
    title: Promise
    rules: str
    url_name: str | None = None  # None: not built yet, the area page says so
    permission: str | None = None
    short: Promise | None = None  # the menu's word for it, where the title is long

    @property
    def menu_title(self) -> Promise:
        return self.short or self.title


AREAS = [
    Area(
        "customers",
        _("Customers and equipment"),
        "R-CUS",
        "customers:list",
        "customers.view_customer",
        short=pgettext_lazy("menu", "Customers"),
    ),
    Area(
        "equipment",
        _("Equipment"),
        "R-CUS-3, R-CUS-4, R-CUS-5",
        "customers:equipment_list",
        "customers.view_equipment",
    ),
    Area(
        "service-requests",
        _("Service requests"),
        "R-SR",
        "service:list",
        "service.view_servicerequest",
    ),
    Area(
        "work-orders",
        _("Dispatch and work orders"),
        "R-WO",
        "service:my_jobs",
        "service.view_workorder",
        short=pgettext_lazy("menu", "Dispatch"),
    ),
    Area(
        "depot",
        _("Depot repair"),
        "R-WO-8",
        "depot:list",
        "depot.view_repairbatch",
    ),
    Area(
        "parts",
        _("Spare parts and backup units"),
        "R-SP",
        "parts:overview",
        "parts.view_balance",
        short=pgettext_lazy("menu", "Spare parts"),
    ),
    Area(
        "returns",
        _("Returns and exchanges"),
        "R-RT",
        "returns:list",
        "returns.view_returnrequest",
        short=pgettext_lazy("menu", "Returns"),
    ),
    Area(
        "complaints",
        _("Complaints"),
        "R-CP",
        "complaints:list",
        "complaints.view_complaint",
    ),
    Area(
        "feedback",
        _("Return visits and satisfaction"),
        "R-FB",
        "feedback:visits",
        "feedback.view_visit",
        short=pgettext_lazy("menu", "Return visits"),
    ),
    Area("maintenance", _("Maintenance, inspection, installation, training"), "R-PM"),
    Area("operations", _("Duty roster, emergencies, recalls"), "R-OP"),
    Area("knowledge", _("Knowledge base"), "R-KB"),
    Area("reports", _("Reports"), "R-RP"),
    Area(
        "calendars",
        _("Working calendars and deadline calculator"),
        "policies.md",
        "calendars:list",
        "calendars.view_calendar",
        short=pgettext_lazy("menu", "Calendars"),
    ),
    Area(
        "time-limits",
        _("Time-limit monitor"),
        "policies.md",
        "obligations:monitor",
        "obligations.view_obligation",
        short=pgettext_lazy("menu", "Time limits"),
    ),
]

AREAS_BY_SLUG = {area.slug: area for area in AREAS}
