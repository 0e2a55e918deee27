"""Pages of planned work: the quarter's plans (service manager), each plan with its
visits, and the inspection a technician fills on a phone with the customer's signature."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.common import attachments
from aftersales.common.exceptions import ConflictError, ValidationError
from aftersales.common.forms import attempt, run_service
from aftersales.common.requests import acting_user, given_id
from aftersales.common.views import pdf_page
from aftersales.common.words import labelled
from aftersales.customers.models import Equipment
from aftersales.customers.selectors import customers_for
from aftersales.maintenance import (
    checklists,
    forms,
    inspections,
    plans,
    printing,
    selectors,
)
from aftersales.maintenance.checklists import checklists_fitting
from aftersales.maintenance.models import ChecklistTemplate, Inspection, MaintenancePlan, Result


@login_required
@permission_required("maintenance.view_maintenanceplan", raise_exception=True)
def plan_list(request: HttpRequest) -> HttpResponse:
    """The quarter's plans: which wait for the customer, which visits are coming."""
    user = acting_user(request)
    try:
        quarter = plans.parse_quarter(request.GET.get("quarter", ""))
    except ValidationError:
        quarter = plans.Quarter.of(timezone.localdate())
    form = forms.GenerateForm(request.POST or None, initial={"quarter": quarter.code})
    if request.method == "POST":
        if not user.has_perm("maintenance.add_maintenanceplan"):
            raise PermissionDenied
        if form.is_valid():
            made = run_service(form, lambda: _generate(user, form.cleaned_data))
            if made is not None:
                messages.success(
                    request,
                    _(
                        "The quarter has %(n)s plans: new ones made, missing visits added, "
                        "the rest left as they were."
                    )
                    % {"n": made[1]},
                )
                return redirect(f"{request.path}?quarter={made[0].code}")
    items = selectors.plans_for(user).filter(quarter=quarter.code).order_by("status", "pk")
    status = request.GET.get("status", "")
    if status in MaintenancePlan.Status.values:
        items = items.filter(status=status)
    page_obj = Paginator(items, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "maintenance/plan_list.html",
        {
            "page_obj": page_obj,
            "quarter": quarter,
            "previous": quarter.previous(),
            "next": quarter.next(),
            "form": form,
            "statuses": MaintenancePlan.Status.choices,
            "status": status,
        },
    )


def _generate(user: Any, data: dict[str, Any]) -> tuple[plans.Quarter, int]:
    quarter = plans.parse_quarter(data["quarter"])
    contract = data.get("contract")
    if contract is not None:
        plans.maintenance_plan_generate(actor=user, contract=contract, quarter=quarter)
        return quarter, 1
    return quarter, plans.quarter_plans_generate(actor=user, quarter=quarter)


PLAN_DONE = {
    "confirm": gettext_lazy("The customer's confirmation is recorded."),
    "move": gettext_lazy("The visit is moved."),
    "cancel": gettext_lazy("The visit is cancelled."),
}


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    plan = get_object_or_404(selectors.plans_for(user), pk=pk)
    if request.method == "POST":
        step = request.POST.get("step", "")
        if step not in PLAN_DONE:
            raise Http404
        needed = "confirm_maintenanceplan" if step == "confirm" else "change_plannedvisit"
        if not user.has_perm(f"maintenance.{needed}"):
            raise PermissionDenied
        refused = attempt(step, request, lambda: _plan_step(user, plan, step, request.POST))
        if refused is None:
            messages.success(request, PLAN_DONE[step])
            return redirect(plan)
    else:
        refused = None
    units = plan.contract.equipment.select_related("product_model", "site")
    started = {
        i.equipment_id: i
        for i in Inspection.objects.filter(visit__plan=plan).exclude(status="cancelled")
    }
    return render(
        request,
        "maintenance/plan_detail.html",
        {
            "plan": plan,
            "units": units,
            "started": started,
            # Refused: what was typed comes back; the reason is shown once, above it.
            "confirm_form": forms.ConfirmForm(
                initial=request.POST.dict() if refused and refused.step == "confirm" else None
            ),
            "move_form": forms.MoveForm(),
            "refused": refused,
        },
        status=400 if refused else 200,
    )


