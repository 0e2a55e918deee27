"""Pages for the warehouse keeper, finance and technicians: stock, ledger, month end."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aftersales.calendars import periods
from aftersales.calendars.periods import month_or_last
from aftersales.common.exceptions import ConflictError
from aftersales.common.forms import errors_as_messages, run_service
from aftersales.common.requests import acting_user, given_id
from aftersales.customers.models import PartItem
from aftersales.parts import backups, exports, forms, selectors, services, toolkits
from aftersales.parts.models import BackupUnit, Balance, PeriodClose, Tool
from aftersales.service.selectors import requests_for, work_orders_for


@login_required
@permission_required("parts.view_balance", raise_exception=True)
def overview(request: HttpRequest) -> HttpResponse:
    """备品备件: what is where, what to reorder, and the warehouse's actions."""
    user = acting_user(request)
    places = selectors.locations_for(user)
    filters = forms.StockFilterForm(request.GET or None, places=places)
    balances = selectors.balances_for(user).filter(quantity__gt=0)
    if filters.is_valid():
        if filters.cleaned_data["location"]:
            balances = balances.filter(location=filters.cleaned_data["location"])
        q = filters.cleaned_data["q"].strip()
        if q:
            balances = balances.filter(Q(item__code__istartswith=q) | Q(item__name__icontains=q))
    page_obj = Paginator(balances, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "parts/overview.html",
        {
            "filters": filters,
            "page_obj": page_obj,
            "reorder": list(selectors.to_reorder()[:20]),
        },
    )


@login_required
@permission_required("parts.view_movement", raise_exception=True)
def item_ledger(request: HttpRequest, pk: int) -> HttpResponse:
    """One item's stock everywhere and its ledger, newest first."""
    user = acting_user(request)
    item = get_object_or_404(PartItem, pk=pk)
    movements = selectors.movements_for(user).filter(item=item).order_by("-at", "-pk")
    page_obj = Paginator(movements, 50).get_page(request.GET.get("page"))
    balances = selectors.balances_for(user).filter(item=item)
    return render(
        request,
        "parts/item.html",
        {
            "item": item,
            "balances": balances,
            "on_hand": sum((b.quantity for b in balances), Decimal(0)),
            "page_obj": page_obj,
        },
    )


BOOKINGS: dict[str, tuple[Any, Any, Any]] = {
    "receive": (forms.ReceiveForm, services.stock_receive, gettext_lazy("Receive stock")),
    "transfer": (forms.TransferForm, services.stock_transfer, gettext_lazy("Transfer stock")),
    "write-off": (forms.WriteOffForm, services.stock_write_off, gettext_lazy("Write stock off")),
}


@login_required
@permission_required("parts.add_movement", raise_exception=True)
def book(request: HttpRequest, kind: str) -> HttpResponse:
    """Receive, transfer or write off: a form, one service, back to the stock page."""
    if kind not in BOOKINGS:
        raise Http404
    form_class, act, title = BOOKINGS[kind]
    user = acting_user(request)
    # ``?item=<number>``: the part is filled in (from the home's reorder list).
    initial = {"item": request.GET.get("item", "")[:120]} if request.GET.get("item") else None
    form = form_class(request.POST or None, places=selectors.locations_for(user), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            done = run_service(form, lambda: act(actor=user, **form.cleaned_data))
        except ConflictError as error:
            form.add_error(None, error.message)
            done = None
        if done is not None:
            first = done[0] if isinstance(done, tuple) else done
            messages.success(
                request,
                _("Booked: %(document)s, %(item)s.")
                % {"document": first.document, "item": first.item},
            )
            return redirect("parts:item", pk=first.item_id)
    return render(
        request,
        "form_page.html",
        {"form": form, "title": title, "cancel": reverse("parts:overview")},
    )


@login_required
@permission_required("parts.add_movement", raise_exception=True)
def count(request: HttpRequest) -> HttpResponse:
    """盘点: the place's items with what the books say; what is typed is what was counted."""
    user = acting_user(request)
    places = selectors.locations_for(user).filter(is_active=True)
    location = places.filter(pk=given_id(request.GET.get("location"))).first()
    rows: list[Balance] = []
    if location is not None:
        rows = list(selectors.balances_for(user).filter(location=location))
    if request.method == "POST" and location is not None:
        counts = {}
        known = {b.item_id: b.item for b in rows}
        extra = request.POST.get("extra_code", "").strip()
        if extra:
            item = PartItem.objects.filter(code__iexact=extra, is_active=True).first()
            if item is None:
                messages.error(request, _("No active item has this part number."))
                return redirect(f"{reverse('parts:count')}?location={location.pk}")
            known[item.pk] = item
            counts[item] = request.POST.get("extra_counted", "")
        for item_id, item in known.items():
            typed = request.POST.get(f"count-{item_id}", "").strip()
            if typed:
                counts[item] = typed
        try:
            booked = services.stock_count(
                actor=user, location=location, counts=counts, note=request.POST.get("note", "")
            )
        except ValidationError as error:
            messages.error(request, " ".join(str(m) for m in error.messages))
        except ConflictError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Count booked: %(n)s differences.") % {"n": len(booked)}
                if booked
                else _("Count booked: the books agree."),
            )
            return redirect(f"{reverse('parts:count')}?location={location.pk}")
    return render(
        request, "parts/count.html", {"places": places, "location": location, "rows": rows}
    )


