from collections.abc import Callable

from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse, QueryDict
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


class PostedWithoutNul(QueryDict):
    """A posted form with its NUL characters taken out, naming the fields that had one
    (``refused``) so that the form holding each can show it as that field's error; a
    form that did records the field in ``shown``."""

    refused: set[str]
    shown: set[str]


def _without_nul(posted: QueryDict, refused: set[str]) -> PostedWithoutNul:
    cleaned = PostedWithoutNul(mutable=True, encoding=posted.encoding)
    for key in posted:
        cleaned.setlist(key, [value.replace("\x00", "") for value in posted.getlist(key)])
    cleaned.refused, cleaned.shown = refused, set()
    cleaned._mutable = False
    return cleaned


def refused_fields(request: HttpRequest) -> set[str]:
    """The posted fields that had a NUL taken out; a view that reads its fields raw calls
    ``field_errors_shown`` once it shows each as an error."""
    return set(getattr(request.POST, "refused", ()))


def field_errors_shown(request: HttpRequest, names: set[str]) -> None:
    shown = getattr(request.POST, "shown", None)
    if shown is not None:
        shown.update(names)


class NoNullBytesMiddleware:
    """A NUL byte in a query or a posted form never reaches the database (PostgreSQL
    cannot store or even compare one: it would be a 500). In a query it is a 400. In a
    page's form the view runs without it, in a transaction that is always rolled back:
    when the form answers with the field's error the page is shown (what was typed
    kept); otherwise, as when a view reads the field raw, the answer is a 400. Either way
    nothing is written. The API's bodies are read by serializers, whose text fields
    refuse a NUL themselves."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in key + "".join(request.GET.getlist(key)) for key in request.GET):
            if request.method == "GET" and not request.path.startswith("/api/"):
                # A page's search or filter: the same page, asked without the NUL.
                query = request.GET.urlencode().replace("%00", "")
                return HttpResponseRedirect(f"{request.path}?{query}" if query else request.path)
            return self._refused(request)
        if request.method == "POST" and not request.path.startswith("/api/"):
            posted = request.POST
            refused = {k for k in posted if "\x00" in k + "".join(posted.getlist(k))}
            if refused:
                return self._without_nul(request, refused)
        return self.get_response(request)

    def _without_nul(self, request: HttpRequest, refused: set[str]) -> HttpResponse:
        if any("\x00" in key for key in refused):
            return self._refused(request)
        cleaned = _without_nul(request.POST, refused)
        request.POST = cleaned  # type: ignore[misc,assignment]
        with transaction.atomic():
            response = self.get_response(request)
            transaction.set_rollback(True)
        if response.status_code in (200, 400) and refused <= cleaned.shown:
            return response
        # Nothing was kept, so nothing it said it did may show ("recorded" on a 400).
        storage = getattr(request, "_messages", None)
        if storage is not None:
            storage._queued_messages.clear()
        return self._refused(request)

    @staticmethod
    def _refused(request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": _("The request contains a NUL character.")}, status=400)
        message = _(
            "What was sent contains a NUL character, which cannot be stored. Go back, "
            "remove it from what you typed (it is still there) and send again."
        )
        return render(request, "400.html", {"message": message}, status=400)


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