def _plan_step(user: Any, plan: MaintenancePlan, step: str, data: Any) -> None:
    if step == "confirm" and user.is_external:  # in their own name, from the portal
        plans.maintenance_plan_confirm(actor=user, plan=plan)
        return
    if step == "confirm":
        plans.maintenance_plan_confirm(actor=user, plan=plan, **_valid(forms.ConfirmForm(data)))
        return
    visit = get_object_or_404(plan.visits.all(), pk=given_id(data.get("visit")))
    if step == "move":
        plans.maintenance_visit_move(actor=user, visit=visit, **_valid(forms.MoveForm(data)))
    else:
        plans.maintenance_visit_cancel(actor=user, visit=visit, reason=data.get("reason", ""))


def _valid(form: Any) -> dict[str, Any]:
    """The form's values, or its errors as the service's refusal (shown on the page)."""
    if not form.is_valid():
        # Each message says which field it is about: the page shows them together.
        raise ValidationError(
            {
                name: [
                    labelled(form.fields[name].label, message) if name in form.fields else message
                    for message in messages_
                ]
                for name, messages_ in form.errors.items()
            }
        )
    return dict(form.cleaned_data)


@login_required
@permission_required("maintenance.view_inspection", raise_exception=True)
def inspection_list(request: HttpRequest) -> HttpResponse:
    """A technician's inspections (to fill, to report) first; staff see everyone's."""
    user = acting_user(request)
    items = selectors.inspections_for(user).prefetch_related("obligations")
    status = request.GET.get("status", "")
    if status in Inspection.Status.values:
        items = items.filter(status=status)
    page_obj = Paginator(items, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "maintenance/inspection_list.html",
        {"page_obj": page_obj, "statuses": Inspection.Status.choices, "status": status},
    )


@login_required
@permission_required("maintenance.add_inspection", raise_exception=True)
def inspection_start(request: HttpRequest) -> HttpResponse:
    """Start the inspection of a unit (from a plan's visit, or any unit)."""
    user = acting_user(request)
    if request.method != "POST":
        raise Http404
    units = Equipment.objects.filter(customer__in=customers_for(user))
    equipment = get_object_or_404(units, pk=given_id(request.POST.get("equipment")))
    visit = None
    if request.POST.get("visit"):
        visit = get_object_or_404(selectors.visits_for(user), pk=given_id(request.POST["visit"]))
    try:
        made = inspections.inspection_start(actor=user, equipment=equipment, visit=visit)
    except (ValidationError, ConflictError) as error:
        messages.error(request, _refusal(error))
        return redirect(request.POST.get("back") or "maintenance:inspections")
    return redirect(made)


def _refusal(error: Exception) -> str:
    if isinstance(error, ConflictError):
        return error.message
    return " ".join(str(m) for m in error.messages)  # type: ignore[attr-defined]


STEP_DONE = {
    "record": gettext_lazy("Saved."),
    "sign": gettext_lazy("Signature saved."),
    "report": gettext_lazy("The inspection report is issued."),
    "raise": gettext_lazy("The item is now a service request."),
    "cancel": gettext_lazy("The inspection is cancelled."),
    "photo": gettext_lazy("Photo added."),
    "checklist": gettext_lazy("The inspection uses the chosen checklist."),
}


