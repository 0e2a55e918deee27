"""Delivery, installation and commissioning (R-PM-4), and training (R-PM-5): the other
services done before anything breaks, each ending in a form signed by both sides."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.maintenance.models import SignedByBoth

SIGNATURES_NOT_IN_HISTORY = ["technician_signature", "customer_signature"]


class Installation(SignedByBoth):
    """安装调试: a unit called ahead, delivered, unpacked and inspected with the customer,
    installed and commissioned within PM.COMMISSION of its arrival, and accepted by
    both sides; the acceptance date starts its warranty. A follow-up call scores the
    installer."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Delivery planned")
        DELIVERED = "delivered", _("Delivered, to commission")
        COMMISSIONED = "commissioned", _("Commissioned, to accept")
        ACCEPTED = "accepted", _("Accepted")
        CANCELLED = "cancelled", _("Cancelled")

    number = models.CharField(_("number"), max_length=30, unique=True)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.PLANNED)
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="installations",
    )
    equipment = models.ForeignKey(
        "customers.Equipment",
        verbose_name=_("equipment"),
        on_delete=models.PROTECT,
        related_name="installations",
    )
    installer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("installer"),
        on_delete=models.PROTECT,
        related_name="installations",
    )
    planned_on = models.DateField(_("delivery planned for"))
    contact_name = models.CharField(_("customer's contact"), max_length=50)
    contact_phone = models.CharField(_("contact's phone"), max_length=24)
    called_at = models.DateTimeField(_("called ahead at"), null=True, blank=True)
    call_note = models.CharField(_("what was agreed on the call"), max_length=300, blank=True)
    delivered_at = models.DateTimeField(_("arrived on site at"), null=True, blank=True)
    unpacking = models.ForeignKey(
        "returns.UnpackingInspection",
        verbose_name=_("unpacking inspection"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    commissioned_at = models.DateTimeField(_("commissioned at"), null=True, blank=True)
    commissioning = models.TextField(_("commissioning and tests"), max_length=4000, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(
        _("installer's score"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    score_note = models.CharField(_("what the customer said"), max_length=300, blank=True)
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)
    cancel_reason = models.CharField(_("why cancelled"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"))
    obligations = GenericRelation("obligations.Obligation")
    history = HistoricalRecords(excluded_fields=SIGNATURES_NOT_IN_HISTORY)

    class Meta:
        verbose_name = _("installation")
        verbose_name_plural = _("installations")
        ordering = ["-planned_on", "-pk"]
        indexes = [models.Index(fields=["installer", "status"], name="install_installer_status")]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("maintenance:installation", args=[self.pk])


class TrainingSession(SignedByBoth):
    """培训: a session of a customer's training plan (e.g. twice a year) for their duty
    staff, with the trainer, materials, each attendee's theory and practical scores
    against the pass mark, and a summary report signed by both sides."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held, to report")
        REPORTED = "reported", _("Report issued")
        CANCELLED = "cancelled", _("Cancelled")

    number = models.CharField(_("number"), max_length=30, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PLANNED)
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="training_sessions",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    period = models.PositiveSmallIntegerField(_("session of the year"))
    planned_on = models.DateField(_("planned for"))
    topic = models.CharField(_("topic"), max_length=200)
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_sessions",
    )
    held_at = models.DateTimeField(_("held at"), null=True, blank=True)
    place = models.CharField(_("where"), max_length=200, blank=True)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark"), default=60, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    summary = models.TextField(_("summary"), max_length=4000, blank=True)
    reported_at = models.DateTimeField(_("report issued at"), null=True, blank=True)
    cancel_reason = models.CharField(_("why cancelled"), max_length=300, blank=True)
    history = HistoricalRecords(excluded_fields=SIGNATURES_NOT_IN_HISTORY)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-planned_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "year", "period"], name="training_per_period"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("maintenance:training", args=[self.pk])


class Attendee(models.Model):
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(_("name"), max_length=50)
    post = models.CharField(_("post"), max_length=50, blank=True)
    theory = models.PositiveSmallIntegerField(
        _("theory score"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    practical = models.PositiveSmallIntegerField(
        _("practical score"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        ordering = ["session", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def passed(self) -> bool | None:
        """Both scores at or above the pass mark; None until both are given."""
        if self.theory is None or self.practical is None:
            return None
        mark = self.session.pass_mark
        return self.theory >= mark and self.practical >= mark


class Upgrade(SignedByBoth):
    """软件升级记录: which software on the unit went from which version to which, and
    what changed, signed by the technician and the customer."""

    class Status(models.TextChoices):
        OPEN = "open", _("To sign")
        SIGNED = "signed", _("Signed by both sides")
        CANCELLED = "cancelled", _("Cancelled")

    number = models.CharField(_("number"), max_length=30, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="upgrades",
    )
    equipment = models.ForeignKey(
        "customers.Equipment",
        verbose_name=_("equipment"),
        on_delete=models.PROTECT,
        related_name="upgrades",
    )
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("technician"),
        on_delete=models.PROTECT,
        related_name="upgrades",
    )
    done_at = models.DateTimeField(_("done at"))
    software = models.CharField(_("software"), max_length=100)
    from_version = models.CharField(_("from version"), max_length=50)
    to_version = models.CharField(_("to version"), max_length=50)
    changes = models.TextField(_("what changed"), max_length=2000)
    history = HistoricalRecords(excluded_fields=SIGNATURES_NOT_IN_HISTORY)

    class Meta:
        verbose_name = _("software upgrade")
        verbose_name_plural = _("software upgrades")
        ordering = ["-done_at", "-pk"]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("maintenance:upgrade", args=[self.pk])
