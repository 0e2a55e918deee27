"""Sales orders on their pages: the list (with its Excel), one order, a new order."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.common.exports import xlsx_response
from aftersales.common.forms import run_service
from aftersales.common.requests import acting_user
from aftersales.customers.selectors import customers_for
from aftersales.sales import forms, selectors, services


@login_required
@permission_required("sales.view_salesorder", raise_exception=True)
def order_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    filters = forms.FilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    orders = selectors.order_list(user, q=data.get("q") or "", customer=data.get("customer"))
    if request.GET.get("format") == "xlsx":
        return _xlsx(orders)
    page_obj = Paginator(orders, 25).get_page(request.GET.get("page"))
    return render(request, "sales/order_list.html", {"filters": filters, "page_obj": page_obj})


def _xlsx(orders: Any) -> HttpResponse:
    """One row per line, in the sales-order import's columns: the file imports back."""
    from aftersales.imports.exports import workbook

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    book = workbook("sales_orders", records=orders)
    return xlsx_response(book, f"sales-orders-{stamp}.xlsx")


@login_required
@permission_required("sales.view_salesorder", raise_exception=True)
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    order = get_object_or_404(selectors.with_lines(selectors.orders_for(user)), pk=pk)
    return render(request, "sales/order_detail.html", {"order": order})


@login_required
@permission_required("sales.add_salesorder", raise_exception=True)
def order_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = forms.OrderForm(
        request.POST or None,
        customers=customers_for(user),
        initial={"customer": request.GET.get("customer"), "ordered_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        # A line's refusal names its line ("第 2 行：…") above the form.
        made = run_service(
            form,
            lambda: services.sales_order_create(
                actor=user, lines=form.lines(), **form.cleaned_data
            ),
        )
        if made is not None:
            messages.success(request, _("Order %(n)s recorded.") % {"n": made.number})
            return redirect(made)
    rows = [row | {"n": n} for n, row in enumerate(form.rows(), start=1)]
    return render(
        request,
        "sales/order_form.html",
        {"form": form, "rows": rows},
        status=400 if form.errors else 200,
    )
