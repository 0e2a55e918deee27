"""The product catalogue on pages: each model with its fault codes (故障代码), kept by
the technical department, chosen by technicians at diagnosis (R-SR-7, R-SR-8)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from aftersales.common.forms import errors_as_messages
from aftersales.common.requests import acting_user, given_id
from aftersales.customers import services
from aftersales.customers.models import ProductModel
from aftersales.customers.views import _page


def _staff_viewer(request: HttpRequest) -> None:
    user = acting_user(request)
    if user.is_external or not user.has_perm("customers.view_productmodel"):
        raise PermissionDenied


@login_required
def product_model_list(request: HttpRequest) -> HttpResponse:
    _staff_viewer(request)
    q = request.GET.get("q", "").strip()[:50]
    models = ProductModel.objects.annotate(faults=Count("fault_codes")).order_by("code")
    if q:
        models = models.filter(Q(code__icontains=q) | Q(name__icontains=q))
    return render(
        request,
        "customers/product_models.html",
        {"page_obj": _page(request, models), "q": q, "query": urlencode({"q": q}) if q else ""},
    )


@login_required
def product_model_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_viewer(request)
    user = acting_user(request)
    model = get_object_or_404(ProductModel, pk=pk)
    if request.method == "POST":
        if not user.has_perm("customers.change_productmodel"):
            raise PermissionDenied
        post = request.POST
        with errors_as_messages(request):
            if post.get("step") == "add":
                services.fault_code_create(
                    actor=user,
                    product_model=model,
                    code=post.get("code", ""),
                    name=post.get("name", ""),
                )
                messages.success(request, _("Fault code added."))
            elif post.get("step") == "rename":
                fault = model.fault_codes.filter(pk=given_id(post.get("fault"))).first()
                if fault is None:
                    raise Http404
                services.fault_code_rename(actor=user, fault_code=fault, name=post.get("name", ""))
                messages.success(request, _("Fault code renamed."))
            else:
                raise Http404
        return redirect("customers:product_model", pk=model.pk)
    return render(
        request,
        "customers/product_model.html",
        {"model": model, "faults": model.fault_codes.order_by("code")},
    )
