"""Customers, their sites and contacts, the catalogue, and installed equipment."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.accounts.models import phone_validator
from aftersales.common.fields import ScaledDecimalField
from aftersales.customers import warranty
from aftersales.customers.warranty import WarrantyStatus


class Customer(models.Model):
    """An organisation or a person that bought equipment (R-CUS-1)."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("Organisation")
        PERSON = "person", _("Person")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.ORGANISATION)
    is_key_customer = models.BooleanField(_("key customer"), default=False, db_index=True)
    region = models.CharField(_("region"), max_length=50, blank=True, db_index=True)
    sales_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sales owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_customers",
    )
    phone = models.CharField(_("phone"), max_length=24, blank=True, validators=[phone_validator])
    address = models.CharField(_("address"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), max_length=4000, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Site(models.Model):
    """A place where a customer's equipment is installed."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="sites"
    )
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "name"], name="site_unique_name_per_customer"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    """A person at the customer; may hold a portal account (R-ORG-3)."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="contacts"
    )
    site = models.ForeignKey(
        Site, verbose_name=_("site"), null=True, blank=True, on_delete=models.SET_NULL
    )
    name = models.CharField(_("name"), max_length=50)
    title = models.CharField(_("title"), max_length=50, blank=True)
    phone = models.CharField(
        _("phone"), max_length=24, blank=True, db_index=True, validators=[phone_validator]
    )
    email = models.EmailField(_("e-mail"), blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("portal account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="portal_contact",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-is_primary", "name"]

    def __str__(self) -> str:
        return self.name


class ProductModel(models.Model):
    """A product model in the catalogue (R-CUS-2)."""

    code = models.CharField(_("model code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    brand = models.CharField(_("brand"), max_length=100, blank=True)
    category = models.CharField(_("category"), max_length=50, blank=True)
    default_warranty_months = models.PositiveSmallIntegerField(
        _("default warranty (months)"),
        default=12,
        validators=[MaxValueValidator(warranty.MAX_WARRANTY_MONTHS)],
    )
    default_maintenance_months = models.PositiveSmallIntegerField(
        _("default maintenance period (months)"),
        default=0,
        validators=[MaxValueValidator(warranty.MAX_MAINTENANCE_MONTHS)],
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("product model")
        verbose_name_plural = _("product models")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}" if self.name and self.name != self.code else self.code


class FaultCode(models.Model):
    """A fault of a product model (故障代码), chosen at diagnosis; the same code on the
    same unit is "the same fault" for repeats (R-SR-8) and 三包 (R-SR-7)."""

    product_model = models.ForeignKey(
        ProductModel,
        verbose_name=_("product model"),
        on_delete=models.PROTECT,
        related_name="fault_codes",
    )
    code = models.CharField(_("fault code"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fault code")
        verbose_name_plural = _("fault codes")
        ordering = ["product_model", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["product_model", "code"], name="fault_code_unique_per_model"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PartItem(models.Model):
    """A spare part or consumable in the catalogue (R-CUS-2); stock comes with the parts app."""

    class Kind(models.TextChoices):
        SPARE_PART = "spare_part", _("Spare part")
        CONSUMABLE = "consumable", _("Consumable")

    code = models.CharField(_("part number"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.SPARE_PART)
    unit = models.CharField(_("unit"), max_length=10, default="个")
    whole_units = models.BooleanField(
        _("counted in whole units"),
        default=True,
        help_text=_("Untick for items measured in fractions, such as cable by the metre."),
    )
    reorder_level = ScaledDecimalField(  # compared with stock quantities: same scale
        _("reorder level"),
        places=3,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("Reorder when the stock on hand falls to this quantity or below."),
    )
    unit_price = models.DecimalField(
        _("unit price"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    product_models = models.ManyToManyField(
        ProductModel, verbose_name=_("fits product models"), blank=True, related_name="parts"
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("spare-part item")
        verbose_name_plural = _("spare-part items")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


def report_token() -> str:
    """The unit's QR code key: random and unguessable (a serial number is neither)."""
    return secrets.token_urlsafe(12)


class Equipment(models.Model):
    """One installed unit, known by its serial number (R-CUS-3)."""

    serial_number = models.CharField(_("serial number"), max_length=100, unique=True)
    # 扫码报修: the printed label's link is /q/<report_token>/; it opens nothing else.
    report_token = models.CharField(
        max_length=24, unique=True, default=report_token, editable=False
    )
    product_model = models.ForeignKey(
        ProductModel,
        verbose_name=_("product model"),
        on_delete=models.PROTECT,
        related_name="equipment",
    )
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="equipment"
    )
    site = models.ForeignKey(
        Site,
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="equipment",
    )
    batch_number = models.CharField(_("batch number"), max_length=100, blank=True, db_index=True)
    delivered_on = models.DateField(_("delivery date"), null=True, blank=True)
    accepted_on = models.DateField(_("acceptance date"), null=True, blank=True)
    # From the sales record (sales.DeliveredUnit): the order's date. The warranty runs
    # from the acceptance, or from the purchase when no acceptance is recorded.
    purchased_on = models.DateField(_("purchase date"), null=True, blank=True)
    warranty_months = models.PositiveSmallIntegerField(
        _("warranty (months)"),
        default=12,
        validators=[MaxValueValidator(warranty.MAX_WARRANTY_MONTHS)],
    )
    maintenance_months = models.PositiveSmallIntegerField(
        _("maintenance period (months)"),
        default=0,
        validators=[MaxValueValidator(warranty.MAX_MAINTENANCE_MONTHS)],
    )
    # Derived from the three fields above by the services; stored so lists
    # can filter and sort by them with an index.
    warranty_until = models.DateField(_("warranty until"), null=True, blank=True, db_index=True)
    maintenance_until = models.DateField(_("maintenance until"), null=True, blank=True)
    installed_by_us = models.BooleanField(
        _("installed by us"),
        default=True,
        help_text=_("Systems we did not install need technical review before service."),
    )
    notes = models.TextField(_("notes"), max_length=4000, blank=True)
    # Out of service for good: returned for a refund, or exchanged for ``replaced_by``.
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    retired_reason = models.CharField(_("why retired"), max_length=200, blank=True)
    replaced_by = models.OneToOneField(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaces",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["report_token"])  # a key, not a fact

    class Meta:
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")
        ordering = ["serial_number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_on__isnull=True)
                | Q(delivered_on__isnull=True)
                | Q(accepted_on__gte=models.F("delivered_on")),
                name="equipment_accepted_after_delivery",
                violation_error_message=_(
                    "The acceptance date cannot be before the delivery date."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.serial_number

    def warranty_status_on(
        self, on: dt.date, *, under_contract: bool | None = None
    ) -> WarrantyStatus:
        if under_contract is None:
            under_contract = getattr(self, "under_contract_today", None)
            if under_contract is None or on != timezone.localdate():
                under_contract = self.contracts.covering(on).exists()
        return warranty.warranty_status(
            on=on,
            accepted_on=self.accepted_on or self.purchased_on,  # the sale's date without one
            warranty_until=self.warranty_until,
            maintenance_until=self.maintenance_until,
            under_contract=under_contract,
        )

    @property
    def warranty_status(self) -> WarrantyStatus:
        return self.warranty_status_on(timezone.localdate())


class ContractQuerySet(models.QuerySet):
    def covering(self, on: dt.date) -> ContractQuerySet:
        return self.filter(starts_on__lte=on, ends_on__gte=on)


class MaintenanceContract(models.Model):
    """A maintenance agreement (维保协议) with a level and a period (R-CUS-3)."""

    class Level(models.TextChoices):
        BASIC = "basic", _("Basic")
        STANDARD = "standard", _("Standard")
        PREMIUM = "premium", _("Premium (7×24)")

    number = models.CharField(_("contract number"), max_length=50, unique=True)
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="contracts"
    )
    level = models.CharField(_("level"), max_length=20, choices=Level, default=Level.STANDARD)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), db_index=True)
    equipment = models.ManyToManyField(
        Equipment, verbose_name=_("equipment covered"), blank=True, related_name="contracts"
    )
    visits_per_year = models.PositiveSmallIntegerField(
        _("visits per year"), default=4, validators=[MaxValueValidator(52)]
    )
    annual_fee = models.DecimalField(
        _("annual fee"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    notes = models.TextField(_("notes"), max_length=4000, blank=True)
    history = HistoricalRecords()

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = _("maintenance contract")
        verbose_name_plural = _("maintenance contracts")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="contract_ends_after_start",
                violation_error_message=_("A contract cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def is_current(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.starts_on <= on <= self.ends_on