@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    inspection = get_object_or_404(selectors.inspections_for(user), pk=pk)
    errors: dict[str, Any] = {}
    posted: Any = None
    if request.method == "POST":
        step = request.POST.get("step", "")
        if step not in STEP_DONE:
            raise Http404
        if user.is_external or not user.has_perm("maintenance.change_inspection"):
            raise PermissionDenied
        if step not in ("record", "report"):  # refused beside its own form
            refused = attempt(
                step, request, lambda: _inspection_step(user, inspection, step, request)
            )
            if refused is None:
                messages.success(request, STEP_DONE[step])
                return redirect(inspection)
            return _inspection_page(request, inspection, {}, None, refused)
        try:
            _inspection_step(user, inspection, step, request)
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
            posted = request.POST
        except ConflictError as error:
            errors, posted = {"": [error.message]}, request.POST
        else:
            messages.success(request, STEP_DONE[step])
            return redirect(inspection)
    return _inspection_page(request, inspection, errors, posted)


def _inspection_page(
    request: HttpRequest,
    inspection: Inspection,
    errors: dict[str, Any],
    posted: Any,
    refused: Any = None,
) -> HttpResponse:
    user = acting_user(request)
    rows = list(inspection.items.select_related("item", "service_request"))
    for row in rows:
        key = f"item-{row.pk}"
        row.error = " ".join(errors.get(key, []))  # type: ignore[attr-defined]
        if posted is not None and posted.get("step") == "record":
            row.result = posted.get(f"result-{row.pk}", row.result)
            row.shown_measurement = posted.get(f"measurement-{row.pk}", "")  # type: ignore[attr-defined]
            row.remark = posted.get(f"remark-{row.pk}", row.remark)
        else:
            row.shown_measurement = (  # type: ignore[attr-defined]
                "" if row.measurement is None else f"{row.measurement.normalize():f}"
            )
    general = [m for k, ms in errors.items() if not k.startswith("item-") for m in ms]
    may_work = (
        not user.is_external
        and user.has_perm("maintenance.change_inspection")
        and (user.pk == inspection.technician_id or user.has_role("service_manager"))
    )
    report = forms.ReportForm(
        posted if posted is not None and posted.get("step") == "report" else None,
        initial={"findings": inspection.findings, "advice": inspection.advice},
    )
    if posted is not None and posted.get("step") == "report":
        report.is_valid()
        for field, messages_ in errors.items():
            if field in report.fields:
                for message in messages_:
                    report.add_error(field, message)
    return render(
        request,
        "maintenance/inspection.html",
        {
            "inspection": inspection,
            "rows": rows,
            "results": Result.choices,
            "general_errors": general,
            "may_work": may_work,
            "editable": may_work
            and inspection.status == Inspection.Status.IN_PROGRESS
            and not (inspection.technician_signature or inspection.customer_signature),
            "checklists": checklists_fitting(inspection.equipment)
            if may_work
            and inspection.status == Inspection.Status.IN_PROGRESS
            and not any(row.result for row in rows)
            else [],
            "editable_sign": may_work and inspection.status == Inspection.Status.IN_PROGRESS,
            "report_form": report,
            "raise_form": forms.RaiseForm(),
            "photos": attachments.attachments_of(inspection, user),
            "stale": inspections.changed_since_signed(inspection),
            "sides": ["technician", "customer"],
            "staff_note": _("The technician of this inspection signs here."),
            "staff_name": person_name(inspection.technician),
            "refused": refused,
        },
        status=400 if errors or refused else 200,
    )


def person_name(person: Any) -> str:
    """How a member of staff is named on a form: full name, else user name."""
    return (person.get_full_name() or person.username) if person is not None else ""


def _number(text: str) -> Decimal | str | None:
    text = text.strip().replace("，", ".").replace(",", ".")
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return text  # the service refuses it with the item's name


