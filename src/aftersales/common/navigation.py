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
    rules: str  # where its rules are in spec/requirements.md: for developers, never shown
    url_name: str | None = None  # None: not built yet, the area page says so
    permission: str | None = None
    short: Promise | None = None  # the menu's word for it, where the title is long
    about: Promise | None = None  # what a user finds there, in a line

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
        about=_("Customers, their sites, contacts and contracts."),
    ),
    Area(
        "equipment",
        _("Equipment"),
        "R-CUS-3, R-CUS-4, R-CUS-5",
        "customers:equipment_list",
        "customers.view_equipment",
        about=_("Every installed unit with its warranty and repair history."),
    ),
    Area(
        "product-models",
        _("Product models and fault codes"),
        "R-CUS-3, R-WO-5",
        "customers:product_models",
        "customers.view_productmodel",
        short=pgettext_lazy("menu", "Product models"),
        about=_("The models the company sells and each model's catalogue of fault codes."),
    ),
    Area(
        "sales",
        _("Sales orders"),
        "R-CUS-6",
        "sales:orders",
        "sales.view_salesorder",
        short=pgettext_lazy("menu", "Sales"),
        about=_("What each customer bought: orders, lines and the serial numbers shipped."),
    ),
    Area(
        "service-requests",
        _("Service requests"),
        "R-SR",
        "service:list",
        "service.view_servicerequest",
        about=_("Calls and repair requests from intake to the customer's confirmation."),
    ),
    Area(
        "mail",
        _("Service mailbox"),
        "R-SR-1",
        "inbox:list",
        "inbox.view_inboundmail",
        short=pgettext_lazy("menu", "Mailbox"),
        about=_("Mail to the service address: what became of each, and what an agent must place."),
    ),
    Area(
        "work-orders",
        _("Dispatch and work orders"),
        "R-WO",
        "service:my_jobs",
        "service.view_workorder",
        short=pgettext_lazy("menu", "Dispatch"),
        about=_("Who goes where, and the signed work orders."),
    ),
    Area(
        "depot",
        _("Depot repair"),
        "R-WO-8",
        "depot:list",
        "depot.view_repairbatch",
        about=_("Units sent back to the workshop or the maker for repair."),
    ),
    Area(
        "parts",
        _("Spare parts and backup units"),
        "R-SP",
        "parts:overview",
        "parts.view_balance",
        short=pgettext_lazy("menu", "Spare parts"),
        about=_("Stock in the depot and in the technicians' kits, backup units on loan."),
    ),
    Area(
        "returns",
        _("Returns and exchanges"),
        "R-RT",
        "returns:list",
        "returns.view_returnrequest",
        short=pgettext_lazy("menu", "Returns"),
        about=_("Returns and exchanges under the warranty law, with their approvals."),
    ),
    Area(
        "complaints",
        _("Complaints"),
        "R-CP",
        "complaints:list",
        "complaints.view_complaint",
        about=_("Complaints from registration to the complainant's answer."),
    ),
    Area(
        "feedback",
        _("Return visits and satisfaction"),
        "R-FB",
        "feedback:visits",
        "feedback.view_visit",
        short=pgettext_lazy("menu", "Return visits"),
        about=_("Calls back after a repair, and the satisfaction surveys."),
    ),
    Area(
        "maintenance",
        _("Maintenance, inspection, installation, training"),
        "R-PM",
        "maintenance:plans",
        "maintenance.view_maintenanceplan",
        short=pgettext_lazy("menu", "Maintenance"),
        about=_("Planned visits: maintenance, inspections, installations and training."),
    ),
    Area(
        "operations",
        _("Duty roster, emergencies, recalls"),
        "R-OP",
        "operations:roster",
        "operations.view_shift",
        short=pgettext_lazy("menu", "Duty roster"),
        about=_("Who is on duty, emergency plans and product recalls."),
    ),
    Area(
        "knowledge",
        _("Knowledge base"),
        "R-KB",
        "knowledge:list",
        "knowledge.view_article",
        about=_("Known faults and their fixes, searched in Chinese."),
    ),
    Area("reports", _("Reports"), "R-RP", about=_("How the service did, month by month.")),
    Area(
        "calendars",
        _("Working calendars and deadline calculator"),
        "policies.md",
        "calendars:list",
        "calendars.view_calendar",
        short=pgettext_lazy("menu", "Calendars"),
        about=_("Working days, holidays and make-up days; when a time limit falls due."),
    ),
    Area(
        "time-limits",
        _("Time-limit monitor"),
        "policies.md",
        "obligations:monitor",
        "obligations.view_obligation",
        short=pgettext_lazy("menu", "Time limits"),
        about=_("Every running time limit, who owns it and what is late."),
    ),
]

AREAS_BY_SLUG = {area.slug: area for area in AREAS}

# A customer contact's menu: the portal's pages (url name, label).
PORTAL_NAV = [
    ("portal:home", pgettext_lazy("portal menu", "My service")),
    ("portal:report", pgettext_lazy("portal menu", "Report a fault")),
    ("portal:equipment", pgettext_lazy("portal menu", "My equipment")),
    ("portal:complaint", pgettext_lazy("portal menu", "Complain")),
    ("portal:help", pgettext_lazy("portal menu", "Self-help")),
]