def _month(request: HttpRequest) -> dt.date:
    return month_or_last(request.GET.get("month") or request.POST.get("month") or "")


@login_required
@permission_required("parts.view_periodclose", raise_exception=True)
def reconciliation(request: HttpRequest) -> HttpResponse:
    """每月与财务对账: per item opening, in, out, closing, quantity and value."""
    user = acting_user(request)
    month = _month(request)
    places = selectors.locations_for(user)
    location = places.filter(pk=given_id(request.GET.get("location"))).first()
    rows = selectors.reconciliation(month, location)
    if request.GET.get("format") == "xlsx":
        return exports.reconciliation_xlsx(month, location, rows)
    totals = {
        name: sum((getattr(r, name) for r in rows), Decimal(0))
        for name in ("opening_value", "in_value", "out_value", "closing_value")
    }
    closed = PeriodClose.objects.filter(month__gte=month).exists()
    next_month_ = periods.next_month(month)
    can_close = not closed and location is None and next_month_ <= timezone.localdate()
    return render(
        request,
        "parts/reconciliation.html",
        {
            "month": month,
            "rows": rows,
            "totals": totals,
            "closed": closed,
            "can_close": can_close,
            "places": places,
            "location": location,
            "periods": PeriodClose.objects.select_related("closed_by")[:12],
        },
    )


@login_required
@require_POST
@permission_required("parts.close_period", raise_exception=True)
def close_month(request: HttpRequest) -> HttpResponse:
    month = _month(request)
    with errors_as_messages(request):
        services.period_close(actor=acting_user(request), month=month)
        messages.success(request, _("%(month)s is closed.") % {"month": f"{month:%Y-%m}"})
    return redirect(f"{reverse('parts:reconciliation')}?month={month:%Y-%m}")


@login_required
@require_POST
@permission_required("parts.add_movement", raise_exception=True)
def order_parts(request: HttpRequest, pk: int) -> HttpResponse:
    """Parts used on (or returned from) a work order, from its page."""
    user = acting_user(request)
    order = get_object_or_404(work_orders_for(user), pk=pk)
    form = forms.IssueForm(request.POST, places=selectors.locations_for(user))
    act = services.stock_return if request.POST.get("step") == "return" else services.stock_issue
    with errors_as_messages(request):
        if not form.is_valid():
            raise ValidationError(form.errors)
        act(actor=user, work_order=order, **form.cleaned_data)
    return redirect("service:work_order", pk=order.pk)


