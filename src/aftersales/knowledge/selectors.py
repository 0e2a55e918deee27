"""Who reads which articles, and the search they see.

Staff read every published article; engineers also their drafts and those awaiting
review (to write and to review them). A customer contact reads only published public
articles, and only their published version — never a draft, a reviewer's note or who
wrote it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from aftersales.accounts.models import User
from aftersales.common.exceptions import ConflictError
from aftersales.knowledge import search
from aftersales.knowledge.models import Article, ArticleVersion


def articles_for(user: User | None) -> QuerySet[Article]:
    qs = Article.objects.all()
    if user is None or not user.is_active or not user.has_perm("knowledge.view_article"):
        return qs.none()
    readable = Q(version__gt=0) & ~Q(status=Article.Status.WITHDRAWN)
    if user.is_external:
        return qs.filter(readable, search_entry__public=True)
    if working_on(user):
        return qs
    return qs.filter(readable)


def check_may_edit(user: User, article: Article) -> None:
    """Pictures and text are added by engineers, while the article is not withdrawn."""
    if not user.has_perm("knowledge.add_article"):
        raise PermissionDenied
    if article.status == Article.Status.WITHDRAWN:
        raise ConflictError(str(Article.Status.WITHDRAWN.label))


def working_on(user: User) -> bool:
    """Engineers and reviewers read the text being written; others the published one."""
    return user.has_perm("knowledge.add_article") or user.has_perm("knowledge.publish_article")


def picture_visible(user: User, article: Article, attachment: Any) -> bool:
    """A reader opens only the pictures of the published version (added before it was
    published); a customer only those of a public one."""
    if not user.is_external and working_on(user):
        return True
    if article.published_at is None or attachment.uploaded_at > article.published_at:
        return False
    shown = published(article)
    return shown is not None and (shown.public or not user.is_external)


def with_published_title(qs: QuerySet[Article]) -> QuerySet[Article]:
    """Each article with the title readers know (its published version's)."""
    from django.db.models import OuterRef, Subquery

    latest = ArticleVersion.objects.filter(article=OuterRef("pk")).order_by("-number")
    return qs.annotate(shown_title=Subquery(latest.values("title")[:1]))


def published(article: Article) -> ArticleVersion | None:
    """The version readers read (None for an article never published)."""
    if not article.readable:
        return None
    return article.versions.order_by("-number").first()


def found(
    user: User | None, q: str, *, limit: int = 20, offset: int = 0
) -> tuple[list[Article], int]:
    """The articles the user may read that match ``q``, best first, with their count
    (at most search.MAX_MATCHES), each with its published version as ``shown``."""
    if user is None or not user.is_active or not user.has_perm("knowledge.view_article"):
        return [], 0
    ids, total = search.search(q, public_only=user.is_external, limit=limit, offset=offset)
    if not ids:
        return [], total
    rows = {
        a.pk: a
        for a in articles_for(user)
        .filter(pk__in=ids)
        .prefetch_related("product_models", "fault_codes")
    }
    versions: dict[int, Any] = {}
    for version in ArticleVersion.objects.filter(article_id__in=ids).order_by(
        "article_id", "number"
    ):
        versions[version.article_id] = version  # the last number wins
    articles = []
    for pk in ids:
        if pk in rows:
            rows[pk].shown = versions.get(pk)  # type: ignore[attr-defined]
            articles.append(rows[pk])
    return articles, total
