"""Sales records (R-CUS-6, the "Sale" of 4S; seed 000 §13.2.1, seed 001 第四章): the
orders a customer placed, their lines, and the serial numbers each line delivered —
so the purchase date of every unit is known from the record, not typed."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

MAX_QUANTITY = 100_000
MAX_LINES = 200


class SalesOrder(models.Model):
    number = models.CharField(_("order number"), max_length=50, unique=True)
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="sales_orders",
    )
    salesperson = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("salesperson"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sales_orders",
    )
    ordered_on = models.DateField(_("order date"), db_index=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sales order")
        verbose_name_plural = _("sales orders")
        ordering = ["-ordered_on", "-pk"]
        indexes = [models.Index(fields=["customer", "-ordered_on"])]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("sales:order", args=[self.pk])


class SalesOrderLine(models.Model):
    order = models.ForeignKey(SalesOrder, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(_("line"))
    item = models.CharField(_("item or part number"), max_length=100, db_index=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    product_model = models.ForeignKey(
        "customers.ProductModel",
        verbose_name=_("product model"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    quantity = models.PositiveIntegerField(
        _("quantity"), validators=[MinValueValidator(1), MaxValueValidator(MAX_QUANTITY)]
    )
    unit_price = models.DecimalField(
        _("unit price"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    shipped_on = models.DateField(_("ship date"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order", "position"]
        constraints = [
            models.UniqueConstraint(fields=["order", "position"], name="sales_line_position"),
        ]

    def __str__(self) -> str:
        return f"{self.order.number}/{self.position} {self.item}"


class DeliveredUnit(models.Model):
    """A serial number a line delivered: the unit's sale. A unit is sold once."""

    line = models.ForeignKey(SalesOrderLine, on_delete=models.CASCADE, related_name="units")
    equipment = models.OneToOneField(
        "customers.Equipment",
        verbose_name=_("equipment"),
        on_delete=models.PROTECT,
        related_name="sale",
    )

    class Meta:
        verbose_name = _("delivered unit")
        verbose_name_plural = _("delivered units")

    def __str__(self) -> str:
        return str(self.equipment_id)
