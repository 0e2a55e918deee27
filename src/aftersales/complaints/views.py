"""Pages for complaints: the list, registration, and one complaint with its steps."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.accounts.models import User
from aftersales.calendars.periods import month_or_last
from aftersales.common import attachments
from aftersales.common.forms import errors_as_messages, run_service
from aftersales.common.messaging import messages_about
from aftersales.common.requests import acting_user, given_id, given_ids
from aftersales.common.validation import within_years
from aftersales.common.views import pdf_page, status_list_page
from aftersales.complaints import (
    actions,
    decisions,
    exports,
    forms,
    review,
    selectors,
    services,
    telling,
)
from aftersales.complaints.models import (
    AcceptanceWindow,
    Category,
    Complaint,
    CorrectiveAction,
    Decision,
    External,
)
from aftersales.customers.selectors import customers_for


@login_required
@permission_required("complaints.view_complaint", raise_exception=True)
def complaint_list(request: HttpRequest) -> HttpResponse:
    items = selectors.complaints_for(acting_user(request)).prefetch_related("obligations")
    return status_list_page(request, items, Complaint.Status, "complaints/list.html")


@login_required
@permission_required("complaints.add_complaint", raise_exception=True)
def complaint_register(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    # A return visit's "complaint" button opens this form with the customer and problem.
    initial = {k: request.GET[k] for k in ("customer", "description") if k in request.GET}
    form = forms.RegisterForm(
        request.POST or None, request.FILES or None, customers=customers_for(user), initial=initial
    )
    if request.method == "POST" and form.is_valid():

        @transaction.atomic
        def register() -> Complaint:
            values = dict(form.cleaned_data)
            photos = values.pop("photos")
            complaint = services.complaint_register(actor=user, **values)
            for photo in photos:
                attachments.attach(actor=user, about=complaint, upload=photo)
            return complaint

        created = run_service(form, register)
        if created is not None:
            messages.success(request, _("%(n)s registered.") % {"n": created.number})
            return redirect(created)
    return render(
        request,
        "form_page.html",
        {"form": form, "title": _("Register a complaint"), "cancel": "/complaints/"},
    )


def _date(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text)
        within_years(day)
    except ValueError:
        raise ValidationError({"due_on": _("Give the date as YYYY-MM-DD.")}) from None
    except ValidationError as error:
        raise ValidationError({"due_on": error.messages}) from None
    return day


# What each step's flash says once it is done.
DONE = {
    "contact": gettext_lazy("Contact with the complainant recorded."),
    "transfer": gettext_lazy("Complaint handed over."),
    "opinion": gettext_lazy("Handling opinion recorded."),
    "investigate": gettext_lazy("Investigation started."),
    "record": gettext_lazy("Added to the complaint's record."),
    "major": gettext_lazy("Marked as a major complaint; the group is told."),
    "group_opinion": gettext_lazy("The group's opinion is recorded."),
    "reply": gettext_lazy("The reply to the customer is recorded."),
    "reaction": gettext_lazy("The customer's reaction is recorded."),
    "remedied": gettext_lazy("The remedy is recorded."),
    "follow_up": gettext_lazy("The follow-up is recorded."),
    "decide": gettext_lazy("Decision recorded."),
    "approve": gettext_lazy("Decision approved."),
    "close": gettext_lazy("Complaint closed."),
    "action": gettext_lazy("Corrective action added."),
    "action_done": gettext_lazy("The action is reported done."),
    "action_verify": gettext_lazy("The verification is recorded."),
    "external": gettext_lazy("External complaint recorded; its due date is tracked."),
    "warning": gettext_lazy("Regional warning issued."),
    "attach": gettext_lazy("File attached."),
    "decline": gettext_lazy("Complaint declined."),
}
TEXT_STEPS = {
    "group_opinion": decisions.complaint_group_opinion,
    "reply": decisions.complaint_reply,
    "reaction": decisions.complaint_reaction,
    "remedied": decisions.complaint_remedied,
    "follow_up": decisions.complaint_follow_up,
}


@login_required
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    complaint = selectors.get_complaint_for_user(user, pk)
    if request.method == "POST":
        step, post = request.POST.get("step"), request.POST
        # The owner of a corrective action reports it done, whatever their role.
        owns_action = step == "action_done" and complaint.actions.filter(owner=user).exists()
        if not (user.has_perm("complaints.change_complaint") or owns_action):
            raise PermissionDenied
        with errors_as_messages(request):
            if step == "contact":
                services.complaint_contact(
                    actor=user, complaint=complaint, note=post.get("note", "")
                )
            elif step == "transfer":
                responsible = User.objects.filter(pk=given_id(post.get("responsible"))).first()
                if responsible is None:
                    raise Http404
                services.complaint_transfer(
                    actor=user,
                    complaint=complaint,
                    responsible=responsible,
                    note=post.get("note", ""),
                )
            elif step == "opinion":
                services.complaint_opinion(
                    actor=user, complaint=complaint, text=post.get("text", "")
                )
            elif step == "investigate":
                services.complaint_investigate(
                    actor=user, complaint=complaint, note=post.get("note", "")
                )
            elif step == "record":
                services.complaint_record(
                    actor=user,
                    complaint=complaint,
                    kind=post.get("kind", ""),
                    text=post.get("text", ""),
                )
            elif step == "major":
                group = User.objects.filter(pk__in=given_ids(post.getlist("group")), is_active=True)
                decisions.complaint_mark_major(
                    actor=user,
                    complaint=complaint,
                    group=group,
                    especially=post.get("especially") == "1",
                )
            elif step in TEXT_STEPS:
                TEXT_STEPS[step](actor=user, complaint=complaint, text=post.get("text", ""))
            elif step == "decide":
                decisions.complaint_decide(
                    actor=user,
                    complaint=complaint,
                    decision=post.get("decision", ""),
                    text=post.get("text", ""),
                    responsibility=post.get("responsibility", ""),
                    penalty=post.get("penalty", ""),
                )
            elif step == "approve":
                decisions.complaint_approve(actor=user, complaint=complaint)
            elif step == "close":
                decisions.complaint_close(actor=user, complaint=complaint)
            elif step == "action":
                owner = User.objects.filter(pk=given_id(post.get("owner"))).first()
                if owner is None:
                    raise Http404
                actions.action_create(
                    actor=user,
                    complaint=complaint,
                    kind=post.get("kind", ""),
                    description=post.get("description", ""),
                    owner=owner,
                    due_on=_date(post.get("due_on", "")),
                )
            elif step in ("action_done", "action_verify"):
                item = complaint.actions.filter(pk=given_id(post.get("action"))).first()
                if item is None:
                    raise Http404
                if step == "action_done":
                    actions.action_done(actor=user, action=item, note=post.get("note", ""))
                else:
                    actions.action_verify(
                        actor=user,
                        action=item,
                        effective=post.get("effective") == "1",
                        note=post.get("note", ""),
                    )
            elif step == "external":
                actions.complaint_external(
                    actor=user,
                    complaint=complaint,
                    body=post.get("body", ""),
                    reference=post.get("reference", ""),
                    due_on=_date(post.get("due_on", "")),
                )
            elif step == "warning":
                actions.warning_issue(
                    actor=user,
                    complaint=complaint,
                    title=post.get("title", ""),
                    text=post.get("text", ""),
                )
            elif step == "attach":
                upload = request.FILES.get("file")
                if upload is None:
                    raise ValidationError({"file": _("Choose a file to attach.")})
                attachments.attach(
                    actor=user, about=complaint, upload=upload, caption=post.get("caption", "")
                )
            elif step == "decline":
                services.complaint_decline(
                    actor=user, complaint=complaint, reason=post.get("reason", "")
                )
            else:
                raise Http404
            messages.success(request, DONE[step])
        return redirect(complaint)
    if user.is_external:
        return render(
            request,
            "complaints/customer_detail.html",
            {
                "complaint": complaint,
                "told": telling.told(complaint),
                "files": attachments.attachments_of(complaint, user),
            },
        )
    # Who may be given a complaint or an action: active staff with a role (not the
    # administrator's account, not a customer's contact, not the person it names).
    staff = (
        User.objects.filter(
            is_active=True, portal_contact__isnull=True, is_superuser=False, groups__isnull=False
        )
        .distinct()
        .exclude(pk=complaint.target_person_id or 0)
    )
    return render(
        request,
        "complaints/detail.html",
        {
            "complaint": complaint,
            "steps": complaint.steps.select_related("actor"),
            "sent": messages_about(complaint),
            "files": attachments.attachments_of(complaint),
            "staff": staff.order_by("username"),
            "record": forms.RecordForm(),
            "open": complaint.status in services.OPEN,
            "named": complaint.target_person_id == user.pk,
            "decided": complaint.status == Complaint.Status.DECIDED,
            "decisions": Decision.choices,
            "may_approve": decisions.may_approve(user, complaint),
            "approvers": decisions.approver_names(complaint),
            "actions": complaint.actions.select_related("owner", "verified_by"),
            "action_kinds": CorrectiveAction.Kind.choices,
            "externals": External.choices,
            "text_steps": [
                ("reply", _("Reply to the complainant")),
                ("reaction", _("Complainant's reaction")),
                ("remedied", _("Remedy done")),
                ("follow_up", _("Follow-up with the customer")),
            ],
        },
    )


@login_required
@permission_required("complaints.view_monthlyreview", raise_exception=True)
def monthly_review(request: HttpRequest) -> HttpResponse:
    """每月投诉评审: last month unless another is asked for; Excel; the manager signs off."""
    month = month_or_last(request.GET.get("month") or request.POST.get("month") or "")
    if request.method == "POST":
        with errors_as_messages(request):
            review.review_sign(
                actor=acting_user(request), month=month, note=request.POST.get("note", "")
            )
            messages.success(request, _("The review is signed off."))
        return redirect(f"{request.path}?month={month:%Y-%m}")
    figures = review.monthly_review(month)
    if request.GET.get("format") == "xlsx":
        return exports.review_xlsx(figures)
    if request.GET.get("format") == "pdf":
        return pdf_page(
            request, lambda: exports.review_pdf(figures), f"complaints-{month:%Y-%m}.pdf"
        )
    return render(request, "complaints/review.html", {"review": figures})


@login_required
@permission_required("complaints.view_acceptancewindow", raise_exception=True)
def acceptance_windows(request: HttpRequest) -> HttpResponse:
    """受理时限 per category (R-CP-8): the service manager sets them; everyone staff sees."""
    user = acting_user(request)
    if request.method == "POST":
        if not user.has_perm("complaints.change_acceptancewindow"):
            raise PermissionDenied
        text = request.POST.get("days", "").strip()
        with errors_as_messages(request):
            if text and not text.isdigit():
                raise ValidationError({"days": _("Give a whole number of days.")})
            services.window_set(
                actor=user,
                category=request.POST.get("category", ""),
                days=int(text) if text else None,
                counted_from=request.POST.get("counted_from", ""),
            )
            messages.success(request, _("Saved."))
        return redirect("complaints:windows")
    windows = {w.category: w for w in AcceptanceWindow.objects.all()}
    rows = [(value, label, windows.get(value)) for value, label in Category.choices]
    return render(request, "complaints/windows.html", {"rows": rows})
