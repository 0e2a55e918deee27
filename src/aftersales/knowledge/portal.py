"""Self-help in the customer portal: the published public articles, searched in
Chinese, each with "did this help?". The reader sees the published version only —
no writer, reviewer or internal note."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from aftersales.common.requests import acting_user
from aftersales.knowledge import selectors
from aftersales.knowledge.models import Vote
from aftersales.knowledge.views import _page_number, pictures, results
from aftersales.portal.views import customer_only


@customer_only
def help_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    q = (request.GET.get("q") or "").strip()[:200]
    context = results(user, q, page=_page_number(request)) if q else {"q": ""}
    context["portal"] = True  # fault codes are for staff
    if not q:
        context["recent"] = selectors.with_published_title(
            selectors.articles_for(user).order_by("-helpful_yes", "-pk")
        )[:20]
    return render(request, "knowledge/help_list.html", context)


@customer_only
def help_article(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    article = get_object_or_404(selectors.articles_for(user), pk=pk)
    shown = selectors.published(article)
    if shown is None or not shown.public:
        raise Http404
    vote = Vote.objects.filter(article=article, user=user).first()
    return render(
        request,
        "knowledge/help_article.html",
        {
            "article": article,
            "shown": shown,
            "vote": vote,
            "pictures": pictures(article, working=False),
        },
    )
