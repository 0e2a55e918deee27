"""Pages of the duty roster (who is on duty, the week's plan, gaps, swaps) and of
emergency incidents (record, alert, arrive, log, report, close, print)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.calendars.selectors import get_calendar, work_calendar
from aftersales.common.forms import errors_as_messages, run_service
from aftersales.common.requests import acting_user, given_id
from aftersales.common.views import pdf_page
from aftersales.operations import comp_time, emergencies, roster
from aftersales.operations.forms import CompTimeForm, IncidentForm, NoteForm, ShiftForm, SwapForm
from aftersales.operations.models import (
    CompTimeEntry,
    CompTimeRequest,
    DutyGroup,
    Incident,
    Shift,
    ShiftSwap,
)
from aftersales.operations.printing import incident_pdf


def _staff_only(request: HttpRequest) -> Any:
    user = acting_user(request)
    if user.is_external:
        raise Http404
    return user


# --- the roster ------------------------------------------------------------------------


@login_required
@permission_required("operations.view_shift", raise_exception=True)
def duty_now(request: HttpRequest) -> HttpResponse:
    """Who is on duty now, per group, with their phones (for the hotline and anyone)."""
    _staff_only(request)
    return render(request, "operations/duty_now.html", {"groups": roster.duty_now()})


def _week(text: str | None) -> dt.date:
    try:
        day = dt.date.fromisoformat(text or "")
    except ValueError:
        day = timezone.localdate()
    day = min(max(day, dt.date(2000, 1, 10)), dt.date(2100, 12, 20))
    return day - dt.timedelta(days=day.weekday())


def day_kind(spec: Any, day: dt.date) -> str:
    """How the calendar reads the day, in words (a make-up workday says so)."""
    if day in spec.makeup_workdays:
        return _("make-up workday")
    if day in spec.days_off:
        return _("holiday")
    return _("working day") if spec.periods_on(day) else _("rest day")


@login_required
@permission_required("operations.view_shift", raise_exception=True)
def roster_week(request: HttpRequest) -> HttpResponse:
    """The week's roster per group and day, the gaps of the next two weeks, and — for
    the service manager — planning a shift and copying last week's plan."""
    user = _staff_only(request)
    week = _week(request.GET.get("week") or request.POST.get("week"))
    planner = roster.may_plan(user)
    form = ShiftForm(request.POST if request.method == "POST" and "add" in request.POST else None)
    if request.method == "POST":
        if not planner:
            raise PermissionDenied
        if "add" in request.POST:
            if form.is_valid():
                starts, ends = form.span()
                data = form.cleaned_data
                done = run_service(
                    form,
                    lambda: roster.shift_add(
                        actor=user,
                        group=data["group"],
                        person=data["person"],
                        starts_at=starts,
                        ends_at=ends,
                        note=data["note"],
                    ),
                )
                if done is not None:
                    messages.success(request, _("Shift planned: %(s)s.") % {"s": roster.span(done)})
                    return redirect(f"/duty/?week={week:%Y-%m-%d}")
        else:
            with errors_as_messages(request):
                if "copy" in request.POST:
                    group = get_object_or_404(DutyGroup, pk=given_id(request.POST.get("group")))
                    n = roster.week_copy(actor=user, group=group, week=week)
                    messages.success(
                        request, _("%(n)d shifts copied from the week before.") % {"n": n}
                    )
                elif "remove" in request.POST:
                    shift = get_object_or_404(Shift, pk=given_id(request.POST.get("shift")))
                    roster.shift_remove(actor=user, shift=shift)
                    messages.success(request, _("Shift removed."))
                else:
                    raise Http404
            return redirect(f"/duty/?week={week:%Y-%m-%d}")
    days = [week + dt.timedelta(days=i) for i in range(7)]
    start = timezone.make_aware(dt.datetime.combine(week, dt.time.min))
    end = start + dt.timedelta(days=7)
    shifts = (
        Shift.objects.filter(starts_at__lt=end, ends_at__gt=start)
        .select_related("group", "person")
        .order_by("starts_at")
    )
    groups = list(DutyGroup.objects.select_related("calendar").order_by("kind", "name"))
    table: dict[int, dict[dt.date, list[Shift]]] = {g.pk: {day: [] for day in days} for g in groups}
    for shift in shifts:
        local = timezone.localtime(shift.starts_at).date()
        table[shift.group_id].setdefault(max(local, week), []).append(shift)
    spec = work_calendar(get_calendar("standard")).spec
    ahead = roster.gaps()
    return render(
        request,
        "operations/roster.html",
        {
            "week": week,
            "previous": week - dt.timedelta(days=7),
            "next": week + dt.timedelta(days=7),
            "days": [(day, day_kind(spec, day)) for day in days],
            "rows": [(g, [table[g.pk][day] for day in days]) for g in groups],
            "gaps": ahead[:50],
            "gap_count": len(ahead),
            "planner": planner,
            "form": form,
            "groups": groups,
            "now": timezone.now(),
            "me": user,
        },
    )


