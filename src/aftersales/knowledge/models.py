"""The knowledge base (R-KB-1): faults and their fixes per product model and fault code.

An article is written by an engineer and reviewed before it is published; each
publication is kept as a numbered version, and readers (agents at intake, technicians,
customers for a public one) read the last published version while the next is being
written. Search reads its own table of segmented words (``search``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("Awaiting review")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # The working copy (what the writer edits and the reviewer reads).
    title = models.CharField(_("title"), max_length=200)
    symptom = models.TextField(_("symptom"), max_length=4000)
    cause = models.TextField(_("cause"), max_length=4000, blank=True)
    steps = models.TextField(_("steps to fix"), max_length=8000)
    product_models = models.ManyToManyField(
        "customers.ProductModel", verbose_name=_("product models"), blank=True, related_name="+"
    )
    fault_codes = models.ManyToManyField(
        "customers.FaultCode", verbose_name=_("fault codes"), blank=True, related_name="+"
    )
    parts = models.ManyToManyField(
        "customers.PartItem", verbose_name=_("parts used"), blank=True, related_name="+"
    )
    public = models.BooleanField(
        _("customers may read it"),
        default=False,
        help_text=_("Shown in the customer portal for self-help once published."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.DRAFT, db_index=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Everyone who wrote the text being reviewed (since the last publication): none of
    # them may publish it.
    revision_writers = models.JSONField(_("written by"), default=list, blank=True)
    # Who wrote the working copy last.
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last written by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_request = models.ForeignKey(
        "service.ServiceRequest",
        verbose_name=_("from the request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    review_note = models.CharField(_("reviewer's note"), max_length=500, blank=True)
    # The last published version, which readers and search see (None: never published).
    version = models.PositiveIntegerField(_("version"), default=0)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    helpful_yes = models.PositiveIntegerField(_("helped"), default=0)
    helpful_no = models.PositiveIntegerField(_("did not help"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    attachments = GenericRelation("common.Attachment", object_id_field="object_id")
    history = HistoricalRecords(m2m_fields=[product_models, fault_codes, parts])

    class Meta:
        verbose_name = _("knowledge article")
        verbose_name_plural = _("knowledge articles")
        ordering = ["-published_at", "-pk"]
        permissions = [("publish_article", _("Can review and publish knowledge articles"))]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:article", args=[self.pk])

    def wrote(self, user: Any) -> bool:
        """Whether the user wrote (part of) the text being reviewed."""
        writers = set(self.revision_writers or []) | {self.written_by_id or self.author_id}
        return user.pk in writers

    @property
    def readable(self) -> bool:
        return self.version > 0 and self.status != self.Status.WITHDRAWN


class ArticleVersion(models.Model):
    """One publication of an article: what readers saw from then on."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    symptom = models.TextField(_("symptom"), max_length=4000)
    cause = models.TextField(_("cause"), max_length=4000, blank=True)
    steps = models.TextField(_("steps to fix"), max_length=8000)
    public = models.BooleanField(_("customers may read it"), default=False)
    # Codes as they were published (the article's links may change in the next version).
    product_models = models.CharField(_("product models"), max_length=1000, blank=True)
    fault_codes = models.CharField(_("fault codes"), max_length=1000, blank=True)
    parts = models.CharField(_("parts used"), max_length=1000, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"))

    class Meta:
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="article_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"


class SearchEntry(models.Model):
    """The published version's words, segmented (jieba) and joined by spaces: the text
    SQLite's FTS5 table and PostgreSQL's full-text index are built from (migration
    0002). One row per readable article; none for drafts or withdrawn ones."""

    article = models.OneToOneField(
        Article, primary_key=True, on_delete=models.CASCADE, related_name="search_entry"
    )
    title_words = models.TextField()
    body_words = models.TextField()
    public = models.BooleanField(default=False, db_index=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self) -> str:
        return str(self.article_id)


class Vote(models.Model):
    """A reader's answer to "did this help?": one per person and article (changeable)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    helpful = models.BooleanField(_("it helped"))
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("answer to “did this help?”")
        verbose_name_plural = _("answers to “did this help?”")
        constraints = [models.UniqueConstraint(fields=["article", "user"], name="one_vote_each")]

    def __str__(self) -> str:
        return f"{self.article_id}: {self.helpful}"