@login_required
@permission_required("parts.view_backupunit", raise_exception=True)
def backup_list(request: HttpRequest) -> HttpResponse:
    """备机: every unit with where it is, what to buy, and the warehouse's actions."""
    user = acting_user(request)
    units = selectors.backup_units_for(user).order_by("product_model__code", "serial_number")
    status = request.GET.get("status", "")
    if status in BackupUnit.Status.values:
        units = units.filter(status=status)
    form = forms.BackupUnitForm(request.POST or None, places=selectors.locations_for(user))
    if request.method == "POST":
        if not user.has_perm("parts.add_backupunit"):
            raise PermissionDenied
        if form.is_valid():
            added = run_service(
                form, lambda: backups.backup_unit_add(actor=user, **form.cleaned_data)
            )
            if added is not None:
                messages.success(request, _("%(unit)s added.") % {"unit": added.serial_number})
                return redirect("parts:backups")
    page_obj = Paginator(units, 50).get_page(request.GET.get("page"))
    from aftersales.service.selectors import requests_for

    lent_for = [
        loan.service_request_id
        for unit in page_obj
        for loan in getattr(unit, "open_loans", [])
        if loan.service_request_id
    ]
    return render(
        request,
        "parts/backups.html",
        {
            "page_obj": page_obj,
            # A request is linked only for those who may open it (a technician, their own).
            "requests_seen": set(
                requests_for(user).filter(pk__in=lent_for).values_list("pk", flat=True)
            ),
            "needs": selectors.backup_needs(),
            "statuses": BackupUnit.Status.choices,
            "status": status,
            "form": form,
        },
    )


@login_required
@require_POST
@permission_required("parts.change_backupunit", raise_exception=True)
def backup_act(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    user = acting_user(request)
    unit = get_object_or_404(selectors.backup_units_for(user), pk=pk)
    with errors_as_messages(request):
        if step == "return":
            backups.backup_return(
                actor=user,
                unit=unit,
                needs_repair=request.POST.get("needs_repair") == "1",
                note=request.POST.get("note", ""),
            )
        elif step == "repaired":
            backups.backup_repaired(actor=user, unit=unit)
        elif step == "write-off":
            backups.backup_write_off(actor=user, unit=unit, reason=request.POST.get("reason", ""))
        else:
            raise Http404
    return redirect("parts:backups")


@login_required
@require_POST
@permission_required("parts.change_backupunit", raise_exception=True)
def backup_lend(request: HttpRequest, pk: int) -> HttpResponse:
    """From a request's page: lend an available unit to its customer (meets SR.SPARE)."""
    user = acting_user(request)
    item = get_object_or_404(requests_for(user), pk=pk)
    form = forms.LendForm(request.POST)
    with errors_as_messages(request):
        if not form.is_valid():
            raise ValidationError(form.errors)
        loan = backups.backup_lend(
            actor=user,
            unit=form.cleaned_data["unit"],
            customer=item.customer,
            service_request=item,
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("%(unit)s lent.") % {"unit": loan.unit.serial_number})
    return redirect(item)


@login_required
@permission_required("parts.view_toolkit", raise_exception=True)
def tool_kits(request: HttpRequest) -> HttpResponse:
    """工具包: each technician's tools, what was lost and what replaced it."""
    user = acting_user(request)
    form = forms.ToolKitForm(request.POST or None)
    if request.method == "POST":
        if not user.has_perm("parts.add_toolkit"):
            raise PermissionDenied
        if form.is_valid():
            kit = run_service(
                form, lambda: toolkits.tool_kit_create(actor=user, **form.cleaned_data)
            )
            if kit is not None:
                messages.success(request, _("%(kit)s issued.") % {"kit": kit})
                return redirect("parts:tool_kits")
    kits = selectors.tool_kits_for(user)
    page_obj = Paginator(kits, 20).get_page(request.GET.get("page"))
    return render(request, "parts/tool_kits.html", {"page_obj": page_obj, "form": form})


@login_required
@require_POST
@permission_required("parts.change_tool", raise_exception=True)
def tool_act(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    user = acting_user(request)
    tool = get_object_or_404(Tool.objects.filter(kit__in=selectors.tool_kits_for(user)), pk=pk)
    with errors_as_messages(request):
        if step == "lost":
            toolkits.tool_lost(actor=user, tool=tool, reason=request.POST.get("reason", ""))
        elif step == "replace":
            toolkits.tool_replace(
                actor=user, tool=tool, asset_number=request.POST.get("asset_number", "")
            )
        else:
            raise Http404
    return redirect("parts:tool_kits")
