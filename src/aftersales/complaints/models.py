"""Complaints (客户投诉, R-CP-1, R-CP-2, R-CP-3, R-CP-4, R-CP-5, R-CP-6, R-CP-7, R-CP-8, R-CP-9,
R-CP-10): the record, its handling steps, its time limits."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class Category(models.TextChoices):
    """R-CP-2 (002 §6)."""

    PRODUCT_QUALITY = "product_quality", _("Product quality")
    INSTALLATION_QUALITY = "installation_quality", _("Installation or construction quality")
    MISUSE = "misuse", _("Misuse by the customer")
    STAFF_ATTITUDE = "staff_attitude", _("Staff attitude")
    OTHER = "other", _("Other")


# R-CP-2 (000 §13.1): quality, non-quality (human), other.
NATURE: dict[str, Any] = {
    Category.PRODUCT_QUALITY: _("Quality issue"),
    Category.INSTALLATION_QUALITY: _("Quality issue"),
    Category.STAFF_ATTITUDE: _("Non-quality (human)"),
    Category.MISUSE: _("Other"),
    Category.OTHER: _("Other"),
}


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    WEB = "web", _("Web portal")
    EMAIL = "email", _("E-mail")
    FAX = "fax", _("Fax")
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("Visit")
    ONSITE = "onsite", _("On site")


class TargetKind(models.TextChoices):
    PRODUCT = "product", _("A product")
    PERSON = "person", _("A person")
    DEPARTMENT = "department", _("A department")


class AcceptanceWindow(models.Model):
    """R-CP-8: complaints of a category are accepted within so many days of a date
    (e.g. 15 days after a test report was issued); later ones may be declined."""

    category = models.CharField(_("category"), max_length=24, choices=Category, unique=True)
    days = models.PositiveIntegerField(_("days"))
    counted_from = models.CharField(_("counted from"), max_length=100)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("acceptance window")
        verbose_name_plural = _("acceptance windows")
        ordering = ["category"]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.days}"


class Decision(models.TextChoices):
    """R-CP-6."""

    UPHELD = "upheld", _("Upheld (成立)")
    NOT_UPHELD = "not_upheld", _("Not upheld (不成立)")
    REINSPECT = "reinspect", _("Re-inspection needed")


class External(models.TextChoices):
    """R-CP-7: a complaint that reached a regulator or an association."""

    CONSUMER_ASSOCIATION = "consumer_association", _("Consumer association (消协)")
    MARKET_REGULATOR = "market_regulator", _("Market regulator (工商 / 市场监管)")
    INDUSTRY_ASSOCIATION = "industry_association", _("Industry association (行业协会)")
    OTHER = "other", _("Other authority")


class Complaint(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("complaint status", "Received")
        TRANSFERRED = "transferred", _("With the responsible person")
        INVESTIGATING = "investigating", _("Under investigation")
        DECIDED = "decided", _("Decided")
        CLOSED = "closed", _("Closed")
        DECLINED = "declined", _("Not accepted")

    number = models.CharField(_("number"), max_length=30, unique=True)
    status = models.CharField(_("status"), max_length=14, choices=Status, default=Status.RECEIVED)
    complainant_name = models.CharField(_("complainant"), max_length=50)
    complainant_phone = models.CharField(_("complainant's phone"), max_length=24)
    complainant_email = models.EmailField(_("complainant's e-mail"), blank=True)
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    equipment = models.ForeignKey(
        "customers.Equipment",
        verbose_name=_("equipment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    service_request = models.ForeignKey(
        "service.ServiceRequest",
        verbose_name=_("service request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    received_at = models.DateTimeField(_("received at"), db_index=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    category = models.CharField(_("category"), max_length=24, choices=Category)
    target_kind = models.CharField(
        _("complaint about"), max_length=12, choices=TargetKind, default=TargetKind.PRODUCT
    )
    target_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person complained about"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints_about",
    )
    target_department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department complained about"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints_about",
    )
    demand = models.TextField(_("demand"), max_length=2000)
    description = models.TextField(_("description"), max_length=4000)
    is_major = models.BooleanField(_("major complaint"), default=False)
    is_especially_major = models.BooleanField(_("especially major complaint"), default=False)
    handling_group = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handling group"),
        blank=True,
        related_name="complaint_groups",
    )
    decision = models.CharField(_("decision"), max_length=12, choices=Decision, blank=True)
    decision_text = models.TextField(_("grounds of the decision"), max_length=4000, blank=True)
    responsibility = models.CharField(_("responsibility"), max_length=300, blank=True)
    penalty = models.CharField(_("penalty"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    reply_text = models.TextField(_("reply to the complainant"), max_length=4000, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    customer_reaction = models.TextField(_("complainant's reaction"), max_length=2000, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    external_body = models.CharField(
        _("external body"), max_length=24, blank=True, choices=External
    )
    external_reference = models.CharField(_("external reference"), max_length=100, blank=True)
    external_due_on = models.DateField(_("external due date"), null=True, blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints_responsible",
    )
    decline_reason = models.CharField(_("reason not accepted"), max_length=300, blank=True)
    reference_date = models.DateField(
        _("window counted from"),
        null=True,
        blank=True,
        help_text=_("The date the category's acceptance window counts from, if it has one."),
    )
    outside_window = models.BooleanField(_("outside the acceptance window"), default=False)
    # A product quality complaint's product (000 §13.2.1: 订单编号、料号、交运日期、数量、
    # 不良数量), taken from the unit's sales record when it has one.
    order_number = models.CharField(_("order number"), max_length=50, blank=True)
    part_number = models.CharField(_("item or part number"), max_length=100, blank=True)
    shipped_on = models.DateField(_("ship date"), null=True, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    defective_quantity = models.PositiveIntegerField(_("defective quantity"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    obligations = GenericRelation("obligations.Obligation")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-received_at"], name="cp_status_recent"),
            models.Index(fields=["customer", "-received_at"], name="cp_customer_recent"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("complaints:detail", args=[self.pk])

    @property
    def nature(self) -> str:
        return str(NATURE.get(self.category, ""))


class Step(models.Model):
    """One recorded step of the handling (处理过程); each restarts CP.PROGRESS."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        CONTACTED = "contacted", _("Complainant contacted")
        TRANSFERRED = "transferred", _("Transferred")
        OPINION = "opinion", _("First handling opinion")
        INVESTIGATION = "investigation", _("Investigation started")
        FINDING = "finding", _("Finding")
        PROPOSAL = "proposal", _("Handling proposal")
        PROGRESS = "progress", _("Progress")
        DECLINED = "declined", _("Not accepted")
        MAJOR = "major", _("Reported as major")
        GROUP_OPINION = "group_opinion", _("Handling group opinion")
        DECIDED = "decided", pgettext_lazy("complaint step", "Decision made")
        APPROVED = "approved", _("Decision approved")
        REPLIED = "replied", _("Reply to the complainant")
        REACTION = "reaction", _("Complainant's reaction")
        REMEDIED = "remedied", _("Remedy done")
        FOLLOWED_UP = "followed_up", _("Followed up with the complainant")
        CLOSED = "closed", _("Closed")
        EXTERNAL = "external", _("Reached an external body")
        ACTION = "action", _("Corrective action")
        WARNING = "warning", _("Regional warning")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="steps")
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=14, choices=Kind)
    text = models.TextField(_("text"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("handling step")
        verbose_name_plural = _("handling steps")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind}"


class CorrectiveAction(models.Model):
    """A corrective or preventive action (CAPA, R-CP-6): owner, due date, verification."""

    class Kind(models.TextChoices):
        CORRECTIVE = "corrective", _("Corrective")
        PREVENTIVE = "preventive", _("Preventive")

    class Status(models.TextChoices):
        OPEN = "open", _("To do")
        DONE = "done", _("Done, to verify")
        VERIFIED = "verified", _("Verified effective")

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="actions")
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    description = models.TextField(_("action"), max_length=2000)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("due on"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_note = models.CharField(_("what was done"), max_length=500, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    effective = models.BooleanField(_("effective"), null=True, blank=True)
    verification_note = models.CharField(_("verification"), max_length=500, blank=True)
    obligations = GenericRelation("obligations.Obligation")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint.number} · {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("complaints:detail", args=[self.complaint_id])


class RegionalWarning(models.Model):
    """区域预警: a problem found in one complaint, told to the other service teams."""

    complaint = models.ForeignKey(
        Complaint, null=True, blank=True, on_delete=models.PROTECT, related_name="warnings"
    )
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("what to prevent"), max_length=2000)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"))

    class Meta:
        verbose_name = _("regional warning")
        verbose_name_plural = _("regional warnings")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return self.title


class MonthlyReview(models.Model):
    """The service manager's sign-off of a month's complaint review (R-CP-9)."""

    month = models.DateField(_("month"), unique=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signed at"))
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("monthly complaint review")
        verbose_name_plural = _("monthly complaint reviews")
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"
