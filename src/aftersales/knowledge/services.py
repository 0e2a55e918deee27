"""Writing, reviewing and publishing knowledge articles (R-KB-1), and readers' answers
to "did this help?".

An engineer (a technician or the technical department) writes a draft, or turns a
closed request's fix into one; a reviewer — the technical department or the service
manager, never the article's author — publishes it or sends it back with a note.
Each publication is a new numbered version; readers and search see the last one
while the next is written. A withdrawn article is read by no one.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.common.audit import save_audited
from aftersales.common.lifecycle import Lifecycle
from aftersales.common.validation import typed_text
from aftersales.customers.models import FaultCode, PartItem, ProductModel
from aftersales.knowledge import search
from aftersales.knowledge.models import Article, ArticleVersion, Vote

Status = Article.Status

ARTICLE_LIFE = Lifecycle(
    "knowledge.article",
    {
        Status.DRAFT: {Status.IN_REVIEW, Status.WITHDRAWN},
        Status.IN_REVIEW: {Status.PUBLISHED, Status.DRAFT, Status.WITHDRAWN},
        # Revising a published article: readers keep its published version meanwhile.
        Status.PUBLISHED: {Status.DRAFT, Status.WITHDRAWN},
        # Withdrawn for good (a wrong fix stays on record); a new article replaces it.
        Status.WITHDRAWN: set(),
    },
)
LIMITS = {"title": 200, "symptom": 4000, "cause": 4000, "steps": 8000}
MAX_LINKS = 50


def may_write(user: User) -> bool:
    return user.is_active and user.has_perm("knowledge.add_article")


def may_publish(user: User) -> bool:
    return user.is_active and user.has_perm("knowledge.publish_article")


def _content(fields: dict[str, Any], errors: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for field, limit in LIMITS.items():
        if field in fields:
            clean[field] = typed_text(
                fields[field], field, limit, errors, required=field in ("title", "symptom", "steps")
            )
    if "public" in fields:
        clean["public"] = bool(fields["public"])
    for field in ("product_models", "fault_codes", "parts"):
        if field in fields:
            links = list(fields[field] or [])
            if len(links) > MAX_LINKS:
                errors[field] = _("At most %(n)s.") % {"n": MAX_LINKS}
            clean[field] = links
    return clean


def _check_links(clean: dict[str, Any], errors: dict[str, Any]) -> None:
    models, codes = clean.get("product_models"), clean.get("fault_codes")
    if codes and models is not None:
        foreign = [c for c in codes if c.product_model_id not in {m.pk for m in models}]
        if foreign:
            errors["fault_codes"] = _("Fault code %(code)s is of another model.") % {
                "code": foreign[0].code
            }
    for field, model in (
        ("product_models", ProductModel),
        ("fault_codes", FaultCode),
        ("parts", PartItem),
    ):
        if any(not isinstance(v, model) for v in clean.get(field) or []):
            errors[field] = _("Choose from the list.")


def _save(article: Article, actor: User, clean: dict[str, Any], reason: str) -> None:
    links = {f: clean.pop(f) for f in ("product_models", "fault_codes", "parts") if f in clean}
    for field, value in clean.items():
        setattr(article, field, value)
    save_audited(article, actor=actor, reason=reason)
    for field, values in links.items():
        getattr(article, field).set(values)


@transaction.atomic
def article_create(*, actor: User, source_request: Any = None, **fields: Any) -> Article:
    """A draft, by an engineer."""
    if not may_write(actor):
        raise PermissionDenied
    errors: dict[str, Any] = {}
    clean = _content(fields, errors)
    _check_links(clean, errors)
    if errors:
        raise ValidationError(errors)
    article = Article(
        author=actor, written_by=actor, revision_writers=[actor.pk], source_request=source_request
    )
    _save(article, actor, clean, "written")
    return article


@transaction.atomic
def article_update(*, actor: User, article: Article, **fields: Any) -> Article:
    """Change the working copy. A published article goes back to draft for its next
    version; readers keep reading the published one until that is published."""
    if not may_write(actor):
        raise PermissionDenied
    article = Article.objects.select_for_update().get(pk=article.pk)
    errors: dict[str, Any] = {}
    clean = _content(fields, errors)
    _check_links(clean, errors)
    if errors:
        raise ValidationError(errors)
    if article.status == Status.WITHDRAWN:
        ARTICLE_LIFE.check(article, Status.DRAFT)  # refused: 409
    article.written_by = actor
    if article.status == Status.PUBLISHED:
        article.revision_writers = []  # a new revision: its own writers
    if actor.pk not in article.revision_writers:
        article.revision_writers = [*article.revision_writers, actor.pk]
    if article.status == Status.PUBLISHED:
        _save(article, actor, clean, "revised")
        ARTICLE_LIFE.move(article, Status.DRAFT, actor=actor, note=_("Revised"))
    elif article.status == Status.IN_REVIEW:
        ARTICLE_LIFE.check(article, Status.DRAFT)
        _save(article, actor, clean, "changed in review")
        ARTICLE_LIFE.move(article, Status.DRAFT, actor=actor, note=_("Changed"))
    else:
        _save(article, actor, clean, "changed")
    return article


@transaction.atomic
def article_submit(*, actor: User, article: Article) -> Article:
    """The writer asks for review."""
    if not may_write(actor):
        raise PermissionDenied
    article = Article.objects.select_for_update().get(pk=article.pk)
    ARTICLE_LIFE.move(article, Status.IN_REVIEW, actor=actor, reason="sent for review")
    return article


def _reviewable(actor: User, article: Article) -> Article:
    if not may_publish(actor):
        raise PermissionDenied
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.wrote(actor):
        raise ValidationError({"article": _("Another reviewer must review your own article.")})
    return article


@transaction.atomic
def article_publish(*, actor: User, article: Article) -> Article:
    """The reviewer publishes the working copy as the next version; search reads it."""
    article = _reviewable(actor, article)
    now = timezone.now()
    article.version += 1
    article.published_at = now
    article.review_note = ""
    article.revision_writers = []
    ARTICLE_LIFE.move(
        article, Status.PUBLISHED, actor=actor, reason=f"published v{article.version}"
    )
    try:
        ArticleVersion.objects.create(
            article=article,
            number=article.version,
            title=article.title,
            symptom=article.symptom,
            cause=article.cause,
            steps=article.steps,
            public=article.public,
            product_models="、".join(m.code for m in article.product_models.all())[:1000],
            fault_codes="、".join(f"{f.code} {f.name}" for f in article.fault_codes.all())[:1000],
            parts="、".join(f"{p.code} {p.name}" for p in article.parts.all())[:1000],
            written_by=article.written_by or article.author,
            published_by=actor,
            published_at=now,
        )
    except IntegrityError as error:  # pragma: no cover - the row lock orders reviewers
        raise ValidationError({"article": _("Published by someone else just now.")}) from error
    search.index(article)
    return article


@transaction.atomic
def article_return(*, actor: User, article: Article, note: str) -> Article:
    """The reviewer sends it back to its writer with what to change."""
    article = _reviewable(actor, article)
    errors: dict[str, Any] = {}
    note = typed_text(note, "note", 500, errors, required=True)
    if errors:
        raise ValidationError(errors)
    article.review_note = note
    ARTICLE_LIFE.move(article, Status.DRAFT, actor=actor, note=note, reason="returned")
    return article


@transaction.atomic
def article_withdraw(*, actor: User, article: Article, reason: str) -> Article:
    """Out of use (a wrong fix, a model no longer served): no one reads it any more."""
    if not may_publish(actor):
        raise PermissionDenied
    article = Article.objects.select_for_update().get(pk=article.pk)
    errors: dict[str, Any] = {}
    reason = typed_text(reason, "reason", 500, errors, required=True)
    if errors:
        raise ValidationError(errors)
    ARTICLE_LIFE.move(article, Status.WITHDRAWN, actor=actor, note=reason, reason="withdrawn")
    search.index(article)
    return article


@transaction.atomic
def article_from_request(*, actor: User, request: Any) -> Article:
    """A closed request's fix as a draft: its fault, cause and what was done, its model
    and fault code; the engineer edits it and sends it for review."""
    from aftersales.service.models import ServiceRequest

    if request.status not in (ServiceRequest.Status.RESOLVED, ServiceRequest.Status.CLOSED):
        raise ValidationError(
            {"request": _("Only a resolved request's fix can become an article.")}
        )
    done = [o.work_done for o in request.work_orders.all() if o.work_done]
    model = request.product_model or getattr(request.equipment, "product_model", None)
    return article_create(
        actor=actor,
        source_request=request,
        title=(request.fault_code.name if request.fault_code else request.description)[:60],
        symptom=request.description,
        cause=request.fault_cause,
        steps="\n".join([request.resolution, *done]).strip() or request.description,
        product_models=[model] if model else [],
        fault_codes=[request.fault_code] if request.fault_code else [],
        # The parts its work orders took from stock (the engineer edits the list).
        parts=list(
            PartItem.objects.filter(
                movements__work_order__service_request=request, movements__kind="issue"
            ).distinct()[:MAX_LINKS]
        ),
    )


@transaction.atomic
def article_vote(*, actor: User, article: Article, helpful: bool) -> Article:
    """A reader's "did this help?": counted once per person, the latest answer kept."""
    vote = Vote.objects.select_for_update().filter(article=article, user=actor).first()
    if vote is not None and vote.helpful == helpful:
        return article
    counts: dict[str, Any] = {}
    if vote is None:
        Vote.objects.create(article=article, user=actor, helpful=helpful, at=timezone.now())
    else:
        counts["helpful_no" if helpful else "helpful_yes"] = (
            F("helpful_no" if helpful else "helpful_yes") - 1
        )
        vote.helpful, vote.at = helpful, timezone.now()
        vote.save(update_fields=["helpful", "at"])
    counts["helpful_yes" if helpful else "helpful_no"] = (
        F("helpful_yes" if helpful else "helpful_no") + 1
    )
    Article.objects.filter(pk=article.pk).update(**counts)
    article.refresh_from_db(fields=["helpful_yes", "helpful_no"])
    return article
