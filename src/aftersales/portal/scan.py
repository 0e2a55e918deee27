"""The page a unit's QR code opens, for anyone on site, without an account: the model
(nothing else about the unit), and a short report that enters the normal intake on
the ``qr`` channel. Bounded so it cannot be used to flood the hotline."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from aftersales.accounts.lockout import client_ip
from aftersales.common.forms import run_service
from aftersales.customers.models import Equipment
from aftersales.portal import forms, services

# Reports through one unit's code, and from one address, an hour: enough for a real
# fault told by several people, too few to flood anyone.
PER_UNIT_PER_HOUR = getattr(settings, "QR_REPORTS_PER_UNIT_PER_HOUR", 3)
PER_ADDRESS_PER_HOUR = getattr(settings, "QR_REPORTS_PER_ADDRESS_PER_HOUR", 5)


def _unit(token: str) -> Equipment:
    if not token or len(token) > 24:
        raise Http404
    unit = (
        Equipment.objects.select_related("product_model")
        .filter(report_token=token, retired_on__isnull=True)
        .first()
    )
    if unit is None:
        raise Http404
    return unit


def _over_limit(request: HttpRequest, unit: Equipment) -> bool:
    """Counts this report against the unit's and the address's hourly allowance."""
    address = hashlib.sha256(client_ip(request).encode()).hexdigest()[:32]
    over = False
    limits = ((f"qr:unit:{unit.pk}", PER_UNIT_PER_HOUR), (f"qr:ip:{address}", PER_ADDRESS_PER_HOUR))
    for key, allowed in limits:
        cache.add(key, 0, 3600)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, 3600)
            count = 1
        over = over or count > allowed
    return over


@never_cache
@csrf_protect
def scan(request: HttpRequest, token: str) -> HttpResponse:
    unit = _unit(token)
    form = forms.ScanReportForm(request.POST or None, request.FILES or None)
    context = {"model": unit.product_model, "form": form, "company": settings.COMPANY_NAME}
    if request.method == "POST":
        if form.data.get("website"):  # the field people never see: a bot filled it
            return render(request, "portal/scan_thanks.html", {"number": "", **context})
        # Only a report that would be recorded counts against the allowance.
        if form.is_valid() and _over_limit(request, unit):
            return render(
                request,
                "portal/scan_busy.html",
                {**context, "hotline": settings.SERVICE_HOTLINE},
                status=429,
            )
        if form.is_valid():
            data = form.cleaned_data
            made = run_service(
                form,
                lambda: services.qr_report(
                    unit=unit,
                    caller_name=data["caller_name"],
                    caller_phone=data["caller_phone"],
                    description=data["description"],
                    photos=data["photos"] or [],
                ),
            )
            if made is not None:
                thanks = {"number": made.number, **context}
                return render(request, "portal/scan_thanks.html", thanks)
    return render(request, "portal/scan.html", context, status=400 if form.errors else 200)
