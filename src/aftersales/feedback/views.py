"""Pages: the agents' visit work list and one visit; surveys for managers; and the
customer's survey page, which needs no account."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from aftersales.accounts.models import Department
from aftersales.calendars.periods import month_or_last, parse_year
from aftersales.common.exceptions import ConflictError, ValidationError
from aftersales.common.forms import errors_as_messages, run_service
from aftersales.common.middleware import field_errors_shown, refused_fields
from aftersales.common.requests import acting_user, given_id
from aftersales.common.views import pdf_page
from aftersales.feedback import exports, forms, selectors, statistics, surveys, visits
from aftersales.feedback.models import QuestionSet, Visit

SCRIPTS = {
    Visit.Kind.REPAIR: gettext_lazy(
        "Hello, this is the service centre of %(company)s. We repaired your equipment "
        "(%(number)s) recently: is it working normally now? Was the technician on time and "
        "courteous? How satisfied are you, from 1 to 5? Any opinions or suggestions?"
    ),
    Visit.Kind.DEPOT: gettext_lazy(
        "Hello, this is the service centre of %(company)s. You received your repaired units "
        "back recently: do they all work? Was anything missing or damaged? How satisfied are "
        "you, from 1 to 5?"
    ),
    Visit.Kind.QUARTERLY: gettext_lazy(
        "Hello, this is the service centre of %(company)s with our quarterly call: how is "
        "your equipment running? Any faults, worries or needs (training, upgrades, "
        "maintenance)? How satisfied are you with our service, from 1 to 5?"
    ),
    Visit.Kind.YEARLY: gettext_lazy(
        "Hello, this is the service centre of %(company)s with our yearly visit to our key "
        "customers: how has our service been this year? What should we do better? How "
        "satisfied are you, from 1 to 5?"
    ),
    Visit.Kind.FOLLOW_UP: gettext_lazy(
        "Hello, this is the service centre of %(company)s. You told us in our survey that you "
        "were not satisfied: we are sorry. What went wrong, and what can we do about it?"
    ),
}


@login_required
@permission_required("feedback.view_visit", raise_exception=True)
def visit_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    show = request.GET.get("show", "today")
    kind = request.GET.get("kind", "")
    items = selectors.work_list(user, show=show, kind=kind)
    page_obj = Paginator(items, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "feedback/visits.html",
        {
            "page_obj": page_obj,
            "show": show,
            "kind": kind,
            "kinds": Visit.Kind.choices,
            "today": timezone.localdate(),
            "issues": selectors.open_issues(user)[:20],
            "query": urlencode({"show": show, "kind": kind}),
        },
    )


@login_required
def issue_list(request: HttpRequest) -> HttpResponse:
    """The department's own list of problems transferred from return visits (R-FB-3):
    only its members and head see them here and answer them (FB.TRANSFER)."""
    user = acting_user(request)
    if user.is_external:
        raise PermissionDenied
    if request.method == "POST":
        issue = (
            selectors.department_issues(user).filter(pk=given_id(request.POST.get("issue"))).first()
        )
        if issue is None:
            raise Http404
        with errors_as_messages(request):
            visits.issue_answer(actor=user, issue=issue, answer=request.POST.get("answer", ""))
            messages.success(request, _("Answered."))
        return redirect("feedback:issues")
    show = "answered" if request.GET.get("show") == "answered" else "open"
    page_obj = Paginator(selectors.department_issues(user, show=show), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "feedback/issues.html",
        {"page_obj": page_obj, "show": show, "query": urlencode({"show": show})},
    )


@login_required
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    visit = selectors.get_visit_for_user(user, pk)
    if request.method == "POST":
        step = request.POST.get("step")
        with errors_as_messages(request):
            if step in ("record", "cancel", "transfer") and not user.has_perm(
                "feedback.change_visit"
            ):
                raise PermissionDenied
            if step == "record":
                form = forms.RecordForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(
                        [str(e) for errors in form.errors.values() for e in errors]
                    )
                visits.visit_record(actor=user, visit=visit, **form.cleaned_data)
                messages.success(request, _("Return visit recorded."))
            elif step == "cancel":
                visits.visit_cancel(actor=user, visit=visit, reason=request.POST.get("reason", ""))
                messages.success(request, _("Visit cancelled."))
            elif step == "transfer":
                department = Department.objects.filter(
                    pk=given_id(request.POST.get("department"))
                ).first()
                if department is None:
                    raise ValidationError({"department": _("Choose the department.")})
                visits.visit_transfer(
                    actor=user,
                    visit=visit,
                    department=department,
                    description=request.POST.get("description", ""),
                )
                messages.success(request, _("Handed to the department."))
            elif step == "answer":
                issue = visit.issues.filter(pk=given_id(request.POST.get("issue"))).first()
                if issue is None:
                    raise Http404
                visits.issue_answer(actor=user, issue=issue, answer=request.POST.get("answer", ""))
                messages.success(request, _("Answer recorded."))
            else:
                raise Http404
        return redirect(visit)
    problem = visit.opinions or (visit.service_request.description if visit.service_request else "")
    return render(
        request,
        "feedback/visit.html",
        {
            "visit": visit,
            "script": SCRIPTS[Visit.Kind(visit.kind)]
            % {
                "company": _company(),
                "number": visit.service_request.number if visit.service_request else "",
            },
            "form": forms.RecordForm(),
            "tries": visit.tries.select_related("actor"),
            "issues": visit.issues.select_related("department", "created_by", "answered_by"),
            "answerable": set(selectors.department_issues(user).values_list("pk", flat=True)),
            "departments": Department.objects.order_by("name"),
            "new_request": "?"
            + urlencode({"customer": visit.customer_id, "description": problem[:500]}),
            "new_complaint": "?"
            + urlencode({"customer": visit.customer_id, "description": problem[:500]}),
            "open": visit.status == Visit.Status.DUE,
        },
    )


def _company() -> str:
    from django.conf import settings

    return str(settings.COMPANY_NAME)


# --- surveys for managers -----------------------------------------------------------


@login_required
@permission_required("feedback.view_questionset", raise_exception=True)
def survey_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    campaigns = list(selectors.campaigns_for(user)[:10])
    for campaign in campaigns:
        campaign.progress = surveys.campaign_progress(campaign)  # type: ignore[attr-defined]
    annual = surveys.in_use(QuestionSet.Kind.ANNUAL)
    if request.method == "POST":
        if not user.has_perm("feedback.add_surveycampaign"):
            raise PermissionDenied
        with errors_as_messages(request):
            if annual is None:
                raise ConflictError(_("Put an annual survey in use first."))
            year = timezone.localdate().year
            surveys.campaign_create(
                actor=user, year=year, name=request.POST.get("name", ""), question_set=annual
            )
            messages.success(
                request, _("The survey is being sent to every customer; its progress shows below.")
            )
        return redirect("feedback:surveys")
    return render(
        request,
        "feedback/surveys.html",
        {
            "sets": selectors.question_sets_for(user),
            "campaigns": campaigns,
            "annual": annual,
        },
    )


@login_required
@permission_required("feedback.add_questionset", raise_exception=True)
def question_set_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    initial: dict[str, Any] = {}
    base = QuestionSet.objects.filter(pk=given_id(request.GET.get("from"))).first()
    if base is not None:
        initial = {
            "name": base.name,
            "code": base.code,
            "kind": base.kind,
            "intro": base.intro,
            "questions": forms.questions_as_text(base),
        }
    form = forms.QuestionSetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        questions = forms.parse_questions(values.pop("questions"))
        made = run_service(
            form,
            lambda: surveys.question_set_create(actor=user, questions=questions, **values),
        )
        if made is not None:
            messages.success(request, _("Saved as a draft: check it, then put it in use."))
            return redirect(made)
    return render(
        request,
        "form_page.html",
        {"form": form, "title": _("New survey version"), "cancel": "/surveys/"},
    )


@login_required
@permission_required("feedback.view_questionset", raise_exception=True)
def question_set_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    question_set = get_object_or_404(selectors.question_sets_for(user), pk=pk)
    if request.method == "POST":
        if not user.has_perm("feedback.change_questionset"):
            raise PermissionDenied
        with errors_as_messages(request):
            surveys.question_set_publish(actor=user, question_set=question_set)
            messages.success(request, _("In use from now on."))
        return redirect(question_set)
    return render(
        request,
        "feedback/question_set.html",
        {"question_set": question_set, "questions": question_set.questions.all()},
    )


@login_required
@permission_required("feedback.view_surveycampaign", raise_exception=True)
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(selectors.campaigns_for(acting_user(request)), pk=pk)
    invitations = campaign.invitations.select_related("customer").order_by("customer__name")
    return render(
        request,
        "feedback/campaign.html",
        {
            "campaign": campaign,
            "progress": surveys.campaign_progress(campaign),
            "page_obj": Paginator(invitations, 50).get_page(request.GET.get("page")),
        },
    )


# --- the customer's page --------------------------------------------------------------


def _closed(request: HttpRequest, problem: surveys.LinkProblem) -> HttpResponse:
    return render(
        request,
        "feedback/survey_closed.html",
        {"reason": problem.reason, "message": problem.message},
        status=problem.http_status,
    )


@never_cache
@csrf_protect
def survey_public(request: HttpRequest, token: str) -> HttpResponse:
    """The customer's survey: no account, one use, shows nothing but its questions."""
    try:
        invitation = surveys.invitation_for(token)
    except surveys.LinkProblem as problem:
        return _closed(request, problem)
    questions = list(invitation.question_set.questions.all())
    errors: dict[str, list[str]] = {}
    values: dict[str, str] = {}
    if request.method == "POST":
        values = {f"q{q.pk}": request.POST.get(f"q{q.pk}", "") for q in questions}
        refused = refused_fields(request) & {*values, "comment"}
        if refused:  # a NUL in an answer: that answer's error, the others kept
            field_errors_shown(request, refused)
            errors = {name: [_("Remove the control characters from the text.")] for name in refused}
        else:
            try:
                surveys.survey_answer(
                    token=token, answers=values, comment=request.POST.get("comment", "")
                )
            except ValidationError as error:
                errors = error.message_dict
            except surveys.LinkProblem as problem:
                return _closed(request, problem)
        if not errors:
            return render(request, "feedback/survey_thanks.html", {"company": _company()})
    return render(
        request,
        "feedback/survey_public.html",
        {
            "question_set": invitation.question_set,
            "number": invitation.service_request.number if invitation.service_request else "",
            "company": _company(),
            **surveys.form_context(questions, values, errors, request.POST.get("comment", "")),
        },
        status=400 if errors else 200,
    )