def _inspection_step(user: Any, inspection: Inspection, step: str, request: HttpRequest) -> None:
    data = request.POST
    if step == "record":
        rows = {
            row.pk: {
                "result": data.get(f"result-{row.pk}", ""),
                "measurement": _number(data.get(f"measurement-{row.pk}", "")),
                "remark": data.get(f"remark-{row.pk}", ""),
            }
            for row in inspection.items.all()
            if f"result-{row.pk}" in data or f"measurement-{row.pk}" in data
        }
        inspections.inspection_record(actor=user, inspection=inspection, rows=rows)
    elif step == "sign":
        inspections.inspection_sign(
            actor=user,
            inspection=inspection,
            signer=data.get("signer", ""),
            signature=data.get("signature", ""),
            signed_by=data.get("signed_by", ""),
        )
    elif step == "report":
        inspections.inspection_report_issue(
            actor=user,
            inspection=inspection,
            findings=data.get("findings", ""),
            advice=data.get("advice", ""),
        )
    elif step == "raise":
        row = get_object_or_404(inspection.items.all(), pk=given_id(data.get("row")))
        made = inspections.inspection_item_raise(
            actor=user,
            row=row,
            severity=data.get("severity", "P3"),
            note=data.get("note", ""),
        )
        if getattr(made, "joined", False):
            messages.info(
                request,
                _("The unit already has %(n)s open: the finding is added to it, not filed twice.")
                % {"n": made.number},
            )
        else:
            messages.info(request, _("Service request %(n)s.") % {"n": made.number})
    elif step == "checklist":
        chosen = {t.pk: t for t in checklists_fitting(inspection.equipment)}
        template = chosen.get(given_id(data.get("template")))
        if template is None:
            raise ValidationError({"template": _("Choose a current checklist for this unit.")})
        inspections.inspection_checklist_change(
            actor=user, inspection=inspection, template=template
        )
    elif step == "photo":
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": _("Choose a photo.")})
        attachments.attach(
            actor=user, about=inspection, upload=upload, caption=data.get("caption", "")[:200]
        )
    else:
        inspections.inspection_cancel(
            actor=user, inspection=inspection, reason=data.get("reason", "")
        )


@login_required
def inspection_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_object_or_404(selectors.inspections_for(acting_user(request)), pk=pk)
    return pdf_page(
        request, lambda: printing.inspection_pdf(inspection), f"{inspection.number}.pdf"
    )


@login_required
@permission_required("maintenance.view_checklisttemplate", raise_exception=True)
def checklist_list(request: HttpRequest) -> HttpResponse:
    items = ChecklistTemplate.objects.filter(is_current=True).select_related("product_model")
    return render(request, "maintenance/checklist_list.html", {"items": items})


@login_required
@permission_required("maintenance.view_checklisttemplate", raise_exception=True)
def checklist_detail(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """A checklist and its items; the service manager changes it here (a checklist an
    inspection used is saved as its next version)."""
    user = acting_user(request)
    template = (
        get_object_or_404(ChecklistTemplate.objects.select_related("product_model"), pk=pk)
        if pk is not None
        else None
    )
    may_change = user.has_perm("maintenance.change_checklisttemplate") and (
        template is None or template.is_current
    )
    if template is None and not may_change:
        raise PermissionDenied
    items = list(template.items.all()) if template else []
    initial_items = [
        {f: getattr(i, f) for f in ("code", "text", "kind", "unit", "low", "high")} for i in items
    ]
    head = forms.ChecklistForm(
        request.POST or None,
        initial={
            "name": template.name,
            "product_model": template.product_model,
            "level": template.level,
        }
        if template
        else None,
    )
    rows = forms.ChecklistItems(request.POST or None, initial=initial_items, prefix="items")
    status = 200
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        if head.is_valid() and rows.is_valid():
            given = [r for r in rows.cleaned_data if r and (r.get("code") or r.get("text"))]
            saved = run_service(
                head,
                lambda: checklists.checklist_save(
                    actor=user, template=template, items=given, **head.cleaned_data
                ),
            )
            if saved is not None:
                messages.success(request, _("The checklist is saved."))
                return redirect(saved)
        status = 400
    versions = (
        ChecklistTemplate.objects.filter(name=template.name).order_by("-version")
        if template
        else []
    )
    return render(
        request,
        "maintenance/checklist.html",
        {
            "template": template,
            "items": items,
            "versions": versions,
            "head": head,
            "rows": rows,
            "may_change": may_change,
            "used": template is not None and Inspection.objects.filter(template=template).exists(),
        },
        status=status,
    )
