from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
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
