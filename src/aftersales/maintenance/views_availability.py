"""The customers below the availability target (R-PM-3) over a chosen period."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from aftersales.common.requests import acting_user
from aftersales.customers.selectors import customers_for
from aftersales.maintenance import availability, forms


@login_required
@permission_required("maintenance.view_inspection", raise_exception=True)
def availability_list(request: HttpRequest) -> HttpResponse:
    """Customers below the 100 % availability target over a period (this year so far
    unless chosen), the lowest first."""
    user = acting_user(request)
    if user.is_external:
        raise PermissionDenied
    today = timezone.localdate()
    start, end = today.replace(month=1, day=1), today
    # The period shown is in the fields, chosen or not.
    form = forms.PeriodForm(request.GET or None, initial={"start": start, "end": end})
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    visible = customers_for(user)
    results = availability.customers_availability(start, end)
    below = sorted(
        (r for r in results.items() if r[1].below_target), key=lambda r: r[1].availability
    )
    page_obj = Paginator(below, 25).get_page(request.GET.get("page"))
    names = {c.pk: c for c in visible.filter(pk__in=[pk for pk, _r in page_obj.object_list])}
    shown: list[Any] = [(names[pk], r) for pk, r in page_obj.object_list if pk in names]
    page_obj.object_list = shown
    return render(
        request,
        "maintenance/availability.html",
        {"form": form, "page_obj": page_obj, "start": start, "end": end, "checked": len(results)},
    )
