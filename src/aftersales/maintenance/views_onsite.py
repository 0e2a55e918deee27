"""Pages of installation and commissioning (R-PM-4) and training (R-PM-5): the lists
with their planning forms, and each record's steps on a phone, signed by both sides."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.common import attachments
from aftersales.common.exceptions import ValidationError
from aftersales.common.forms import Refusal, attempt, run_service
from aftersales.common.requests import acting_user, given_id
from aftersales.common.views import pdf_page
from aftersales.customers.models import Equipment
from aftersales.customers.selectors import customers_for
from aftersales.maintenance import (
    forms,
    installations,
    printing_onsite,
    selectors,
    training,
    upgrades,
)
from aftersales.maintenance.models import Installation, TrainingSession
from aftersales.maintenance.views import person_name
from aftersales.returns.models import UnpackingInspection

ATTENDEE_ROWS = 12


def take_step(
    request: HttpRequest,
    record: Any,
    done: dict[str, Any],
    perform: Callable[[str], object],
    *,
    perm: str,
) -> HttpResponse | Refusal:
    """A step posted on a record's page: one of ``done`` (else 404), by staff with
    ``perm`` (else 403). Done: back to the page with ``done``'s words; refused: the
    refusal, for the page to show beside the form with what was typed."""
    step = request.POST.get("step", "")
    if step not in done:
        raise Http404
    user = acting_user(request)
    if user.is_external or not user.has_perm(perm):
        raise PermissionDenied
    refusal = attempt(step, request, lambda: perform(step))
    if refusal is not None:
        return refusal
    messages.success(request, done[step])
    return redirect(record)


@login_required
@permission_required("maintenance.view_installation", raise_exception=True)
def installation_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if user.is_external:
        raise PermissionDenied
    form = forms.InstallationForm(request.POST or None)
    if request.method == "POST":
        if not user.has_perm("maintenance.add_installation"):
            raise PermissionDenied
        if form.is_valid():
            data = dict(form.cleaned_data)
            unit = Equipment.objects.filter(
                customer__in=customers_for(user), serial_number__iexact=data.pop("serial_number")
            ).first()
            if unit is None:
                form.add_error("serial_number", _("No unit has this serial number."))
            else:
                made = run_service(
                    form,
                    lambda: installations.installation_plan(actor=user, equipment=unit, **data),
                )
                if made is not None:
                    messages.success(request, _("%(n)s planned.") % {"n": made.number})
                    return redirect(made)
    items = selectors.installations_for(user)
    status = request.GET.get("status", "")
    if status in Installation.Status.values:
        items = items.filter(status=status)
    return render(
        request,
        "maintenance/installation_list.html",
        {
            "page_obj": Paginator(items, 25).get_page(request.GET.get("page")),
            "form": form,
            "statuses": Installation.Status.choices,
            "status": status,
        },
        status=400 if form.errors else 200,
    )


INSTALL_DONE = {
    "call": gettext_lazy("The call is recorded."),
    "deliver": gettext_lazy("The delivery is recorded: commission it within the time limit."),
    "unpack": gettext_lazy("The unpacking inspection is recorded."),
    "commission": gettext_lazy("Commissioning is recorded."),
    "sign": gettext_lazy("Signature saved."),
    "score": gettext_lazy("The installer's score is recorded."),
    "cancel": gettext_lazy("The installation is cancelled."),
}


@login_required
def installation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    item = get_object_or_404(selectors.installations_for(user), pk=pk)
    refused = None
    if request.method == "POST":
        refused = take_step(
            request,
            item,
            INSTALL_DONE,
            lambda step: _install_step(user, item, step, request.POST),
            perm="maintenance.change_installation",
        )
        if isinstance(refused, HttpResponse):
            return refused
    return render(
        request,
        "maintenance/installation.html",
        {
            "item": item,
            "refused": refused,
            "outcomes": UnpackingInspection.Outcome.choices,
            "sides": ["technician", "customer"],
            "staff_note": _("The installer signs here."),
            "staff_label": _("Installer's signature"),
            "staff_name": person_name(item.installer),
            "stale": installations.changed_since_signed(item),
            "may_work": not user.is_external
            and (user.pk == item.installer_id or user.has_role("service_manager")),
            "may_score": not user.is_external
            and user.pk != item.installer_id
            and user.has_perm("maintenance.change_installation"),
        },
        status=400 if refused else 200,
    )


def _install_step(user: Any, item: Installation, step: str, data: Any) -> None:
    if step == "call":
        installations.installation_call(actor=user, installation=item, note=data.get("note", ""))
    elif step == "deliver":
        installations.installation_deliver(actor=user, installation=item)
    elif step == "unpack":
        installations.installation_unpack(
            actor=user,
            installation=item,
            outcome=data.get("outcome", ""),
            note=data.get("note", ""),
            signed_by=data.get("signed_by", ""),
        )
    elif step == "commission":
        installations.installation_commission(
            actor=user, installation=item, commissioning=data.get("commissioning", "")
        )
    elif step == "sign":
        installations.installation_sign(
            actor=user,
            installation=item,
            signer=data.get("signer", ""),
            signature=data.get("signature", ""),
            signed_by=data.get("signed_by", ""),
        )
    elif step == "score":
        score = data.get("score", "")
        installations.installation_score(
            actor=user,
            installation=item,
            score=int(score) if score.isdigit() and len(score) < 3 else 0,
            note=data.get("note", ""),
        )
    else:
        installations.installation_cancel(
            actor=user, installation=item, reason=data.get("reason", "")
        )


@login_required
def installation_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(selectors.installations_for(acting_user(request)), pk=pk)
    return pdf_page(request, lambda: printing_onsite.installation_pdf(item), f"{item.number}.pdf")


@login_required
@permission_required("maintenance.view_trainingsession", raise_exception=True)
def training_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    customers = customers_for(user)
    form = forms.TrainingPlanForm(
        request.POST or None,
        customers=customers,
        initial={"year": timezone.localdate().year, "times": 2},
    )
    if request.method == "POST":
        if user.is_external or not user.has_perm("maintenance.add_trainingsession"):
            raise PermissionDenied
        if form.is_valid():
            made = run_service(
                form, lambda: training.training_plan(actor=user, **form.cleaned_data)
            )
            if made is not None:
                messages.success(request, _("%(n)s sessions planned.") % {"n": len(made)})
                return redirect("maintenance:trainings")
    items = selectors.trainings_for(user)
    return render(
        request,
        "maintenance/training_list.html",
        {"page_obj": Paginator(items, 25).get_page(request.GET.get("page")), "form": form},
        status=400 if form.errors else 200,
    )


TRAINING_DONE = {
    "hold": gettext_lazy("The session is recorded."),
    "sign": gettext_lazy("Signature saved."),
    "report": gettext_lazy("The training report is issued."),
    "material": gettext_lazy("Material added."),
    "cancel": gettext_lazy("The session is cancelled."),
}


@login_required
def training_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    session = get_object_or_404(selectors.trainings_for(user), pk=pk)
    refused = None
    if request.method == "POST":
        refused = take_step(
            request,
            session,
            TRAINING_DONE,
            lambda step: _training_step(user, session, step, request),
            perm="maintenance.change_trainingsession",
        )
        if isinstance(refused, HttpResponse):
            return refused
    passed, scored = training.pass_rate(session)
    return render(
        request,
        "maintenance/training.html",
        {
            "session": session,
            "refused": refused,
            "attendees": session.attendees.all(),
            "passed": passed,
            "scored": scored,
            "rows": range(1, ATTENDEE_ROWS + 1),
            "materials": attachments.attachments_of(session, user),
            "sides": ["technician", "customer"],
            "staff_note": _("The trainer signs here."),
            "staff_label": _("Trainer's signature"),
            "staff_name": person_name(session.trainer),
            "stale": training.changed_since_signed(session),
            "may_work": not user.is_external
            and (user.pk == session.trainer_id or user.has_role("service_manager")),
        },
        status=400 if refused else 200,
    )


def _held_at(text: str) -> dt.datetime | None:
    """When the session took place, as the page's datetime field sends it; empty: now."""
    if not text.strip():
        return None
    try:
        day = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError({"held_at": _("Give the date and time it was held.")}) from None
    if not 2000 <= day.year <= 2100:
        raise ValidationError({"held_at": _("Give a date between 2000 and 2100.")})
    return timezone.make_aware(day) if timezone.is_naive(day) else day


