"""What a locked-out login attempt gets (django-axes): JSON for the API, a page otherwise."""

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_response(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    message = _(
        "Too many failed login attempts. Try again later or ask the administrator to unlock "
        "your account."
    )
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    return render(request, "accounts/locked_out.html", {"message": message}, status=429)


def client_ip(request: HttpRequest) -> str:
    """The address failed logins are counted against, with the username (so one client
    cannot lock a named user out for everyone). Behind our reverse proxy
    (``BEHIND_PROXY=1``) every request comes from the proxy, so the client is the address
    the proxy appended to X-Forwarded-For: the right-most ``PROXY_COUNT`` entry, which
    a client cannot forge (what it sends itself stands further left)."""
    from django.conf import settings

    remote = str(request.META.get("REMOTE_ADDR", "") or "")
    if not getattr(settings, "BEHIND_PROXY", False):
        return remote
    hops = [h.strip() for h in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    hops = [h for h in hops if h]
    count = int(getattr(settings, "PROXY_COUNT", 1))
    return hops[-count] if len(hops) >= count else remote