@login_required
@permission_required("operations.view_shift", raise_exception=True)
def swap_ask(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff_only(request)
    shift = get_object_or_404(Shift.objects.select_related("group", "person"), pk=pk)
    if shift.person_id != user.pk and not roster.may_plan(user):
        raise Http404
    form = SwapForm(request.POST or None, group=shift.group, exclude=shift.person_id)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: roster.swap_request(
                actor=user,
                shift=shift,
                to_person=form.cleaned_data["to_person"],
                reason=form.cleaned_data["reason"],
            ),
        )
        if done is not None:
            messages.success(request, _("Swap asked; the service manager decides."))
            return redirect("operations:swaps")
    title = _("Hand over %(group)s %(span)s") % {"group": shift.group, "span": roster.span(shift)}
    return render(request, "form_page.html", {"form": form, "title": title, "cancel": "/duty/"})


SWAP_DONE = {
    "approve": gettext_lazy("Swap approved: the shift changed hands."),
    "refuse": gettext_lazy("Swap refused."),
    "withdraw": gettext_lazy("Swap withdrawn."),
}


@login_required
@permission_required("operations.view_shiftswap", raise_exception=True)
def swaps(request: HttpRequest) -> HttpResponse:
    """Swaps asked: the service manager decides; the asker may withdraw."""
    user = _staff_only(request)
    planner = roster.may_plan(user)
    if request.method == "POST":
        swap = get_object_or_404(ShiftSwap, pk=given_id(request.POST.get("swap")))
        step = request.POST.get("step", "")
        if step not in SWAP_DONE:
            raise Http404
        with errors_as_messages(request):
            if step == "withdraw":
                roster.swap_withdraw(actor=user, swap=swap)
            else:
                roster.swap_decide(actor=user, swap=swap, approve=step == "approve")
            messages.success(request, SWAP_DONE[step])
        return redirect("operations:swaps")
    items = ShiftSwap.objects.select_related(
        "shift__group", "from_person", "to_person", "decided_by"
    ).order_by("status" if planner else "-requested_at", "-requested_at")
    if not planner:
        items = items.filter(requested_by=user) | items.filter(to_person=user)
    page_obj = Paginator(items, 25).get_page(request.GET.get("page"))
    return render(
        request, "operations/swaps.html", {"page_obj": page_obj, "planner": planner, "me": user}
    )


# --- emergencies ----------------------------------------------------------------------


