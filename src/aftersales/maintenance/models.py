"""Work done before anything breaks (R-PM-1, R-PM-2, R-RP-2): quarterly maintenance
plans confirmed by the customer, checklists, and inspections signed by both sides."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from aftersales.customers.models import MaintenanceContract

# --- checklists ----------------------------------------------------------------------


class ChecklistTemplate(models.Model):
    """What an inspection checks, for a product model or a contract level (or for all).
    Once an inspection used it, a change makes a new version; the old one stays as it
    was for the records that used it."""

    name = models.CharField(_("name"), max_length=100)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    product_model = models.ForeignKey(
        "customers.ProductModel",
        verbose_name=_("product model"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: for every model."),
    )
    level = models.CharField(
        _("contract level"),
        max_length=20,
        choices=MaintenanceContract.Level,
        blank=True,
        help_text=_("Empty: for every level."),
    )
    is_current = models.BooleanField(_("current version"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="checklist_name_version"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("maintenance:checklist", args=[self.pk])


class ItemKind(models.TextChoices):
    CHECK = "check", pgettext_lazy("checklist item", "Check")
    CLEAN = "clean", pgettext_lazy("checklist item", "Clean")
    FASTEN = "fasten", pgettext_lazy("checklist item", "Check and fasten")
    MEASURE = "measure", pgettext_lazy("checklist item", "Measure")
    UPGRADE = "upgrade", pgettext_lazy("checklist item", "Upgrade software")


class ChecklistItem(models.Model):
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.CharField(_("code"), max_length=10)
    text = models.CharField(_("what to do"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind, default=ItemKind.CHECK)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    low = models.DecimalField(
        _("lowest acceptable"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    high = models.DecimalField(
        _("highest acceptable"), max_digits=12, decimal_places=3, null=True, blank=True
    )

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["template", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="checklist_item_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    @property
    def range_text(self) -> str:
        def num(value: object) -> str:
            return "" if value is None else f"{value:f}".rstrip("0").rstrip(".")

        if self.low is None and self.high is None:
            return ""
        return f"{num(self.low)}–{num(self.high)} {self.unit}".strip()


# --- maintenance plans (R-PM-1) ------------------------------------------------------


class MaintenancePlan(models.Model):
    """A contract's visits in one quarter (季度维护保养工作计划), carried out once the
    customer (甲方) confirmed it."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Awaiting the customer's confirmation")
        CONFIRMED = "confirmed", _("Confirmed by the customer")

    contract = models.ForeignKey(
        MaintenanceContract,
        verbose_name=_("maintenance contract"),
        on_delete=models.PROTECT,
        related_name="plans",
    )
    quarter = models.CharField(_("quarter"), max_length=6, help_text="2026Q4")
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PROPOSED)
    created_at = models.DateTimeField(_("created at"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.CharField(_("confirmed by"), max_length=50, blank=True)
    confirmed_via = models.CharField(_("confirmed how"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("maintenance plan")
        verbose_name_plural = _("maintenance plans")
        ordering = ["-quarter", "contract"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "quarter"], name="plan_per_quarter"),
        ]
        indexes = [models.Index(fields=["quarter", "status"], name="plan_quarter_status")]
        permissions = [("confirm_maintenanceplan", "Can confirm a maintenance plan")]

    def __str__(self) -> str:
        return f"{self.contract.number} {self.quarter_label}"

    def get_absolute_url(self) -> str:
        return reverse("maintenance:plan", args=[self.pk])

    @property
    def quarter_label(self) -> str:
        return _("%(year)s Q%(n)s") % {"year": self.quarter[:4], "n": self.quarter[-1]}


class PlannedVisit(models.Model):
    """One visit of a plan: one per maintenance period of the contract (a contract of 4
    visits a year has one a quarter; of 12, one a month)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    plan = models.ForeignKey(MaintenancePlan, on_delete=models.CASCADE, related_name="visits")
    period = models.PositiveSmallIntegerField(
        _("period of the year"), validators=[MinValueValidator(1), MaxValueValidator(52)]
    )
    planned_on = models.DateField(_("planned for"), db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PLANNED)
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("technician"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="maintenance_visits",
    )
    moved_from = models.DateField(_("first planned for"), null=True, blank=True)
    move_reason = models.CharField(_("why moved"), max_length=300, blank=True)
    cancel_reason = models.CharField(_("why cancelled"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("maintenance visit")
        verbose_name_plural = _("maintenance visits")
        ordering = ["planned_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "period"], name="visit_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.planned_on:%Y-%m-%d}"


# --- forms signed by both sides (R-RP-2) -----------------------------------------------


class SignedByBoth(models.Model):
    """双方签字: the technician's (or trainer's) and the customer's signatures drawn on the
    screen, each with a digest of exactly what was signed (电子签名法 第十三条)."""

    technician_signature = models.TextField(blank=True)
    technician_signed_at = models.DateTimeField(_("technician signed at"), null=True, blank=True)
    technician_signature_digest = models.CharField(max_length=64, blank=True)
    customer_signature = models.TextField(blank=True)
    customer_signed_by = models.CharField(_("signed by"), max_length=50, blank=True)
    customer_signed_at = models.DateTimeField(_("customer signed at"), null=True, blank=True)
    customer_signature_digest = models.CharField(max_length=64, blank=True)

    class Meta:
        abstract = True

    @property
    def signed_by_both(self) -> bool:
        return bool(self.technician_signature and self.customer_signature)

    @property
    def signed_by_anyone(self) -> bool:
        return bool(self.technician_signature or self.customer_signature)


# --- inspections (R-PM-2) ------------------------------------------------------------


class Inspection(SignedByBoth):
    """巡检记录: one unit checked item by item, signed by both sides on site; the report
    follows within PM.REPORT of the end."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("Being inspected")
        FINISHED = "finished", _("Signed, report to issue")
        REPORTED = "reported", _("Report issued")
        CANCELLED = "cancelled", _("Cancelled")

    number = models.CharField(_("number"), max_length=30, unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.IN_PROGRESS
    )
    equipment = models.ForeignKey(
        "customers.Equipment",
        verbose_name=_("equipment"),
        on_delete=models.PROTECT,
        related_name="maintenance_inspections",
    )
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="maintenance_inspections",
    )
    visit = models.ForeignKey(
        PlannedVisit,
        verbose_name=_("maintenance visit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    template = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("checklist"), on_delete=models.PROTECT, related_name="+"
    )
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("technician"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Signed on site (巡检记录表, SignedByBoth), then the report (巡检报告, PM.REPORT).
    findings = models.TextField(_("findings"), max_length=4000, blank=True)
    advice = models.TextField(
        _("advice on upgrade, modification or replacement"), max_length=4000, blank=True
    )
    reported_at = models.DateTimeField(_("report issued at"), null=True, blank=True)
    cancel_reason = models.CharField(_("why cancelled"), max_length=300, blank=True)
    obligations = GenericRelation("obligations.Obligation")
    history = HistoricalRecords(excluded_fields=["technician_signature", "customer_signature"])

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-started_at", "-pk"]
        indexes = [
            models.Index(fields=["technician", "status"], name="inspection_tech_status"),
            models.Index(fields=["equipment", "-started_at"], name="inspection_unit_recent"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("maintenance:inspection", args=[self.pk])


class Result(models.TextChoices):
    OK = "ok", pgettext_lazy("inspection result", "OK")
    FAILED = "failed", pgettext_lazy("inspection result", "Not OK")
    NOT_APPLICABLE = "na", pgettext_lazy("inspection result", "Not applicable")


class InspectionItem(models.Model):
    """One line of the checklist as found on the unit. ``flagged``: failed, or measured
    outside the acceptable range; it can become a service request on the unit."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("result"), max_length=10, choices=Result, blank=True)
    measurement = models.DecimalField(
        _("measurement"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    remark = models.CharField(_("remark"), max_length=500, blank=True)
    flagged = models.BooleanField(_("needs attention"), default=False)
    service_request = models.ForeignKey(
        "service.ServiceRequest",
        verbose_name=_("service request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspection_items",
    )

    class Meta:
        verbose_name = _("inspection item")
        verbose_name_plural = _("inspection items")
        ordering = ["inspection", "item__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="inspection_item_once"),
        ]

    def __str__(self) -> str:
        return f"{self.inspection.number} {self.item.code}"


# Installation, commissioning and training live beside (so each module reads in one
# sitting); importing them here registers them with the app.
from aftersales.maintenance.models_install import (  # noqa: E402, F401
    Attendee,
    Installation,
    TrainingSession,
    Upgrade,
)
