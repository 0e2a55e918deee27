"""Returns and exchanges (退换货, R-RT-1, R-RT-2, R-RT-3) and unpacking inspections of deliveries.

The tables keep the names they had in the service app."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# --- returns and exchanges (退换货, R-RT-1, R-RT-2, R-RT-3) ----------------------------


class ReturnRequest(models.Model):
    """A customer asks to return or exchange a unit within 7 days of purchase; nothing
    proceeds without the general manager's approval (RT.DECIDE)."""

    class Kind(models.TextChoices):
        REFUND = "refund", _("Refund")
        EXCHANGE = "exchange", _("Exchange for the same model")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Awaiting the general manager")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        DONE = "done", _("Done")

    number = models.CharField(_("number"), max_length=30, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.REQUESTED)
    kind = models.CharField(_("refund or exchange"), max_length=10, choices=Kind)
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="return_requests",
    )
    equipment = models.ForeignKey(
        "customers.Equipment",
        verbose_name=_("equipment"),
        on_delete=models.PROTECT,
        related_name="return_requests",
    )
    requested_at = models.DateTimeField(_("requested at"))
    purchased_on = models.DateField(_("purchased on"))
    problem = models.TextField(_("quality problem"), max_length=2000)
    proof_checked = models.BooleanField(_("purchase proof checked"), default=False)
    packaging_intact = models.BooleanField(_("original packaging intact"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision"), max_length=300, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    refund_amount = models.DecimalField(
        _("refund amount"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    replacement_serial = models.CharField(
        _("replacement serial number"), max_length=100, blank=True
    )
    obligations = GenericRelation("obligations.Obligation")
    history = HistoricalRecords(table_name="service_historicalreturnrequest")

    class Meta:
        db_table = "service_returnrequest"
        verbose_name = _("return or exchange")
        verbose_name_plural = _("returns and exchanges")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["status", "-requested_at"], name="rt_status_recent")]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("returns:detail", args=[self.pk])


class UnpackingInspection(models.Model):
    """开箱验收 (R-RT-3): what the customer found opening a delivery. Damaged or missing
    items are not signed for, and the delivery must be replaced."""

    class Outcome(models.TextChoices):
        OK = "ok", _("Complete and undamaged")
        DAMAGED = "damaged", _("Damaged")
        MISSING = "missing", _("Items missing")

    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    equipment = models.ForeignKey(
        "customers.Equipment",
        verbose_name=_("equipment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    return_request = models.ForeignKey(
        ReturnRequest,
        verbose_name=_("exchange"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    inspected_at = models.DateTimeField(_("inspected at"))
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome)
    note = models.CharField(_("what was found"), max_length=500, blank=True)
    signed_by = models.CharField(_("signed for by"), max_length=50, blank=True)
    needs_replacement = models.BooleanField(_("to be replaced"), default=False)

    class Meta:
        db_table = "service_unpackinginspection"
        verbose_name = _("unpacking inspection")
        verbose_name_plural = _("unpacking inspections")
        ordering = ["-inspected_at"]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.get_outcome_display()}"
