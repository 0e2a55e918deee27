"""Pages for service requests: list, intake, detail (with its timeline)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from aftersales.common.forms import run_service
from aftersales.common.requests import acting_user
from aftersales.customers.selectors import customers_for
from aftersales.service import forms, selectors, services


@login_required
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
    )
    page_obj = Paginator(requests_, 25).get_page(request.GET.get("page"))
    return render(request, "service/list.html", {"filters": filters, "page_obj": page_obj})


@login_required
@permission_required("service.add_servicerequest", raise_exception=True)
def request_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = forms.IntakeForm(
        request.POST or None,
        customers=customers_for(user),
        initial={"customer": request.GET.get("customer")},
    )
    if request.method == "POST" and form.is_valid():
        created = run_service(
            form, lambda: services.service_request_create(actor=user, **form.cleaned_data)
        )
        if created is not None:
            messages.success(request, _("Request %(n)s recorded.") % {"n": created.number})
            return redirect(created)
    return render(request, "service/intake.html", {"form": form})


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_request_for_user(acting_user(request), pk)
    return render(
        request,
        "service/detail.html",
        {
            "item": item,
            "changes": item.changes.select_related("actor"),
            "work_orders": item.work_orders.select_related("technician"),
        },
    )
