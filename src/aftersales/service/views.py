"""Pages for service requests: list, intake, detail (with its timeline)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.common.attachments import attachments_of
from aftersales.common.exceptions import ConflictError
from aftersales.common.forms import run_service
from aftersales.common.middleware import field_errors_shown, refused_fields
from aftersales.common.pdf import local_time
from aftersales.common.requests import acting_user, customers_to_portal, given_id
from aftersales.common.views import pdf_page
from aftersales.customers.selectors import customers_for
from aftersales.obligations.selectors import obligations_of, obligations_of_each
from aftersales.obligations.sweep import minutes_left
from aftersales.operations import roster
from aftersales.parts.forms import IssueForm, LendForm
from aftersales.parts.selectors import kit_stock, locations_for
from aftersales.service import (
    charges,
    exports,
    forms,
    printing,
    selectors,
    service_requests,
    steps,
    work_orders,
)
from aftersales.service.models import WorkOrder


@login_required
@customers_to_portal("portal:home", except_export=True)
@permission_required("service.view_servicerequest", raise_exception=True)
def request_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    filters = forms.RequestFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    requests_ = selectors.request_list(
        user,
        status=data.get("status", ""),
        severity=data.get("severity", ""),
        breached=True if data.get("breached") == "1" else None,
        q=data.get("q", ""),
        technician=data.get("technician"),
        received_from=data.get("received_from"),
        received_to=data.get("received_to"),
    )
    if request.GET.get("format") == "xlsx":
        return exports.requests_xlsx(requests_, internal=not user.is_external)
    page_obj = Paginator(requests_, 25).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [(r, _soonest_left(r, now)) for r in page_obj.object_list]
    return render(
        request, "service/list.html", {"filters": filters, "page_obj": page_obj, "rows": rows}
    )


def _soonest_left(item: Any, now: Any) -> Any:
    """The running limit due first, with its working minutes left (prefetched, no query)."""
    running = [o for o in item.obligations.all() if o.state in ("running", "breached")]
    if not running:
        return None
    soonest = min(running, key=lambda o: o.due_at)
    return soonest, minutes_left(soonest, now)


@login_required
@customers_to_portal("portal:report")
@permission_required("service.add_servicerequest", raise_exception=True)
def request_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = forms.IntakeForm(
        request.POST or None,
        customers=customers_for(user),
        for_customer=user.is_external,
        # A return visit's "service request" button brings the customer and the problem.
        initial={k: request.GET.get(k) for k in ("customer", "description")},
    )
    if request.method == "POST" and form.is_valid():
        created = run_service(
            form,
            lambda: service_requests.service_request_create(
                actor=user, **{"channel": "web", **form.cleaned_data}
            ),
        )
        if created is not None:
            if getattr(created, "joined", False):
                messages.info(
                    request,
                    _("The caller already has %(n)s open for this unit: the call is added to it.")
                    % {"n": created.number},
                )
            else:
                messages.success(request, _("Request %(n)s recorded.") % {"n": created.number})
            return redirect(created)
    return render(request, "service/intake.html", {"form": form})


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    item = selectors.get_request_for_user(user, pk)
    if user.is_external:  # customers follow their reports in the portal, in plain words
        return redirect("portal:request", pk=item.pk)
    return _detail_page(request, user, item)


def _detail_page(
    request: HttpRequest, user: Any, item: Any, refused: Any = None, status: int = 200
) -> HttpResponse:
    """The request's page; ``refused`` is a step's bound form shown with its errors and
    what was typed (the page answers 400 then)."""
    # Staff follow links only to the orders they may open (a technician: their own).
    orders_seen = set(
        selectors.work_orders_for(user).filter(service_request=item).values_list("pk", flat=True)
    )
    return render(
        request,
        "service/detail.html",
        {
            "item": item,
            "timeline": selectors.request_timeline(
                item, for_customer=user.is_external, orders_seen=orders_seen
            ),
            "steps": [
                (
                    step,
                    refused
                    if refused is not None and refused.step is step
                    else step.make_form(item, **_initial(step, item)),
                )
                for step in steps.steps_on_offer(user, item)
            ],
            "refused_step": refused.step.slug if refused is not None else "",
            "confirm": forms.ConfirmForm(),
            "lend": LendForm(product_model=item.equipment.product_model if item.equipment else None)
            if user.has_perm("parts.change_backupunit")
            else None,
            "work_orders": item.work_orders.select_related("technician"),
            "orders_seen": orders_seen,
            "found_at": _found_at(user, item),
            "photos": attachments_of(item, user),
        },
        status=status,
    )


def _found_at(user: Any, item: Any) -> list[Any]:
    """The inspection lines this request was raised from, each with whether ``user`` may
    open that inspection (``visible``)."""
    from aftersales.maintenance.selectors import inspections_for

    rows = list(item.inspection_items.select_related("inspection", "item"))
    if rows:
        visible = set(
            inspections_for(user)
            .filter(pk__in=[row.inspection_id for row in rows])
            .values_list("pk", flat=True)
        )
        for row in rows:
            row.visible = row.inspection_id in visible
    return rows


def _initial(step: Any, item: Any) -> dict[str, Any]:
    """What a step's form starts with: who confirmed is usually the caller."""
    if step.slug == "close":
        return {"confirmed_by": item.caller_name}
    if step.slug == "severity":
        return {"severity": item.severity}
    return {}


