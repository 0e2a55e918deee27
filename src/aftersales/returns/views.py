"""Pages for returns and exchanges: request, the general manager's decision, unpacking."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.common.forms import errors_as_messages, run_service
from aftersales.common.requests import acting_user
from aftersales.customers.selectors import customers_for
from aftersales.returns import forms, selectors
from aftersales.returns import services as returns
from aftersales.returns.models import UnpackingInspection


@login_required
@permission_required("returns.view_returnrequest", raise_exception=True)
def return_list(request: HttpRequest) -> HttpResponse:
    items = selectors.returns_for(acting_user(request)).prefetch_related("obligations")
    page_obj = Paginator(items, 25).get_page(request.GET.get("page"))
    return render(request, "returns/return_list.html", {"page_obj": page_obj})


@login_required
@permission_required("returns.add_returnrequest", raise_exception=True)
def return_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = forms.ReturnForm(request.POST or None, customers=customers_for(user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("serial_number")
        created = run_service(form, lambda: returns.return_request_create(actor=user, **data))
        if created is not None:
            messages.success(request, _("%(n)s recorded.") % {"n": created.number})
            return redirect(created)
    return render(
        request,
        "form_page.html",
        {"form": form, "title": _("Return or exchange"), "cancel": "/returns/"},
    )


DONE = {
    "decide": gettext_lazy("Decision recorded."),
    "inspect": gettext_lazy("Unpacking inspection recorded."),
    "complete": gettext_lazy("Return completed."),
}


@login_required
def return_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    item = get_object_or_404(selectors.returns_for(user), pk=pk)
    if request.method == "POST":
        if not user.has_perm("returns.change_returnrequest"):
            raise PermissionDenied
        step = request.POST.get("step")
        with errors_as_messages(request):
            if step == "decide":
                returns.return_request_decide(
                    actor=user,
                    request=item,
                    approve=request.POST.get("approve") == "1",
                    note=request.POST.get("note", ""),
                )
            elif step == "inspect":
                returns.unpacking_record(
                    actor=user,
                    customer=item.customer,
                    return_request=item,
                    outcome=request.POST.get("outcome", ""),
                    note=request.POST.get("note", ""),
                    signed_by=request.POST.get("signed_by", ""),
                )
            elif step == "complete":
                returns.return_request_complete(
                    actor=user,
                    request=item,
                    refund_amount=_amount(request.POST.get("refund_amount", "")),
                    replacement_serial=request.POST.get("replacement_serial", ""),
                )
            else:
                raise Http404
            messages.success(request, DONE[step])
        return redirect(item)
    return render(
        request,
        "returns/return_detail.html",
        {
            "item": item,
            # The sales record the purchase date comes from (R-CUS-6), if any.
            "sale": getattr(item.equipment, "sale", None),
            # Only the general manager decides (行为规范 11): no one else sees the form.
            "may_decide": returns.may_decide(acting_user(request)),
            "inspections": item.inspections.all(),
            "outcomes": UnpackingInspection.Outcome.choices,
        },
    )


def _amount(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text.strip() else None
    except InvalidOperation:
        return None


@login_required
@permission_required("returns.view_unpackinginspection", raise_exception=True)
def unpacking(request: HttpRequest) -> HttpResponse:
    """开箱验收 of deliveries: record one, see the latest (damaged or missing first)."""
    user = acting_user(request)
    customers = customers_for(user)
    form = forms.UnpackingForm(request.POST or None, customers=customers)
    if request.method == "POST":
        if not user.has_perm("returns.add_unpackinginspection"):
            raise PermissionDenied
        if form.is_valid():
            done = run_service(
                form, lambda: returns.unpacking_record(actor=user, **form.cleaned_data)
            )
            if done is not None:
                messages.success(request, _("Inspection recorded."))
                return redirect("returns:unpacking")
    recent = (
        UnpackingInspection.objects.filter(customer__in=customers)
        .select_related("customer", "equipment", "inspector")
        .order_by("-inspected_at")
    )
    page_obj = Paginator(recent, 25).get_page(request.GET.get("page"))
    return render(request, "returns/unpacking.html", {"form": form, "page_obj": page_obj})
