"""Depot repair of returned units (返修, R-WO-8): batches and their units.

The tables keep the names they had in the service app."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# --- depot repair (返修, R-WO-8) ------------------------------------------------------------


class RepairBatch(models.Model):
    """Units a customer sent back for repair, received together (DEPOT.REPAIR:
    ceil(n/10) working days), repaired, shipped back and received by the customer."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received, in repair")
        REPAIRED = "repaired", _("Repaired")
        SHIPPED = "shipped", _("Shipped back")
        DELIVERED = "delivered", _("Received by the customer")

    number = models.CharField(_("number"), max_length=30, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.RECEIVED)
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="repair_batches",
    )
    service_request = models.ForeignKey(
        "service.ServiceRequest",
        verbose_name=_("service request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repair_batches",
    )
    received_at = models.DateTimeField(_("received at"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("received by the customer at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    obligations = GenericRelation("obligations.Obligation")
    history = HistoricalRecords(table_name="service_historicalrepairbatch")

    class Meta:
        db_table = "service_repairbatch"
        verbose_name = _("repair batch")
        verbose_name_plural = _("repair batches")
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["status", "-received_at"], name="rb_status_recent")]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("depot:batch", args=[self.pk])


class RepairUnit(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for repair")
        REPAIRED = "repaired", _("Repaired")
        UNREPAIRABLE = "unrepairable", _("Cannot be repaired")

    batch = models.ForeignKey(RepairBatch, on_delete=models.CASCADE, related_name="units")
    serial_number = models.CharField(_("serial number"), max_length=100)
    equipment = models.ForeignKey(
        "customers.Equipment",
        verbose_name=_("equipment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="depot_repairs",
    )
    fault = models.CharField(_("fault"), max_length=500)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.WAITING)
    result = models.CharField(_("result"), max_length=500, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        db_table = "service_repairunit"
        verbose_name = _("returned unit")
        verbose_name_plural = _("returned units")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "serial_number"], name="ru_once_per_batch")
        ]

    def __str__(self) -> str:
        return self.serial_number