@login_required
@require_POST
def request_act(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """One step of the request's page (see steps.py): its form, then its service."""
    user = acting_user(request)
    item = selectors.get_request_for_user(user, pk)
    found = steps.BY_SLUG.get(step)
    if found is None:
        raise Http404
    if user.is_external or not user.has_perm(found.perm):
        raise PermissionDenied
    form = found.make_form(item, request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors)
        found.act(user, item, form.cleaned_data)
        messages.success(request, _("%(step)s: recorded.") % {"step": found.title})
    except ConflictError as error:
        messages.error(request, _message(error))
    except ValidationError as error:
        # Back on the page with the step's form as typed, each error at its field.
        if not form.errors and hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        elif not form.errors:
            form.add_error(None, error)
        form.step = found  # type: ignore[attr-defined]
        messages.error(request, _message(error))
        field_errors_shown(request, refused_fields(request) & set(form.fields))
        return _detail_page(request, user, item, refused=form, status=400)
    return redirect(item)


@login_required
@require_POST
@permission_required("service.confirm_servicerequest", raise_exception=True)
def request_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The customer contact answers "is the fault cleared?" on their request's page."""
    user = acting_user(request)
    item = selectors.get_request_for_user(user, pk)
    form = forms.ConfirmForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors)
        service_requests.service_request_confirm(actor=user, request=item, **form.cleaned_data)
        messages.success(request, _("Thank you, your answer is recorded."))
    except (ValidationError, ConflictError) as error:
        messages.error(request, _message(error))
    return redirect(item)


def _message(error: Exception) -> str:
    if isinstance(error, ConflictError):
        return error.message
    assert isinstance(error, ValidationError)
    return " ".join(str(m) for m in error.messages)


@login_required
@permission_required("service.view_workorder", raise_exception=True)
def my_jobs(request: HttpRequest) -> HttpResponse:
    """The technician's phone page: open orders first, today's on top."""
    orders = (
        selectors.work_orders_for(acting_user(request))
        .filter(status=WorkOrder.Status.OPEN)
        .select_related(
            "service_request__customer",
            "service_request__equipment__site",
            "service_request__site",
        )
        .order_by(F("planned_arrival").asc(nulls_last=True), "created_at")
    )
    return render(request, "service/my_jobs.html", {"orders": orders})


