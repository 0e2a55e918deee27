"""Return visits and satisfaction surveys (R-FB-1, R-FB-2, R-FB-3, R-FB-4, R-FB-5): who is
called back and when, what they said, and what customers answered."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Visit(models.Model):
    """One return visit (回访) to make: after a repair, each quarter, each year, or to
    follow up a low survey score."""

    class Kind(models.TextChoices):
        REPAIR = "repair", _("After a repair")
        DEPOT = "depot", _("After a depot repair")
        QUARTERLY = "quarterly", _("Quarterly visit")
        YEARLY = "yearly", _("Yearly visit (key customer)")
        FOLLOW_UP = "follow_up", _("Follow-up of a low score")

    class Status(models.TextChoices):
        DUE = "due", _("To visit")
        DONE = "done", _("Visited")
        CANCELLED = "cancelled", _("Cancelled")

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="visits"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    # "2026-Q4" for a quarterly visit, "2026" for a yearly one; blank otherwise.
    period = models.CharField(_("period"), max_length=7, blank=True)
    service_request = models.ForeignKey(
        "service.ServiceRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    repair_batch = models.ForeignKey(
        "depot.RepairBatch", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    invitation = models.ForeignKey(
        "feedback.SurveyInvitation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    planned_on = models.DateField(_("planned on"))
    next_try_at = models.DateTimeField(_("next try"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DUE)
    contact_name = models.CharField(_("contact"), max_length=50, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=24, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    done_at = models.DateTimeField(_("visited at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opinions = models.TextField(_("opinions"), max_length=2000, blank=True)
    suggestions = models.TextField(_("suggestions"), max_length=2000, blank=True)
    score = models.PositiveSmallIntegerField(_("satisfaction (1–5)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    obligations = GenericRelation("obligations.Obligation")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("return visit")
        verbose_name_plural = _("return visits")
        ordering = ["planned_on", "pk"]
        constraints = [
            # Never twice for the same period (R-FB-2), nor twice for one repair.
            models.UniqueConstraint(
                fields=["customer", "kind", "period"],
                condition=~Q(period=""),
                name="visit_once_per_period",
            ),
            models.UniqueConstraint(
                fields=["service_request", "kind"],
                condition=Q(service_request__isnull=False),
                name="visit_once_per_request",
            ),
            models.UniqueConstraint(
                fields=["repair_batch"],
                condition=Q(repair_batch__isnull=False),
                name="visit_once_per_batch",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="visit_score_1_to_5",
            ),
        ]
        indexes = [models.Index(fields=["status", "planned_on"], name="visit_worklist")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.customer}"

    def get_absolute_url(self) -> str:
        return reverse("feedback:visit", args=[self.pk])

    @property
    def period_label(self) -> str:
        """The period in words: 2026年第4季度, 2026年."""
        if "-Q" in self.period:
            year, n = self.period.split("-Q")
            return _("%(year)s Q%(n)s") % {"year": year, "n": n}
        return _("%(year)s") % {"year": self.period} if self.period else ""


class VisitAttempt(models.Model):
    """A call made: reached or not (then tried again later)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="tries")
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reached = models.BooleanField(_("reached"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("visit attempt")
        verbose_name_plural = _("visit attempts")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {'✓' if self.reached else '✗'}"


class VisitIssue(models.Model):
    """A problem the visit could not solve, transferred to the responsible department
    within FB.TRANSFER (R-FB-3), and answered."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="issues")
    description = models.TextField(_("problem"), max_length=2000)
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("transferred at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answer = models.TextField(_("answer"), max_length=2000, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    obligations = GenericRelation("obligations.Obligation")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("problem transferred")
        verbose_name_plural = _("problems transferred")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.description[:40]

    def get_absolute_url(self) -> str:
        """The departments' list, where the problem is answered (FB.TRANSFER)."""
        return reverse("feedback:issues")


class QuestionSet(models.Model):
    """A survey's questions, versioned: once published a version never changes, so old
    answers keep their meaning; editing makes the next version."""

    class Kind(models.TextChoices):
        AFTER_SERVICE = "after_service", _("After every service")
        ANNUAL = "annual", _("Annual survey")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("In use")
        RETIRED = "retired", _("Retired")

    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=14, choices=Kind)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    intro = models.TextField(_("introduction"), max_length=1000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("question set")
        verbose_name_plural = _("question sets")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="question_set_version"),
            # One version of a kind in use at a time.
            models.UniqueConstraint(
                fields=["kind"], condition=Q(status="published"), name="one_set_in_use_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("feedback:question_set", args=[self.pk])


class Question(models.Model):
    class Kind(models.TextChoices):
        SCORE = "score", _("Score 1–5")
        CHOICE = "choice", _("Choice")
        TEXT = "text", _("Free text")

    question_set = models.ForeignKey(
        QuestionSet, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=6, choices=Kind)
    text = models.CharField(_("question"), max_length=200)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["question_set", "position"]
        constraints = [
            models.UniqueConstraint(fields=["question_set", "position"], name="question_position")
        ]

    def __str__(self) -> str:
        return self.text


class SurveyCampaign(models.Model):
    """The annual survey of every customer (R-FB-4): one invitation each."""

    class Status(models.TextChoices):
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent to every customer")

    name = models.CharField(_("name"), max_length=100)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.SENDING)
    year = models.PositiveSmallIntegerField(_("year"))
    question_set = models.ForeignKey(QuestionSet, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("survey campaign")
        verbose_name_plural = _("survey campaigns")
        ordering = ["-year", "-pk"]
        constraints = [models.UniqueConstraint(fields=["year"], name="one_campaign_a_year")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("feedback:campaign", args=[self.pk])


class SurveyInvitation(models.Model):
    """A one-time link sent to a customer. Only the token's hash is kept, so the table
    alone cannot be used to answer for someone."""

    question_set = models.ForeignKey(QuestionSet, on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    service_request = models.ForeignKey(
        "service.ServiceRequest", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    campaign = models.ForeignKey(
        SurveyCampaign,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invitations",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    sent_to = models.CharField(_("sent to"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("sent at"), db_index=True)
    expires_at = models.DateTimeField(_("expires at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True, db_index=True)
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    # Copied at sending, for the analysis by technician, product and region.
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    product_model = models.ForeignKey(
        "customers.ProductModel", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    region = models.CharField(_("region"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["service_request"],
                condition=Q(service_request__isnull=False),
                name="one_survey_per_request",
            ),
            models.UniqueConstraint(
                fields=["campaign", "customer"],
                condition=Q(campaign__isnull=False),
                name="one_survey_per_campaign_customer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_set} → {self.customer}"


class Answer(models.Model):
    """One answer to one question. Month, region, technician and product are copied from
    the invitation so a year's statistics read one indexed table."""

    invitation = models.ForeignKey(
        SurveyInvitation, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    choice = models.CharField(max_length=100, blank=True)
    text = models.TextField(max_length=2000, blank=True)
    month = models.DateField()  # first day of the month answered, local time
    # True on the first scored answer of its questionnaire: counting these counts the
    # questionnaires that gave scores without a COUNT(DISTINCT).
    counts_questionnaire = models.BooleanField(default=False)
    region = models.CharField(max_length=50, blank=True)
    technician_id_copy = models.BigIntegerField(null=True, blank=True)
    product_model_id_copy = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["invitation", "question"], name="answer_once"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="answer_score_1_to_5",
            ),
        ]
        # One covering index per breakdown: each GROUP BY of the analysis reads an index
        # (month range, the dimension, the score, whether it counts its questionnaire)
        # instead of the table.
        indexes = [
            models.Index(
                fields=["month", "question", "score", "counts_questionnaire"],
                name="answer_by_question",
            ),
            models.Index(
                fields=["month", "region", "score", "counts_questionnaire"], name="answer_by_region"
            ),
            models.Index(
                fields=["month", "technician_id_copy", "score", "counts_questionnaire"],
                name="answer_by_technician",
            ),
            models.Index(
                fields=["month", "product_model_id_copy", "score", "counts_questionnaire"],
                name="answer_by_product",
            ),
            # The free-text answers (comments), few among the scores.
            models.Index(fields=["month"], condition=~Q(text=""), name="answer_texts"),
            # The yes/no and choice answers, tallied per question.
            models.Index(
                fields=["month", "question", "choice"],
                condition=~Q(choice=""),
                name="answer_choices",
            ),
        ]

    def __str__(self) -> str:
        return str(self.score or self.choice or self.text[:40])
