"""The knowledge base's pages: search (for everyone on staff), an article with its
review steps, the writer's form, the suggestions beside the intake form, and a draft
from a resolved request."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.common.forms import errors_as_messages, run_service
from aftersales.common.requests import acting_user
from aftersales.knowledge import forms, selectors, services
from aftersales.knowledge.models import Article
from aftersales.knowledge.segment import highlight, query_words

PAGE = 20
may_read = permission_required("knowledge.view_article", raise_exception=True)


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, min(50, int(request.GET.get("page") or 1)))
    except ValueError:
        return 1


def results(user: Any, q: str, *, page: int = 1, size: int = PAGE) -> dict[str, Any]:
    """What a search shows: the articles with their title and a passage highlighted."""
    articles, total = selectors.found(user, q, limit=size, offset=(page - 1) * size)
    terms = query_words(q)
    for article in articles:
        shown = article.shown  # type: ignore[attr-defined]
        article.title_marked = highlight(  # type: ignore[attr-defined]
            shown.title if shown else article.title, terms
        )
        codes = (
            " · ".join(filter(None, [shown.product_models, shown.fault_codes, shown.parts]))
            if shown
            else ""
        )
        article.codes_marked = highlight(codes, terms)  # type: ignore[attr-defined]
        article.passage = highlight(  # type: ignore[attr-defined]
            " ".join(filter(None, [shown.symptom, shown.cause, shown.steps])) if shown else "",
            terms,
            limit=120,
        )
    return {
        "q": q,
        "articles": articles,
        "total": total,
        "more": total >= 1000,
        "page": page,
        "next_page": page + 1 if page * size < total and page < 50 else None,
    }


@login_required
@may_read
def article_list(request: HttpRequest) -> HttpResponse:
    """Search; and for engineers their drafts, for reviewers what awaits them."""
    user = acting_user(request)
    if user.is_external:
        return redirect("portal:help")
    q = (request.GET.get("q") or "").strip()[:200]
    context: dict[str, Any] = results(user, q, page=_page_number(request)) if q else {"q": ""}
    visible = selectors.articles_for(user).select_related("author")
    if services.may_write(user):
        context["mine"] = visible.filter(author=user).exclude(status=Article.Status.PUBLISHED)[:50]
    if services.may_publish(user):
        waiting = visible.filter(status=Article.Status.IN_REVIEW).select_related("written_by")
        context["to_review"] = [a for a in waiting[:100] if not a.wrote(user)][:50]
    if not q:
        context["recent"] = selectors.with_published_title(
            visible.filter(version__gt=0).exclude(status=Article.Status.WITHDRAWN)
        )[:20]
    return render(request, "knowledge/list.html", context)


@login_required
@may_read
def suggest(request: HttpRequest) -> HttpResponse:
    """The articles matching the fault the agent is typing (the intake form asks as the
    description changes); those for the caller's model — from the serial number, or the
    model chosen — come first."""
    from aftersales.customers.models import Equipment

    user = acting_user(request)
    q = (request.GET.get("description") or request.GET.get("q") or "").strip()[:200]
    context = results(user, q, size=20) if q else {"articles": [], "q": ""}
    serial = (request.GET.get("serial_number") or "").strip()[:100]
    model_id = request.GET.get("product_model") or ""
    unit = Equipment.objects.filter(serial_number=serial).first() if serial else None
    model = unit.product_model_id if unit else (int(model_id) if model_id.isdigit() else None)
    if model is not None and context["articles"]:
        context["articles"].sort(key=lambda a: model not in {m.pk for m in a.product_models.all()})
    context["articles"] = context["articles"][:5]
    return render(request, "knowledge/suggest.html", context)


def _article(request: HttpRequest, pk: int) -> Article:
    user = acting_user(request)
    return get_object_or_404(
        selectors.articles_for(user).select_related("author", "source_request"), pk=pk
    )


@login_required
@may_read
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    if user.is_external:
        return redirect("portal:help_article", pk=pk)
    article = _article(request, pk)
    writer, reviewer = services.may_write(user), services.may_publish(user)
    return render(
        request,
        "knowledge/article.html",
        {
            "article": article,
            "shown": selectors.published(article),
            "versions": article.versions.select_related("published_by")[:20],
            "may_write": writer and article.status != Article.Status.WITHDRAWN,
            "may_review": reviewer
            and article.status == Article.Status.IN_REVIEW
            and not article.wrote(user),
            "revisers": _revisers(article),
            "may_withdraw": reviewer
            and article.status != Article.Status.WITHDRAWN
            and article.version > 0,
            "note_form": forms.NoteForm(),
            "withdraw_form": forms.WithdrawForm(),
            "attachments": pictures(article, working=writer or reviewer),
            "working": writer or reviewer,
        },
    )


def _revisers(article: Article) -> str:
    """Who wrote the text being reviewed, besides its first author."""
    from aftersales.accounts.models import User

    others = [pk for pk in article.revision_writers or [] if pk != article.author_id]
    return "、".join(str(u) for u in User.objects.filter(pk__in=others))


def pictures(article: Article, *, working: bool) -> Any:
    """The article's pictures: a reader sees those of the published version (added
    before it was published), a writer or reviewer also those of the next."""
    shown = article.attachments.filter(withdrawn_at__isnull=True)
    if working:
        return shown
    if article.published_at is None:
        return shown.none()
    return shown.filter(uploaded_at__lte=article.published_at)


def _edit(request: HttpRequest, article: Article | None) -> HttpResponse:
    user = acting_user(request)
    if not services.may_write(user):
        raise PermissionDenied
    initial = forms.ArticleForm.initial_of(article) if article else None
    form = forms.ArticleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            form,
            lambda: (
                services.article_update(actor=user, article=article, **data)
                if article
                else services.article_create(actor=user, **data)
            ),
        )
        if saved is not None:
            if "submit" in request.POST:
                run_service(form, lambda: services.article_submit(actor=user, article=saved))
            return redirect(saved)
    return render(
        request,
        "knowledge/form.html",
        {"form": form, "article": article},
        status=400 if form.errors else 200,
    )


@login_required
@may_read
def article_new(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@login_required
@may_read
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, _article(request, pk))


@login_required
@may_read
@require_POST
def article_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Send for review, publish, send back with a note, or withdraw with a reason."""
    user = acting_user(request)
    article = _article(request, pk)
    actions = {
        "submit": lambda: services.article_submit(actor=user, article=article),
        "publish": lambda: services.article_publish(actor=user, article=article),
        "return": lambda: services.article_return(
            actor=user, article=article, note=request.POST.get("note", "")
        ),
        "withdraw": lambda: services.article_withdraw(
            actor=user, article=article, reason=request.POST.get("reason", "")
        ),
        "picture": lambda: _picture(request, article),
    }
    if step not in actions:
        raise PermissionDenied
    with errors_as_messages(request):  # a refused step says why on the article's page
        actions[step]()
        messages.success(request, _("Saved."))
    return redirect(article)


