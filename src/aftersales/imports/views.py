"""The import page (service manager and administrator): a template per kind, a dry
run that reports every bad row, and the import itself."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from openpyxl import Workbook

from aftersales.common.exports import append, xlsx_response
from aftersales.common.forms import run_service
from aftersales.common.requests import acting_user
from aftersales.imports import forms, services
from aftersales.imports.models import ImportRun


@login_required
@permission_required("imports.add_importrun", raise_exception=True)
def import_page(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        run = run_service(
            form,
            lambda: services.import_run(
                actor=user, kind=data["kind"], upload=data["file"], mode=data["mode"]
            ),
        )
        if run is not None:
            return redirect("imports:run", pk=run.pk)
    return render(
        request,
        "imports/page.html",
        {
            "form": form,
            "kinds": ImportRun.Kind.choices,
            "runs": ImportRun.objects.select_related("run_by")[:20],
        },
        status=400 if form.errors else 200,
    )


@login_required
@permission_required("imports.add_importrun", raise_exception=True)
def import_result(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(ImportRun.objects.select_related("run_by"), pk=pk)
    return render(request, "imports/run.html", {"run": run})


@login_required
@permission_required("imports.add_importrun", raise_exception=True)
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    """The kind's empty sheet with its headers in the user's language (* required)."""
    if kind not in services.KINDS:
        raise Http404
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(ImportRun.Kind(kind).label))
    append(
        sheet,
        [f"{c.header}{'*' if c.required else ''}" for c in services.KINDS[kind]],
    )
    language = translation.get_language() or "zh-hans"
    return xlsx_response(book, f"import-{kind}-{language}.xlsx")
