from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from aftersales.common.attachments import attachment_for
from aftersales.common.models import Attachment
from aftersales.common.navigation import AREAS_BY_SLUG
from aftersales.common.pdf import NoChineseFont


@login_required
def area_not_yet(request: HttpRequest, area: str) -> HttpResponse:
    found = AREAS_BY_SLUG.get(area)
    if found is None or found.url_name is not None:
        raise Http404
    return render(request, "area_not_yet.html", {"area": found})


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """The file, if the user may see the record it belongs to (404 otherwise)."""
    attachment = attachment_for(request.user, pk)
    return file_response(attachment)


def file_response(attachment: Attachment) -> FileResponse:
    # Photos and PDFs open in the browser; documents download. The type is the
    # one sniffed at upload, and the sandbox keeps a crafted PDF from scripting.
    inline = attachment.is_image or attachment.mime == "application/pdf"
    try:
        opened = attachment.file.open("rb")
    except FileNotFoundError:
        # The record survived and the file did not (a restore without MEDIA_ROOT).
        raise Http404 from None
    response = FileResponse(
        opened,
        content_type=attachment.mime,
        as_attachment=not inline,
        filename=attachment.name,
    )
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def pdf_page(request: HttpRequest, make: Callable[[], bytes], filename: str) -> HttpResponse:
    """A printed document (work order, monthly review, satisfaction report) opened in the
    browser; without a Chinese font on the server, a page that says what to install."""
    try:
        content = make()
    except NoChineseFont as error:
        return render(request, "no_font.html", {"error": error}, status=503)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def status_list_page(
    request: HttpRequest, items: Any, statuses: Any, template: str, *, per_page: int = 25
) -> HttpResponse:
    """A list page filtered by ``?status=`` (one of ``statuses``, a TextChoices) and
    paginated; the template gets ``page_obj``, ``statuses`` and ``status``."""
    status = request.GET.get("status", "")
    if status in statuses.values:
        items = items.filter(status=status)
    page_obj = Paginator(items, per_page).get_page(request.GET.get("page"))
    return render(
        request, template, {"page_obj": page_obj, "statuses": statuses.choices, "status": status}
    )


def _api_or_page(status: int, detail: str, template: str) -> Callable[..., HttpResponse]:
    """Django's error views for a status: JSON under /api/ (the API answers JSON, even for
    a path no route matches), the site's page elsewhere."""
    from django.views import defaults

    page_view: Any = {
        400: defaults.bad_request,
        403: defaults.permission_denied,
        404: defaults.page_not_found,
        500: defaults.server_error,
    }[status]

    def view(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": str(_(detail))}, status=status)
        if status == 500:
            return page_view(request, template_name=template)
        return page_view(request, exception, template_name=template)

    return view


bad_request = _api_or_page(400, "Bad request.", "400.html")
permission_denied = _api_or_page(403, "You do not have permission to do this.", "403.html")
page_not_found = _api_or_page(404, "Not found.", "404.html")
server_error = _api_or_page(500, "Server error.", "500.html")
