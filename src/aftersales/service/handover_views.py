"""The hand-over page (R-WO-6): the service manager moves a leaving person's open work
orders, with their time limits, to another technician, then deactivates the account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role
from aftersales.common.exceptions import ConflictError
from aftersales.common.forms import run_service
from aftersales.common.requests import acting_user
from aftersales.service import forms, handover
from aftersales.service.models import WorkOrder


@login_required
def hand_over(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not (user.is_superuser or user.has_role(Role.SERVICE_MANAGER)):
        raise PermissionDenied
    form = forms.HandOverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        leaving, to_user = form.cleaned_data["leaving"], form.cleaned_data["to_user"]
        deactivate = form.cleaned_data["deactivate"]

        @transaction.atomic
        def act() -> int:
            moved = 0
            if to_user is not None:
                moved = handover.work_orders_hand_over(
                    actor=user, from_user=leaving, to_user=to_user
                )
            if deactivate:
                handover.user_deactivate(actor=user, user=leaving)
            return moved

        try:
            moved = run_service(form, act)
        except ConflictError as error:
            form.add_error("deactivate", error.message)
            moved = None
        if moved is not None:
            messages.success(
                request,
                _("%(n)s open work orders of %(user)s handed over.") % {"n": moved, "user": leaving}
                + (" " + _("The account is deactivated.") if deactivate else ""),
            )
            return redirect("service:hand_over")
    staff = (
        User.objects.filter(is_active=True, portal_contact__isnull=True)
        .annotate(
            open_orders=Count("work_orders", filter=Q(work_orders__status=WorkOrder.Status.OPEN))
        )
        .filter(open_orders__gt=0)
        .order_by("-open_orders", "username")
    )
    return render(request, "service/hand_over.html", {"form": form, "staff": staff})
