"""Calendar pages and the 时限计算器 (deadline calculator)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.calendars import forms, selectors, services
from aftersales.calendars.models import Weekday
from aftersales.common.audit import history_entries
from aftersales.common.forms import run_service
from aftersales.common.requests import acting_user


@login_required
@permission_required("calendars.view_calendar", raise_exception=True)
def calendar_list(request: HttpRequest) -> HttpResponse:
    return render(request, "calendars/list.html", {"calendars": selectors.calendars()})


@login_required
@permission_required("calendars.view_calendar", raise_exception=True)
def calendar_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = acting_user(request)
    calendar = selectors.get_calendar(code)
    year = forms.year_from(request.GET.get("year"))
    can_edit = user.has_perm("calendars.change_calendarexception")
    periods = {day: [] for day in Weekday}  # type: ignore[var-annotated]
    for period in calendar.periods.all():
        periods[Weekday(period.weekday)].append(period)
    exception_form = forms.ExceptionForm(calendar=calendar)
    if request.method == "POST":
        if not user.has_perm("calendars.add_calendarexception"):
            raise PermissionDenied
        exception_form = forms.ExceptionForm(request.POST, calendar=calendar)
        if exception_form.is_valid():
            added = run_service(
                exception_form,
                lambda: services.exception_add(
                    actor=user, calendar=calendar, **exception_form.cleaned_data
                ),
            )
            if added is not None:
                messages.success(request, _("Saved."))
                return redirect(f"{request.path}?year={added.date.year}")
    return render(
        request,
        "calendars/detail.html",
        {
            "calendar": calendar,
            "year": year,
            "periods": periods,
            "exceptions": selectors.exceptions_of_year(calendar, year),
            "exception_form": exception_form,
            "import_form": forms.ImportForm(initial={"year": year}),
            "can_edit": can_edit,
            "history": history_entries(calendar)
            if user.has_perm("accounts.view_audit_trail")
            else [],
        },
    )


@login_required
@require_POST
@permission_required("calendars.delete_calendarexception", raise_exception=True)
def exception_remove(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    calendar = selectors.get_calendar(code)
    exception = get_object_or_404(calendar.exceptions, pk=pk)
    services.exception_remove(actor=acting_user(request), exception=exception)
    messages.success(request, _("Removed %(date)s.") % {"date": exception.date})
    return redirect(f"/calendars/{code}/?year={exception.date.year}")


@login_required
@require_POST
@permission_required("calendars.add_calendarexception", raise_exception=True)
def statutory_import(request: HttpRequest, code: str) -> HttpResponse:
    calendar = selectors.get_calendar(code)
    form = forms.ImportForm(request.POST)
    if form.is_valid():
        result = run_service(
            form,
            lambda: services.statutory_days_import(
                actor=acting_user(request), calendar=calendar, year=form.cleaned_data["year"]
            ),
        )
        if result is not None:
            messages.success(
                request,
                _("%(added)s days imported; %(kept)s days edited by hand were kept.") % result,
            )
            return redirect(f"/calendars/{code}/?year={form.cleaned_data['year']}")
    for error in form.errors.values():
        messages.error(request, " ".join(str(e) for e in error))
    return redirect(f"/calendars/{code}/")


@login_required
@permission_required("calendars.view_calendar", raise_exception=True)
def calculator(request: HttpRequest) -> HttpResponse:
    """时限计算器: a deadline from a start, an amount and a unit, on any calendar."""
    initial = {
        "calendar": "standard",
        "amount": 8,
        "unit": "working_hours",
        "start": timezone.localtime().replace(second=0, microsecond=0, tzinfo=None),
    }
    form = forms.CalculatorForm(request.GET or None, initial=initial)
    result = None
    if form.is_valid():
        data = form.cleaned_data
        work = selectors.work_calendar(data["calendar"])
        start = data["start"].astimezone(work.tz)
        due = work.add(start, data["amount"], data["unit"])
        result = {
            "start": start,
            "due": due,
            "working_minutes": work.working_seconds_between(start, due) / 60,
        }
    return render(request, "calendars/calculator.html", {"form": form, "result": result})
