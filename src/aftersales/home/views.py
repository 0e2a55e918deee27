"""The home page: for each of the user's roles, what to do next, from live data."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role
from aftersales.calendars.selectors import years_missing_statutory_days
from aftersales.common.requests import acting_user
from aftersales.home import desk, field, leaders, quality, stock
from aftersales.home.panels import Panel, Section

# Each role's part of the home, in the order the parts show; roles sharing a part
# (warehouse and finance, vice-president and general manager) see it once.
PARTS: list[tuple[str, tuple[str, ...], object, Callable[[User], list[Panel]]]] = [
    ("leaders", (Role.GENERAL_MANAGER, Role.SALES_VP), _("Management"), leaders.leaders),
    ("manager", (Role.SERVICE_MANAGER,), Role.SERVICE_MANAGER.label, desk.manager),
    ("agent", (Role.AGENT,), Role.AGENT.label, desk.agent),
    ("technician", (Role.TECHNICIAN,), Role.TECHNICIAN.label, field.technician),
    ("stock", (Role.WAREHOUSE, Role.FINANCE), _("Stock and books"), stock.stock),
    ("quality", (Role.QUALITY,), Role.QUALITY.label, quality.quality),
]
# Roles with no part of their own still see the limits they are responsible for.
OWN_LIMITS = (Role.QUALITY, Role.SALES, Role.TECHNICAL)


def sections_for(user: User) -> list[Section]:
    if user.is_external:
        return []
    sections = [
        Section(key, title, build(user))  # type: ignore[arg-type]
        for key, roles, title, build in PARTS
        if user.has_role(*roles) or (user.is_superuser and key == "manager")
    ]
    if user.has_role(*OWN_LIMITS):
        sections.append(Section("mine", _("Your time limits"), [desk.my_limits(user)]))
    return sections


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if user.is_external and user.customer_id_scope:
        return redirect("portal:home")  # customers have a portal of their own
    missing_years: list[int] = []
    if user.has_perm("calendars.add_calendarexception"):
        missing_years = years_missing_statutory_days(timezone.localdate())
    return render(
        request,
        "home/home.html",
        {"missing_statutory_years": missing_years, "sections": sections_for(user)},
    )
