"""Pages for depot repair: the batches, receiving units, finishing them, shipping back."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from aftersales.common.forms import errors_as_messages, run_service
from aftersales.common.requests import acting_user, given_id
from aftersales.common.views import status_list_page
from aftersales.customers.selectors import customers_for
from aftersales.depot import forms, selectors
from aftersales.depot import services as depot
from aftersales.depot.models import RepairBatch


@login_required
@permission_required("depot.view_repairbatch", raise_exception=True)
def batch_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    batches = selectors.repair_batches_for(user).prefetch_related("obligations", "units")
    return status_list_page(request, batches, RepairBatch.Status, "depot/batch_list.html")


@login_required
@permission_required("depot.add_repairbatch", raise_exception=True)
def batch_receive(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = forms.RepairBatchForm(request.POST or None, customers=customers_for(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        batch = run_service(
            form,
            lambda: depot.repair_batch_receive(
                actor=user, customer=data["customer"], units=data["lines"], note=data["note"]
            ),
        )
        if batch is not None:
            messages.success(request, _("%(n)s received.") % {"n": batch.number})
            return redirect(batch)
    return render(
        request,
        "form_page.html",
        {"form": form, "title": _("Receive returned units"), "cancel": "/depot/"},
    )


@login_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    batch = get_object_or_404(selectors.repair_batches_for(user), pk=pk)
    if request.method == "POST":
        if not user.has_perm("depot.change_repairbatch"):
            raise PermissionDenied
        step = request.POST.get("step")
        with errors_as_messages(request):
            if step == "finish":
                unit = batch.units.filter(pk=given_id(request.POST.get("unit"))).first()
                if unit is None:
                    raise Http404
                depot.repair_unit_finish(
                    actor=user,
                    unit=unit,
                    repaired=request.POST.get("repaired") == "1",
                    result=request.POST.get("result", ""),
                )
            elif step == "ship":
                depot.repair_batch_ship(actor=user, batch=batch)
            elif step == "delivered":
                depot.repair_batch_delivered(actor=user, batch=batch)
            else:
                raise Http404
        return redirect(batch)
    return render(request, "depot/batch_detail.html", {"batch": batch, "units": batch.units.all()})
