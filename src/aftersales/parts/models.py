"""Stock of spare parts (R-SP-1, R-SP-4): locations, the ledger, balances, periods.

The ledger (``Movement``) is the truth and is never edited: every receipt,
issue, return, transfer, write-off and count difference is one signed row
with its reason, document and user. ``Balance`` is the running on-hand of an
item at a location, updated in the same transaction as the row that changes
it, under a row lock, so it always equals the sum of the ledger and can
never go below zero. ``PeriodClose`` locks a month and keeps each item's
closing figures, the next month's opening.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.common.fields import ScaledDecimalField
from aftersales.customers.models import PartItem

# Exact on SQLite too (see common/fields.py): thousandths of a unit, and cents.
QUANTITY = {"places": 3}
MONEY = {"places": 2}
ZERO = Decimal("0")


class Location(models.Model):
    """Where stock is kept: the central depot, a technician's kit, a repair bench."""

    class Kind(models.TextChoices):
        DEPOT = "depot", _("Central depot")
        KIT = "kit", _("Technician's kit")
        REPAIR = "repair", _("Repair bench")

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.DEPOT)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("held by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stock_locations",
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stock location")
        verbose_name_plural = _("stock locations")
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Movement(models.Model):
    """One line of the stock ledger (库存台账): signed quantity and value at a location."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Receipt")
        ISSUE = "issue", _("Issue to a work order")
        RETURN = "return", _("Return from a work order")
        TRANSFER_OUT = "transfer_out", _("Transfer out")
        TRANSFER_IN = "transfer_in", _("Transfer in")
        WRITE_OFF = "write_off", _("Write-off")
        COUNT = "count", _("Stock-count difference")

    item = models.ForeignKey(
        PartItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="movements"
    )
    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.PROTECT, related_name="movements"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    quantity = ScaledDecimalField(_("quantity"), **QUANTITY)  # + in, − out
    value = ScaledDecimalField(_("value"), **MONEY)  # signed like the quantity
    at = models.DateTimeField(_("at"))
    month = models.DateField(_("month"))  # the first day of ``at``'s month, local time
    document = models.CharField(_("document"), max_length=50)
    reason = models.CharField(_("reason"), max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    work_order = models.ForeignKey(
        "service.WorkOrder",
        verbose_name=_("work order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stock_movements",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["-at", "-pk"]
        indexes = [
            # An item's ledger, newest first; and a month's reconciliation by item.
            models.Index(fields=["item", "-at"], name="mv_item_recent"),
            models.Index(fields=["month", "item"], name="mv_month_item"),
            models.Index(fields=["location", "-at"], name="mv_location_recent"),
        ]
        constraints = [models.CheckConstraint(condition=~Q(quantity=0), name="mv_not_zero")]

    def __str__(self) -> str:
        return f"{self.document} {self.item_id} {self.quantity:+}"


class Balance(models.Model):
    """On hand of one item at one location: the sum of its ledger, kept in step."""

    item = models.ForeignKey(PartItem, on_delete=models.PROTECT, related_name="balances")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="balances")
    quantity = ScaledDecimalField(_("on hand"), default=ZERO, **QUANTITY)
    value = ScaledDecimalField(_("value"), default=ZERO, **MONEY)

    class Meta:
        verbose_name = _("stock balance")
        verbose_name_plural = _("stock balances")
        constraints = [
            models.UniqueConstraint(fields=["item", "location"], name="balance_one_per_place"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="balance_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}@{self.location_id}: {self.quantity}"

    @property
    def unit_cost(self) -> Decimal:
        return (self.value / self.quantity).quantize(Decimal("0.01")) if self.quantity else ZERO


class PeriodClose(models.Model):
    """A closed month (月结): no movement may be dated in it or before it."""

    month = models.DateField(_("month"), unique=True)
    closed_at = models.DateTimeField(_("closed at"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("closed by"), on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("closed month")
        verbose_name_plural = _("closed months")
        ordering = ["-month"]
        permissions = [("close_period", _("Can close a stock month"))]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class PeriodBalance(models.Model):
    """An item's closing figures for a closed month, company-wide."""

    period = models.ForeignKey(PeriodClose, on_delete=models.CASCADE, related_name="balances")
    item = models.ForeignKey(PartItem, on_delete=models.PROTECT, related_name="+")
    quantity = ScaledDecimalField(**QUANTITY)
    value = ScaledDecimalField(**MONEY)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "item"], name="period_balance_one_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.item_id}: {self.quantity}"


