"""The roles of R-ORG-1 and what each may do.

A role is a Django group named by its code; its permissions are the table
below, applied by ``roles_sync`` after every migration, so adding a model's
permission here is the one place to change who may touch it.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AGENT = "agent", _("Customer service agent")
    TECHNICIAN = "technician", _("Technician")
    SERVICE_MANAGER = "service_manager", _("Service manager")
    SALES = "sales", _("Sales")
    TECHNICAL = "technical", _("Technical department")
    QUALITY = "quality", _("Quality")
    WAREHOUSE = "warehouse", _("Warehouse keeper")
    FINANCE = "finance", _("Finance")
    SALES_VP = "sales_vp", _("Sales vice-president")
    GENERAL_MANAGER = "general_manager", _("General manager")
    CUSTOMER = "customer", _("Customer contact")


CATALOGUE = ["customers.productmodel", "customers.partitem"]
CUSTOMER_RECORDS = [
    "customers.customer",
    "customers.site",
    "customers.contact",
    "customers.equipment",
    "customers.maintenancecontract",
]
CALENDARS = ["calendars.calendar", "calendars.workingperiod", "calendars.calendarexception"]
TIME_LIMITS = ["obligations.policy", "obligations.escalationstep", "obligations.obligation"]
SERVICE = ["service.servicerequest", "service.workorder"]
DEPOT = ["depot.repairbatch", "depot.repairunit"]
RETURNS = ["returns.returnrequest", "returns.unpackinginspection"]
COMPLAINTS = [
    "complaints.complaint",
    "complaints.step",
    "complaints.correctiveaction",
    "complaints.regionalwarning",
    "complaints.monthlyreview",
]
PARTS = [
    "parts.location",
    "parts.movement",
    "parts.balance",
    "parts.periodclose",
    "parts.backupunit",
    "parts.backuploan",
    "parts.backupbaseline",
    "parts.toolkit",
    "parts.tool",
]
# Settings of complaint handling: the service manager's (through EVERYTHING), read by all.
COMPLAINT_SETTINGS = ["complaints.acceptancewindow"]
FEEDBACK = [
    "feedback.visit",
    "feedback.visitissue",
    "feedback.questionset",
    "feedback.surveycampaign",
    "feedback.surveyinvitation",
    "feedback.answer",
]
MAINTENANCE = [
    "maintenance.maintenanceplan",
    "maintenance.plannedvisit",
    "maintenance.inspection",
    "maintenance.installation",
    "maintenance.trainingsession",
    "maintenance.upgrade",
    "maintenance.checklisttemplate",
]
# Sales records (R-CUS-6): orders, their prices and what they delivered.
SALES_RECORDS = ["sales.salesorder"]
# Known faults and their fixes (R-KB-1): engineers write, reviewers publish.
KNOWLEDGE = ["knowledge.article"]
# The service mailbox's mail (R-SR-1, channel 邮件): placed by agents and the manager.
MAIL = ["inbox.inboundmail"]
# The duty roster and emergencies (R-OP-1, R-OP-3): planned by the service manager, read
# by all staff; a member asks to swap a shift; whoever is on duty records an emergency.
ROSTER = ["operations.dutygroup", "operations.shift", "operations.shiftswap"]
EMERGENCIES = ["operations.incident"]
COMP_TIME = ["operations.comptimerequest", "operations.comptimeentry"]
PUBLISH = {"knowledge.publish_article"}
# Agents call customers back and hand on what they cannot solve (R-FB-3).
VISITS = FEEDBACK[:2]
BACKUPS = ["parts.backupunit", "parts.backuploan", "parts.backupbaseline"]
TOOLS = ["parts.toolkit", "parts.tool"]
EVERYTHING = (
    CUSTOMER_RECORDS
    + CATALOGUE
    + CALENDARS
    + TIME_LIMITS
    + SERVICE
    + DEPOT
    + RETURNS
    + PARTS
    + COMPLAINTS
    + COMPLAINT_SETTINGS
    + FEEDBACK
    + MAINTENANCE
    + SALES_RECORDS
    + KNOWLEDGE
    + ROSTER
    + EMERGENCIES
    + COMP_TIME
)
CLOSE_MONTH = {"parts.close_period"}


def _perms(actions: str, models_: list[str]) -> set[str]:
    return {
        f"{label.split('.')[0]}.{action}_{label.split('.')[1]}"
        for label in models_
        for action in actions.split()
    }


VIEW_ALL = _perms("view", EVERYTHING)
# Management's reading: the month's complaint review, the stock books and the survey
# analysis. A technician (or a warehouse keeper) reads their own work, not these.
OVERSIGHT = {
    "complaints.view_monthlyreview",
    "parts.view_periodclose",
    "parts.view_periodbalance",
    "feedback.view_answer",
}
AUDIT = {"accounts.view_audit_trail"}
PEOPLE = _perms("view", ["accounts.user", "accounts.department"])

ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.AGENT: VIEW_ALL
    | _perms("add change", CUSTOMER_RECORDS + SERVICE + DEPOT + RETURNS + COMPLAINTS + VISITS)
    | _perms("view change", MAIL)
    | _perms("add", ["operations.shiftswap", COMP_TIME[0]])
    | _perms("add change", EMERGENCIES)
    # The follow-up call after an installation scores the installer.
    | _perms("change", ["maintenance.installation"])
    | PEOPLE,
    # Technicians see the requests and orders assigned to them (the selectors narrow it).
    # ... and book parts in and out of their own kit (the services check whose kit).
    Role.TECHNICIAN: (VIEW_ALL - OVERSIGHT - _perms("view", SALES_RECORDS))
    | _perms("change", SERVICE + DEPOT)
    | _perms("add", ["parts.movement"])
    | _perms("add change", ["maintenance.inspection", "maintenance.upgrade"])
    | _perms("change", ["maintenance.installation", "maintenance.trainingsession"])
    | _perms("change", ["parts.tool", "complaints.complaint", "complaints.correctiveaction"])
    | _perms("add change", KNOWLEDGE)
    | _perms("add", ["operations.shiftswap", COMP_TIME[0]])
    | _perms("add change", EMERGENCIES),
    Role.SERVICE_MANAGER: VIEW_ALL
    | _perms("add change", EVERYTHING)
    | _perms("delete", ["calendars.calendarexception"])
    | AUDIT
    | PEOPLE
    | CLOSE_MONTH
    | {"maintenance.confirm_maintenanceplan"}
    | PUBLISH
    | {"common.resend_outboundmessage"}
    # Bringing a company's spreadsheets in: the service manager (and the administrator).
    | _perms("view add", ["imports.importrun"])
    | _perms("view change", MAIL),
    Role.SALES: VIEW_ALL
    | _perms("add change", CUSTOMER_RECORDS + RETURNS + SALES_RECORDS)
    | _perms("change", ["feedback.visitissue"]),
    # The technical department reviews requests for systems we did not install (R-SR-9).
    Role.TECHNICAL: VIEW_ALL
    | _perms("add change", CATALOGUE + KNOWLEDGE)
    | PUBLISH
    | _perms("change", [*SERVICE[:1], "feedback.visitissue"]),
    # Quality investigates complaints and verifies corrective actions (R-CP-6).
    Role.QUALITY: VIEW_ALL
    | _perms("change", [COMPLAINTS[0], COMPLAINTS[2], "feedback.visitissue"]),
    Role.WAREHOUSE: VIEW_ALL
    | _perms(
        "add change",
        ["customers.partitem", "parts.location", "parts.movement", *BACKUPS, *TOOLS],
    )
    | _perms("add change", DEPOT)
    | PEOPLE,
    # Finance reconciles stock each month and closes it (R-SP-4).
    Role.FINANCE: VIEW_ALL | CLOSE_MONTH,
    Role.SALES_VP: VIEW_ALL
    | AUDIT
    | PEOPLE
    | _perms("change", COMPLAINTS[:1] + EMERGENCIES)
    | _perms("add change", SALES_RECORDS),
    # The general manager decides every return (R-RT-2); the service checks the role.
    Role.GENERAL_MANAGER: VIEW_ALL
    | AUDIT
    | PEOPLE
    | _perms("change", RETURNS[:1] + COMPLAINTS[:1]),
    # Customers read their own company's records only; the selectors scope them.
    Role.CUSTOMER: _perms("view", [*CUSTOMER_RECORDS, "customers.productmodel"])
    | _perms("view add", ["service.servicerequest"])
    | _perms("view", ["depot.repairbatch", "returns.returnrequest", "complaints.complaint"])
    | _perms("view", MAINTENANCE[:6] + KNOWLEDGE)
    | {"service.confirm_servicerequest", "maintenance.confirm_maintenanceplan"},
}

# Roles whose holders see the audit trail on record pages.
MANAGER_ROLES = {Role.SERVICE_MANAGER, Role.SALES_VP, Role.GENERAL_MANAGER}


def roles_sync() -> None:
    """Create the role groups and give each exactly the permissions above."""
    from django.contrib.auth.models import Group, Permission

    wanted = {code for perms in ROLE_PERMISSIONS.values() for code in perms}
    by_code = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type").filter(
            content_type__app_label__in={code.split(".")[0] for code in wanted}
        )
    }
    for role, codes in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=str(role))
        group.permissions.set([by_code[code] for code in codes if code in by_code])


def sync_roles_after_migrate(sender: Any, **kwargs: Any) -> None:
    # Also runs after `flush` (transactional tests), which empties the groups.
    roles_sync()
