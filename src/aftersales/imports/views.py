"""The import page (service manager and administrator): a template and an export per
kind, a dry run that reports every bad row, the import itself — in the background, with
its progress, for a large file."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation

from aftersales.common.exports import xlsx_response
from aftersales.common.forms import run_service
from aftersales.common.requests import acting_user
from aftersales.imports import forms, services
from aftersales.imports.exports import workbook
from aftersales.imports.models import ImportRun
from aftersales.imports.tasks import progress_of

may_import = permission_required("imports.add_importrun", raise_exception=True)


@login_required
@may_import
def import_page(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        start = (
            services.import_run
            if data["file"].size <= services.INLINE_BYTES
            else services.import_queue
        )
        run = run_service(
            form,
            lambda: start(actor=user, kind=data["kind"], upload=data["file"], mode=data["mode"]),
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


def _progress(run: ImportRun) -> dict[str, int] | None:
    if run.done:
        return None
    done, total = progress_of(run.pk) or (0, 0)
    return {"done": done, "total": total, "percent": round(100 * done / total) if total else 0}


@login_required
@may_import
def import_result(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(ImportRun.objects.select_related("run_by"), pk=pk)
    return render(request, "imports/run.html", {"run": run, "progress": _progress(run)})


@login_required
@may_import
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar, polled while the run is in the background; once it is done the
    page reloads to show the report."""
    run = get_object_or_404(ImportRun, pk=pk)
    response = render(request, "imports/progress.html", {"run": run, "progress": _progress(run)})
    if run.done:
        response["HX-Refresh"] = "true"
    return response


def _sheet(kind: str, rows: bool) -> HttpResponse:
    if kind not in services.SPECS:
        raise Http404
    language = translation.get_language() or "zh-hans"
    stamp = f"-{timezone.localdate():%Y%m%d}" if rows else ""
    return xlsx_response(
        workbook(kind, rows=rows),
        f"{'export' if rows else 'import'}-{kind}-{language}{stamp}.xlsx",
    )


@login_required
@may_import
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    """The kind's empty sheet with its headers in the user's language (* required)."""
    return _sheet(kind, rows=False)


@login_required
@may_import
def import_export(request: HttpRequest, kind: str) -> HttpResponse:
    """The kind's records in its template: the file imports back as it is."""
    return _sheet(kind, rows=True)