def _training_step(user: Any, session: TrainingSession, step: str, request: HttpRequest) -> None:
    data = request.POST
    if step == "hold":
        attendees = [
            {
                "name": data.get(f"name-{n}", ""),
                "post": data.get(f"post-{n}", ""),
                "theory": data.get(f"theory-{n}", ""),
                "practical": data.get(f"practical-{n}", ""),
            }
            for n in range(1, ATTENDEE_ROWS + 1)
        ]
        training.training_hold(
            actor=user,
            session=session,
            attendees=attendees,
            place=data.get("place", ""),
            held_at=_held_at(data.get("held_at", "")),
            trainer=user if session.trainer_id is None else None,
        )
    elif step == "sign":
        training.training_sign(
            actor=user,
            session=session,
            signer=data.get("signer", ""),
            signature=data.get("signature", ""),
            signed_by=data.get("signed_by", ""),
        )
    elif step == "report":
        training.training_report(actor=user, session=session, summary=data.get("summary", ""))
    elif step == "material":
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": _("Choose a file.")})
        attachments.attach(actor=user, about=session, upload=upload)
    else:
        training.training_cancel(actor=user, session=session, reason=data.get("reason", ""))


@login_required
def training_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(selectors.trainings_for(acting_user(request)), pk=pk)
    return pdf_page(request, lambda: printing_onsite.training_pdf(session), f"{session.number}.pdf")