@login_required
def work_order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    order = get_object_or_404(
        selectors.work_orders_for(user).select_related(
            "service_request__customer",
            "service_request__equipment__site",
            "service_request__site",
        ),
        pk=pk,
    )
    record = forms.RecordForm(initial={f: getattr(order, f) for f in forms.RecordForm.base_fields})
    sign = forms.SignForm()
    if request.method == "POST":
        if not user.has_perm("service.change_workorder"):
            raise PermissionDenied
        step = request.POST.get("step")
        try:
            if step == "arrive":
                work_orders.work_order_arrive(actor=user, work_order=order)
                messages.success(request, _("Arrival recorded."))
            elif step == "record":
                record = forms.RecordForm(request.POST)
                if not record.is_valid():
                    raise ValidationError(record.errors)
                work_orders.work_order_record(actor=user, work_order=order, **record.cleaned_data)
                messages.success(request, _("Service record saved."))
            elif step == "sign":
                sign = forms.SignForm(request.POST)
                if not sign.is_valid():
                    raise ValidationError(sign.errors)
                work_orders.work_order_sign(actor=user, work_order=order, **sign.cleaned_data)
                messages.success(request, _("Signature recorded."))
            elif step == "depart":
                work_orders.work_order_depart(actor=user, work_order=order)
                messages.success(request, _("Departure recorded."))
            elif step == "complete":
                work_orders.work_order_complete(actor=user, work_order=order)
                messages.success(request, _("Order %(n)s completed.") % {"n": order.number})
            elif step == "file":
                work_orders.work_order_file(actor=user, work_order=order)
                messages.success(request, _("Order %(n)s filed.") % {"n": order.number})
            elif step == "replace":
                if not user.has_perm("service.add_workorder"):
                    raise PermissionDenied
                replace = forms.ReplaceForm(request.POST)
                if not replace.is_valid():
                    raise ValidationError(replace.errors)
                new = work_orders.work_order_replace(
                    actor=user, work_order=order, **replace.cleaned_data
                )
                messages.success(
                    request,
                    _("%(old)s is void; %(new)s replaces it.")
                    % {"old": order.number, "new": new.number},
                )
                return redirect("service:work_order", pk=new.pk)
            else:
                raise Http404
            return redirect("service:work_order", pk=order.pk)
        except ValidationError as error:
            messages.error(request, _message(error))
        except ConflictError as error:
            messages.error(request, error.message)
        order.refresh_from_db()
    return render(
        request,
        "service/work_order.html",
        {
            "order": order,
            "replaces_seen": order.replaces_id is not None
            and selectors.work_orders_for(user).filter(pk=order.replaces_id).exists(),
            "record": record,
            "sign": sign,
            "missing": work_orders.missing_for_completion(order),
            "stale": work_orders.changed_since_signed(order),
            "parts": order.stock_movements.select_related("item", "location").order_by("at", "pk"),  # type: ignore[attr-defined]
            "kit": kit_stock(order.technician) if order.status == WorkOrder.Status.OPEN else [],
            "parts_form": (
                IssueForm(places=locations_for(user))
                if user.has_perm("parts.add_movement") and order.status == WorkOrder.Status.OPEN
                else None
            ),
            "replace_form": (
                forms.ReplaceForm()
                if user.has_perm("service.add_workorder") and order.status == WorkOrder.Status.OPEN
                else None
            ),
        },
    )


