from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _


class ChineseFirstMiddleware:
    """Pages are in Chinese unless the user chose another language (the
    language cookie set by the switcher); the browser's Accept-Language is
    ignored for pages. API clients may still ask for English with it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class NoNullBytesMiddleware:
    """A NUL byte in a query or a posted form is refused with a 400 before any view reads
    it raw (PostgreSQL cannot store or even compare one: it would be a 500). Fields that
    serializers and forms read refuse it themselves."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        params = [request.GET]
        # Pages read their posted fields (forms and multipart); the API's bodies are read
        # by serializers, whose text fields refuse a NUL themselves.
        if request.method == "POST" and not request.path.startswith("/api/"):
            params.append(request.POST)
        if any("\x00" in key + "".join(q.getlist(key)) for q in params for key in q):
            message = _("The request contains a NUL character.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return render(request, "400.html", {"message": message}, status=400)
        return self.get_response(request)


# Pages run only our own scripts (no inline script or handler anywhere: shared behaviour
# is in static/aftersales.js); styles may be inline (Bootstrap utilities, htmx).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    """A Content-Security-Policy on every page, and nothing a signed-in user sees is kept
    in a shared or browser cache (a customer's page on a shared PC, a proxy)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "text/html" in response.get("Content-Type", ""):
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response