def _period(request: HttpRequest) -> tuple[dt.date, dt.date, str]:
    """``?month=YYYY-MM`` (the monthly report; last month by default) or ``?year=YYYY``."""
    year = parse_year(request.GET.get("year", ""))
    if year is not None:
        return dt.date(year, 1, 1), dt.date(year, 12, 1), "year"
    month = month_or_last(request.GET.get("month", ""))
    return month, month, "month"


def _empty(figures: Any) -> bool:
    return not figures.invited and not figures.overall.questionnaires


@login_required
@permission_required("feedback.view_answer", raise_exception=True)
def satisfaction(request: HttpRequest) -> HttpResponse:
    """The satisfaction analysis (R-FB-5): a month (《顾客满意度调查表》) or a year with its
    trend; Excel and PDF."""
    first, last, span = _period(request)
    figures = statistics.report(first, last)
    if not request.GET.get("month") and not request.GET.get("year") and _empty(figures):
        # Last month (the report's default) had no survey: open on this month so far.
        this = timezone.localdate().replace(day=1)
        current = statistics.report(this, this)
        if not _empty(current):
            first, last, figures = this, this, current
    wanted = request.GET.get("format")
    if wanted == "xlsx":
        return exports.report_as_xlsx(figures)
    if wanted == "pdf":
        return pdf_page(
            request, lambda: exports.report_as_pdf(figures), exports.file_name(figures, "pdf")
        )
    chart = {
        "months": [r.label for r in figures.by_month],
        "rates": [r.rate for r in figures.by_month],
        "questions": [r.label for r in figures.by_question],
        "question_rates": [r.rate for r in figures.by_question],
        "technicians": [r.label for r in figures.by_technician],
        "technician_rates": [r.rate for r in figures.by_technician],
    }
    return render(
        request,
        "feedback/satisfaction.html",
        {
            "report": figures,
            "title": exports.title(figures),
            "span": span,
            "chart": chart,
            "today": timezone.localdate(),
            "query": urlencode(
                {"year": str(first.year)} if span == "year" else {"month": f"{first:%Y-%m}"}
            ),
            "breakdowns": [
                ("by-question", _("By question"), figures.by_question),
                ("by-product", _("By product"), figures.by_product),
                ("by-technician", _("By technician"), figures.by_technician),
                ("by-region", _("By region"), figures.by_region),
            ],
        },
    )