@login_required
@permission_required("operations.view_incident", raise_exception=True)
def incident_list(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    items = Incident.objects.prefetch_related("obligations").order_by("-reported_at", "-pk")
    page_obj = Paginator(items, 25).get_page(request.GET.get("page"))
    return render(request, "operations/incident_list.html", {"page_obj": page_obj})


@login_required
@permission_required("operations.add_incident", raise_exception=True)
def incident_create(request: HttpRequest) -> HttpResponse:
    """The person on duty records what they were told; the managers are alerted."""
    user = _staff_only(request)
    form = IncidentForm(
        request.POST or None, managers=emergencies.default_responders(timezone.now())
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["responders"] = list(data["responders"])
        made = run_service(form, lambda: emergencies.incident_record(actor=user, **data))
        if made is not None:
            messages.success(
                request, _("%(n)s recorded; the managers are alerted.") % {"n": made.number}
            )
            return redirect(made)
    return render(
        request,
        "form_page.html",
        {"form": form, "title": _("Record an emergency"), "cancel": "/emergencies/"},
    )


INCIDENT_DONE = {
    "arrive": gettext_lazy("Arrival recorded."),
    "note": gettext_lazy("Written in the log."),
    "submit": gettext_lazy("Report sent for review."),
    "review": gettext_lazy("Review recorded."),
    "close": gettext_lazy("Incident closed."),
}


@login_required
@permission_required("operations.view_incident", raise_exception=True)
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff_only(request)
    item = get_object_or_404(Incident.objects.select_related("recorded_by", "reviewed_by"), pk=pk)
    if request.method == "POST":
        step = request.POST.get("step", "")
        if step not in INCIDENT_DONE:
            raise Http404
        if step != "arrive" and not user.has_perm("operations.change_incident"):
            raise PermissionDenied
        with errors_as_messages(request):
            if step == "arrive":
                responder = get_object_or_404(
                    item.responders, pk=given_id(request.POST.get("responder"))
                )
                emergencies.responder_arrive(actor=user, responder=responder)
            elif step == "note":
                emergencies.incident_note(
                    actor=user,
                    incident=item,
                    kind=request.POST.get("kind", ""),
                    text=request.POST.get("text", ""),
                    leader=request.POST.get("leader", ""),
                )
            elif step == "submit":
                emergencies.incident_report_submit(
                    actor=user, incident=item, report=request.POST.get("report", "")
                )
            elif step == "review":
                emergencies.incident_report_review(
                    actor=user,
                    incident=item,
                    approve=request.POST.get("approve") == "1",
                    note=request.POST.get("note", ""),
                )
            else:
                emergencies.incident_close(
                    actor=user, incident=item, summary=request.POST.get("summary", "")
                )
            messages.success(request, INCIDENT_DONE[step])
        return redirect(item)
    responders = list(item.responders.select_related("person").prefetch_related("obligations"))
    return render(
        request,
        "operations/incident_detail.html",
        {
            "item": item,
            "responders": responders,
            "mine": next(
                (r for r in responders if r.person_id == user.pk and not r.arrived_at), None
            ),
            "entries": item.entries.select_related("actor"),
            "note_form": NoteForm(),
            "may_change": user.has_perm("operations.change_incident"),
            "may_review": emergencies.may_review(user) and user.pk != item.recorded_by_id,
        },
    )


@login_required
@permission_required("operations.view_incident", raise_exception=True)
def incident_print(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    item = get_object_or_404(Incident, pk=pk)
    return pdf_page(request, lambda: incident_pdf(item), f"{item.number}.pdf")


# --- comp time --------------------------------------------------------------------------


COMP_DONE = {
    "approve": gettext_lazy("Comp time approved."),
    "refuse": gettext_lazy("Comp time refused."),
    "withdraw": gettext_lazy("Request withdrawn."),
}


@login_required
@permission_required("operations.view_comptimeentry", raise_exception=True)
def comp_time_page(request: HttpRequest) -> HttpResponse:
    """倒休: my balance, ledger and requests, and a request form; for the service
    manager also everyone's requests to decide and the balances."""
    user = _staff_only(request)
    manager = comp_time.may_decide(user)
    form = CompTimeForm(request.POST if "ask" in request.POST else None)
    if request.method == "POST":
        if "ask" in request.POST:
            if not user.has_perm("operations.add_comptimerequest"):
                raise PermissionDenied
            if form.is_valid():
                done = run_service(
                    form, lambda: comp_time.comp_time_request(actor=user, **form.cleaned_data)
                )
                if done is not None:
                    messages.success(request, _("Comp time asked; the service manager decides."))
                    return redirect("operations:comp_time")
        else:
            step = request.POST.get("step", "")
            item = get_object_or_404(CompTimeRequest, pk=given_id(request.POST.get("request")))
            if step not in COMP_DONE:
                raise Http404
            with errors_as_messages(request):
                if step == "withdraw":
                    comp_time.comp_time_withdraw(actor=user, request=item)
                else:
                    comp_time.comp_time_decide(actor=user, request=item, approve=step == "approve")
                messages.success(request, COMP_DONE[step])
            return redirect("operations:comp_time")
    ledger = CompTimeEntry.objects.filter(person=user).select_related("work_order")
    mine = CompTimeRequest.objects.filter(person=user)
    waiting = (
        CompTimeRequest.objects.filter(status=CompTimeRequest.Status.REQUESTED).select_related(
            "person"
        )
        if manager
        else CompTimeRequest.objects.none()
    )
    return render(
        request,
        "operations/comp_time.html",
        {
            "balance": comp_time.balance_minutes(user) / 60,
            "ledger": Paginator(ledger, 20).get_page(request.GET.get("page")),
            "mine": mine[:20],
            "waiting": waiting[:50],
            "balances": comp_time.month_rows(timezone.localdate().replace(day=1))
            if manager
            else [],
            "form": form,
            "manager": manager,
            "month": timezone.localdate().replace(day=1),
        },
    )


@login_required
@permission_required("operations.change_comptimerequest", raise_exception=True)
def comp_time_export(request: HttpRequest) -> HttpResponse:
    """The month's comp time per person for HR, in Excel (hours as numbers)."""
    from openpyxl import Workbook

    from aftersales.calendars.periods import month_or_last
    from aftersales.common.exports import append, xlsx_response

    month = month_or_last(request.GET.get("month", ""))
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Comp time"))
    append(
        sheet,
        [_("Person"), _("Earned (hours)"), _("Taken (hours)"), _("Balance at month end (hours)")],
    )
    for row in comp_time.month_rows(month):
        append(
            sheet,
            [str(row["person"]), row["earned"] / 60, row["taken"] / 60, row["balance"] / 60],
        )
    return xlsx_response(book, f"comp-time-{month:%Y-%m}.xlsx")