@login_required
def work_order_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The order as a PDF to print or send (number, visit, result, signature)."""
    order = get_object_or_404(
        selectors.printable_orders_for(acting_user(request)).select_related(
            "service_request__customer", "service_request__equipment__site", "replaces"
        ),
        pk=pk,
    )
    return pdf_page(request, lambda: printing.work_order_pdf(order), f"{order.number}.pdf")


@login_required
def request_paper(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """A request's papers: the quote the customer signs (报价单) once priced, the fault
    analysis report (故障分析报告) once written. The customer may print both."""
    user = acting_user(request)
    item = selectors.get_request_for_user(user, pk)
    if kind == "quote" and item.quote_amount is not None:
        make = lambda: printing.quote_pdf(item, for_customer=user.is_external)  # noqa: E731
    elif kind == "fault-report" and item.fault_cause:
        make = lambda: printing.fault_report_pdf(item, for_customer=user.is_external)  # noqa: E731
    else:
        raise Http404
    return pdf_page(request, make, f"{item.number}-{kind}.pdf")


@login_required
def work_order_delay_print(request: HttpRequest, pk: int) -> HttpResponse:
    """延时原因分析表 of a visit that did not finish (R-WO-4): for the department, not
    the customer."""
    order = get_object_or_404(
        selectors.work_orders_for(acting_user(request)).exclude(delay_reason=""), pk=pk
    )
    limits = [
        (
            str(ob.name),
            local_time(ob.due_at),
            local_time(ob.met_at),
            ob.get_state_display(),
        )
        for record in (order.service_request, order)
        for ob in obligations_of(record)
    ]
    return pdf_page(
        request,
        lambda: printing.delay_analysis_pdf(order, limits),
        f"{order.number}-delay.pdf",
    )


@login_required
@permission_required("service.add_servicerequest", raise_exception=True)
def intake_lookup(request: HttpRequest) -> HttpResponse:
    found = selectors.intake_lookup(acting_user(request), request.GET.get("q", ""))
    return render(request, "service/lookup.html", found)


@login_required
@permission_required("service.add_workorder", raise_exception=True)
def dispatch_board(request: HttpRequest) -> HttpResponse:
    """派工: requests nobody is assigned to, each with a suggested technician, and
    every technician's open jobs, region and skills."""
    user = acting_user(request)
    if request.method == "POST":
        item = selectors.get_request_for_user(user, given_id(request.POST.get("request")))
        form = forms.TeamDispatchForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(form.errors)
            orders = work_orders.dispatch(
                actor=user,
                service_request=item,
                technicians=list(form.cleaned_data["technicians"]),
                planned_arrival=form.cleaned_data["planned_arrival"],
            )
            messages.success(
                request,
                _("%(n)s is assigned: %(orders)s.")
                % {
                    "n": item.number,
                    "orders": "、".join(
                        f"{o.number}（{o.technician.get_full_name() or o.technician}）"
                        for o in orders
                    ),
                },
            )
        except ValidationError as error:
            messages.error(request, _message(error))
        except ConflictError as error:
            messages.error(request, error.message)
        return redirect("service:dispatch")
    board = selectors.technician_board()
    planned = selectors.visits_planned(timezone.localdate())
    for tech in board:
        tech.today = planned.get(tech.pk, [])  # type: ignore[attr-defined]
    page_obj = Paginator(selectors.dispatch_queue(user), 20).get_page(request.GET.get("page"))
    waiting = list(page_obj.object_list)
    limits: dict[int, dict[str, Any]] = {}
    now = timezone.now()
    # The limits a card shows, by their place on it (the page holds no rule codes).
    shown = {"SR.RESPOND": "respond", "SR.ARRIVE": "arrive", "SR.RESOLVE": "resolve"}
    for ob in obligations_of_each(waiting):
        if ob.state in ("running", "breached") and ob.rule in shown:
            limits.setdefault(ob.object_id, {})[shown[ob.rule]] = (ob, minutes_left(ob, now))
    # Outside working hours only the technicians on call are suggested (R-OP-1).
    available = roster.technicians_available(board, now)
    on_call = {tech.pk for tech in available} if len(available) < len(board) else set()
    for tech in board:
        tech.on_call = tech.pk in on_call  # type: ignore[attr-defined]
    rows = [
        (item, selectors.suggest_technician(item, available), limits.get(item.pk, {}))
        for item in waiting
    ]
    for item in waiting:
        item.waits_for_quote = charges.waits_for_quote(item)  # type: ignore[attr-defined]
    return render(
        request,
        "service/dispatch.html",
        {
            "board": board,
            "rows": rows,
            "page_obj": page_obj,
            "form": forms.TeamDispatchForm(),
        },
    )