def _picture(request: HttpRequest, article: Article) -> Any:
    from aftersales.common import attachments
    from aftersales.common.exceptions import ValidationError

    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationError({"file": _("Choose a photo.")})
    return attachments.attach(
        actor=acting_user(request),
        about=article,
        upload=upload,
        caption=request.POST.get("caption", "")[:200],
    )


@login_required
@permission_required("knowledge.add_article", raise_exception=True)
@require_POST
def article_from_request(request: HttpRequest, pk: int) -> HttpResponse:
    """A resolved request's fix as a draft article, opened for editing."""
    from aftersales.service.selectors import requests_for

    user = acting_user(request)
    service_request = get_object_or_404(
        requests_for(user).select_related("fault_code", "product_model", "equipment"), pk=pk
    )
    article = None
    with errors_as_messages(request):
        article = services.article_from_request(actor=user, request=service_request)
    if article is None:
        return redirect(service_request)
    messages.success(request, _("A draft article was written from this request: check it."))
    return redirect("knowledge:edit", pk=article.pk)


@login_required
@may_read
@require_POST
def article_vote(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    article = _article(request, pk)
    if not article.readable:
        raise PermissionDenied
    services.article_vote(actor=user, article=article, helpful=request.POST.get("helpful") == "yes")
    messages.success(request, _("Thank you for your answer."))
    return redirect("portal:help_article" if user.is_external else "knowledge:article", pk=pk)
