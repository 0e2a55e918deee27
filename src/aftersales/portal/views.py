"""The customer portal (issue 15 item 4): pages made for a customer contact on a phone.
Only their company's records; every step through the same services as the staff's."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.common import attachments
from aftersales.common.exceptions import ValidationError
from aftersales.common.forms import errors_as_messages, run_service
from aftersales.common.requests import acting_user, given_id
from aftersales.common.views import pdf_page
from aftersales.complaints.selectors import complaints_for
from aftersales.customers.models import Equipment
from aftersales.customers.selectors import customers_for
from aftersales.feedback import surveys
from aftersales.maintenance.selectors import (
    inspections_for,
    installations_for,
    plans_for,
    trainings_for,
    upgrades_for,
)
from aftersales.portal import forms, qr, selectors, services
from aftersales.service import charges
from aftersales.service.forms import ConfirmForm
from aftersales.service.models import WorkOrder
from aftersales.service.selectors import get_request_for_user, printable_orders_for
from aftersales.service.service_requests import service_request_confirm

# One sheet run prints at most this many labels (24 pages of 21).
LABELS_AT_MOST = 504


def customer_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The portal is for customer contacts; staff have their own pages."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = acting_user(request)
        if not user.is_external or not user.customer_id_scope:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@customer_only
def home(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    requests = selectors.with_progress(list(selectors.my_requests(user)[:20]))
    return render(
        request,
        "portal/home.html",
        {
            "yours": [(item, p) for item, p in requests if p.yours],
            "requests": [(item, p) for item, p in requests if not p.yours],
            "surveys": list(selectors.my_surveys(user)[:5]),
            "complaints": list(complaints_for(user).order_by("-received_at", "-pk")[:5]),
            "plans": list(plans_for(user).filter(status="proposed").order_by("quarter")[:5]),
            "inspections": list(
                inspections_for(user)
                .filter(status__in=["finished", "reported"])
                .order_by("-started_at")[:5]
            ),
            "forms": list(installations_for(user).filter(status="accepted")[:5])
            + list(trainings_for(user).filter(status="reported")[:5])
            + list(upgrades_for(user).filter(status="signed").select_related("equipment")[:5]),
        },
    )


@customer_only
def report(request: HttpRequest) -> HttpResponse:
    """报修: their unit from the list, what is wrong, photos; their contact filled in."""
    user = acting_user(request)
    contact = getattr(user, "portal_contact", None)
    form = forms.ReportForm(
        request.POST or None,
        request.FILES or None,
        equipment=selectors.my_equipment(user),
        initial={
            "caller_name": user.get_full_name() or (contact.name if contact else ""),
            "caller_phone": (contact.phone if contact else "") or user.phone,
            "equipment": request.GET.get("unit") or None,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = run_service(
            form,
            lambda: services.portal_report(
                actor=user,
                equipment=data["equipment"],
                severity=data["severity"],
                description=data["description"],
                caller_name=data["caller_name"],
                caller_phone=data["caller_phone"],
                photos=data["photos"] or [],
            ),
        )
        if made is not None:
            words = (
                _(
                    "Thank you. We are already working on %(n)s for this unit: what you wrote "
                    "is added to it, and we will call you."
                )
                if getattr(made, "joined", False)
                else _("Thank you. Your report is %(n)s; we will call you.")
            )
            messages.success(request, words % {"n": made.number})
            return redirect("portal:request", pk=made.pk)
    return render(request, "portal/report.html", {"form": form})


@customer_only
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    item = get_request_for_user(user, pk)
    [(item, progress)] = selectors.with_progress([item])
    orders = (
        printable_orders_for(user)
        .filter(service_request=item)
        .exclude(status=WorkOrder.Status.VOID)
    )
    return render(
        request,
        "portal/request.html",
        {
            "item": item,
            "progress": progress,
            "signed": [o for o in orders if o.signed_at],
            "photos": attachments.attachments_of(item, user),
            "quote_form": forms.QuoteAnswerForm(),
            "confirm_form": ConfirmForm(),
        },
    )


@customer_only
@require_POST
def quote_answer(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    item = get_request_for_user(user, pk)
    form = forms.QuoteAnswerForm(request.POST)
    with errors_as_messages(request):
        if not form.is_valid():
            raise ValidationError(form.errors)
        charges.service_request_quote_answer(
            actor=user,
            request=item,
            accepted=form.cleaned_data["accepted"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("Thank you, your answer to the quote is recorded."))
    return redirect("portal:request", pk=item.pk)


@customer_only
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    item = get_request_for_user(user, pk)
    form = ConfirmForm(request.POST)
    with errors_as_messages(request):
        if not form.is_valid():
            raise ValidationError(form.errors)
        service_request_confirm(actor=user, request=item, **form.cleaned_data)
        messages.success(request, _("Thank you, your answer is recorded."))
    return redirect("portal:request", pk=item.pk)


@customer_only
def equipment(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    return render(request, "portal/equipment.html", {"units": selectors.my_equipment(user)[:200]})


@customer_only
def complaint_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    contact = getattr(user, "portal_contact", None)
    form = forms.PortalComplaintForm(
        request.POST or None,
        initial={
            "complainant_name": user.get_full_name() or (contact.name if contact else ""),
            "complainant_phone": (contact.phone if contact else "") or user.phone,
        },
    )
    if request.method == "POST" and form.is_valid():
        made = run_service(form, lambda: services.portal_complaint(actor=user, **form.cleaned_data))
        if made is not None:
            messages.success(
                request,
                _("Your complaint %(n)s is registered; we will contact you.") % {"n": made.number},
            )
            return redirect(made)
    return render(request, "portal/complaint.html", {"form": form})


@login_required
def labels(request: HttpRequest, pk: int) -> HttpResponse:
    """The sheet of QR labels for a customer's units (?unit=<id>: that one only), for
    staff and for the customer's own contacts."""
    user = acting_user(request)
    customer = get_object_or_404(customers_for(user), pk=pk)
    units = Equipment.objects.filter(customer=customer, retired_on__isnull=True).select_related(
        "product_model"
    )
    if request.GET.get("unit"):
        units = units.filter(pk=given_id(request.GET["unit"]))
    chosen = list(units.order_by("serial_number")[:LABELS_AT_MOST])
    if not chosen:
        raise Http404
    return pdf_page(
        request,
        lambda: qr.labels_pdf(chosen, hotline=settings.SERVICE_HOTLINE),
        f"qr-labels-{customer.pk}.pdf",
    )