UPGRADE_DONE = {"sign": gettext_lazy("Signature saved.")}


@login_required
@permission_required("maintenance.add_upgrade", raise_exception=True)
def upgrade_new(request: HttpRequest) -> HttpResponse:
    """Record an upgrade done on a unit (from its page), then both sign it."""
    user = acting_user(request)
    units = Equipment.objects.filter(customer__in=customers_for(user))
    equipment = get_object_or_404(
        units, pk=given_id(request.GET.get("unit") or request.POST.get("unit"))
    )
    form = forms.UpgradeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = run_service(
            form,
            lambda: upgrades.upgrade_record(actor=user, equipment=equipment, **form.cleaned_data),
        )
        if made is not None:
            return redirect(made)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": _("Software upgrade on %(unit)s") % {"unit": equipment.serial_number},
            "cancel": reverse("customers:equipment_detail", args=[equipment.pk]),
        },
        status=400 if form.errors else 200,
    )


@login_required
def upgrade_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    item = get_object_or_404(selectors.upgrades_for(user), pk=pk)
    refused = None
    if request.method == "POST":
        refused = take_step(
            request,
            item,
            UPGRADE_DONE,
            lambda step: upgrades.upgrade_sign(
                actor=user,
                upgrade=item,
                signer=request.POST.get("signer", ""),
                signature=request.POST.get("signature", ""),
                signed_by=request.POST.get("signed_by", ""),
            ),
            perm="maintenance.change_upgrade",
        )
        if isinstance(refused, HttpResponse):
            return refused
    return render(
        request,
        "maintenance/upgrade.html",
        {
            "item": item,
            "refused": refused,
            "sides": ["technician", "customer"],
            "staff_note": _("The technician of the upgrade signs here."),
            "staff_name": person_name(item.technician),
            "stale": upgrades.changed_since_signed(item),
            "may_work": not user.is_external
            and (user.pk == item.technician_id or user.has_role("service_manager")),
        },
        status=400 if refused else 200,
    )


@login_required
def upgrade_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(selectors.upgrades_for(acting_user(request)), pk=pk)
    return pdf_page(request, lambda: printing_onsite.upgrade_pdf(item), f"{item.number}.pdf")