# --- backup units (备机, R-SP-2) ------------------------------------------------------------


class BackupUnit(models.Model):
    """A unit the company lends while a customer's own is repaired."""

    class Status(models.TextChoices):
        AVAILABLE = "available", _("Available")
        LENT = "lent", _("Lent")
        IN_REPAIR = "in_repair", _("In repair")
        WRITTEN_OFF = "written_off", _("Written off")

    serial_number = models.CharField(_("serial number"), max_length=100, unique=True)
    product_model = models.ForeignKey(
        "customers.ProductModel",
        verbose_name=_("product model"),
        on_delete=models.PROTECT,
        related_name="backup_units",
    )
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.AVAILABLE)
    location = models.ForeignKey(
        Location, verbose_name=_("kept at"), null=True, blank=True, on_delete=models.PROTECT
    )
    origin = models.CharField(_("origin"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("backup unit")
        verbose_name_plural = _("backup units")
        ordering = ["product_model__code", "serial_number"]
        indexes = [models.Index(fields=["product_model", "status"], name="backup_model_status")]

    def __str__(self) -> str:
        return f"{self.serial_number} ({self.product_model})"


class BackupLoan(models.Model):
    """A backup unit at a customer's, from lending to its return (SP.BACKUP_RETURN)."""

    unit = models.ForeignKey(
        BackupUnit, verbose_name=_("backup unit"), on_delete=models.PROTECT, related_name="loans"
    )
    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    service_request = models.ForeignKey(
        "service.ServiceRequest",
        verbose_name=_("service request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="backup_loans",
    )
    lent_at = models.DateTimeField(_("lent at"))
    lent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    obligations = GenericRelation("obligations.Obligation")

    class Meta:
        verbose_name = _("backup loan")
        verbose_name_plural = _("backup loans")
        ordering = ["-lent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(returned_at__isnull=True),
                name="one_open_loan_per_unit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit.serial_number} → {self.customer}"

    def get_absolute_url(self) -> str:
        return f"{reverse('parts:backups')}?status=lent"


class BackupBaseline(models.Model):
    """How many backup units of a model the company keeps (备机基数)."""

    product_model = models.OneToOneField(
        "customers.ProductModel",
        verbose_name=_("product model"),
        on_delete=models.PROTECT,
        related_name="backup_baseline",
    )
    quantity = models.PositiveIntegerField(_("baseline quantity"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("backup baseline")
        verbose_name_plural = _("backup baselines")

    def __str__(self) -> str:
        return f"{self.product_model}: {self.quantity}"


# --- tool kits (工具包, R-SP-5) ---------------------------------------------------------------


class ToolKit(models.Model):
    """The tools a technician carries, on record."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("held by"),
        on_delete=models.PROTECT,
        related_name="tool_kits",
    )
    issued_on = models.DateField(_("issued on"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tool kit")
        verbose_name_plural = _("tool kits")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} ({self.holder})"


class Tool(models.Model):
    class Status(models.TextChoices):
        IN_KIT = "in_kit", _("In the kit")
        LOST = "lost", _("Lost")
        REPLACED = "replaced", _("Replaced")

    kit = models.ForeignKey(
        ToolKit, verbose_name=_("tool kit"), on_delete=models.PROTECT, related_name="tools"
    )
    name = models.CharField(_("name"), max_length=100)
    asset_number = models.CharField(_("asset number"), max_length=50, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.IN_KIT)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tool")
        verbose_name_plural = _("tools")
        ordering = ["kit", "pk"]

    def __str__(self) -> str:
        return f"{self.name} {self.asset_number}".strip()