@customer_only
def survey(request: HttpRequest, pk: int) -> HttpResponse:
    """A survey of theirs, answered signed in (the same questions as the link's)."""
    user = acting_user(request)
    invitation = selectors.my_surveys(user).filter(pk=pk).first()
    if invitation is None:
        theirs = surveys.SurveyInvitation.objects.filter(
            pk=pk, customer_id=user.customer_id_scope or 0
        ).first()
        if theirs is None:
            raise Http404
        messages.info(
            request,
            _("This survey has already been answered. Thank you!")
            if theirs.answered_at
            else _("This survey link has expired."),
        )
        return redirect("portal:home")
    questions = list(invitation.question_set.questions.all())
    errors: dict[str, list[str]] = {}
    values = {f"q{q.pk}": request.POST.get(f"q{q.pk}", "") for q in questions}
    if request.method == "POST":
        try:
            surveys.survey_answer_in_portal(
                actor=user,
                invitation=invitation,
                answers=values,
                comment=request.POST.get("comment", ""),
            )
        except ValidationError as error:
            errors = error.message_dict
        except surveys.LinkProblem as problem:
            messages.error(request, problem.message)
            return redirect("portal:home")
        else:
            messages.success(request, _("Thank you for your answers."))
            return redirect("portal:home")
    return render(
        request,
        "portal/survey.html",
        {
            "invitation": invitation,
            **surveys.form_context(questions, values, errors, request.POST.get("comment", "")),
        },
        status=400 if errors else 200,
    )
