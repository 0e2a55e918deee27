"""Service requests (报修) and work orders (维修单), R-SR and R-WO."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.accounts.models import phone_validator
from aftersales.common.choices import Severity
from aftersales.customers.warranty import WarrantyStatus
from aftersales.service.numbering import NumberSeries

if TYPE_CHECKING:
    from aftersales.customers.models import Site

__all__ = ["NumberSeries", "ServiceRequest", "Severity", "StatusChange", "WorkOrder"]


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    WEB = "web", _("Web portal")
    EMAIL = "email", _("E-mail")
    FAX = "fax", _("Fax")
    ONSITE = "onsite", _("On site")
    VISIT = "visit", _("Visit")
    QR = "qr", _("QR code on the unit")
    INSPECTION = "inspection", _("Found at an inspection")


# R-SR-2, shown next to the choice at intake.
SEVERITY_HELP = {
    Severity.P1: _("System down, service interrupted over 10 minutes, or critical data lost."),
    Severity.P2: _("Performance or capacity partly lost, or a risk of a P1 fault."),
    Severity.P3: _("A function is affected but key business is not."),
    Severity.CONSULT: _("A question; nothing is broken."),
}


class Charge(models.TextChoices):
    UNDECIDED = "undecided", _("To be decided (warranty unknown)")
    FREE = "free", _("Free (under warranty or a maintenance contract)")
    PARTS_AT_COST = "parts_cost", _("Parts at cost")
    QUOTED = "quoted", _("Quoted price")


class Exclusion(models.TextChoices):
    """Causes the warranty does not cover (R-SR-6, seeds 001 and 003)."""

    MISUSE = "misuse", _("Misuse or wrong operation")
    WRONG_TOOLS = "wrong_tools", _("Wrong tools")
    ENVIRONMENT = "environment", _("Environment out of specification")
    ACCIDENT = "accident", _("Accident")
    DISASTER = "disaster", _("Natural disaster")
    LIGHTNING = "lightning", _("Lightning")
    POWER = "power", _("Power fault")
    MODIFIED = "modified", _("Modified by unauthorised parties")


class Confirmation(models.TextChoices):
    """How the customer confirmed the fault was cleared (R-SR-5)."""

    PHONE = "phone", _("By phone")
    SIGNATURE = "signature", _("Signed on site")
    PORTAL = "portal", _("In the customer portal")
    EMAIL = "email", _("By e-mail or message")


class QuoteStatus(models.TextChoices):
    PENDING = "pending", _("Sent, awaiting the customer")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")


class ServiceRequest(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        REPLIED = "replied", _("Replied")
        RESPONDED = "responded", _("Plan given")
        ONSITE = "onsite", _("On site")
        QUOTING = "quoting", _("Awaiting quote acceptance")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    number = models.CharField(_("number"), max_length=30, unique=True)
    # Indexed with received_at below, which also serves status alone.
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.NEW)
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    equipment = models.ForeignKey(
        "customers.Equipment",
        verbose_name=_("equipment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity)
    caller_name = models.CharField(_("caller"), max_length=50)
    caller_phone = models.CharField(
        _("caller's phone"), max_length=24, validators=[phone_validator], db_index=True
    )
    description = models.TextField(_("fault description"), max_length=4000)
    received_at = models.DateTimeField(_("received at"), db_index=True)
    warranty_status = models.CharField(
        _("warranty status"), max_length=24, choices=WarrantyStatus, default=WarrantyStatus.UNKNOWN
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    resolution = models.TextField(_("resolution"), max_length=4000, blank=True)
    # R-SR-9: a system the company did not install is reviewed by the technical
    # department before anyone is sent or the job is accepted.
    # What the caller says when the unit is not (yet) in the register (R-SR-1).
    product_model = models.ForeignKey(
        "customers.ProductModel",
        verbose_name=_("product model"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    purchased_on = models.DateField(_("purchase date"), null=True, blank=True)
    site = models.ForeignKey(
        "customers.Site",
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    needs_review = models.BooleanField(_("needs technical review"), default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_note = models.CharField(_("review"), max_length=300, blank=True)
    charge = models.CharField(_("charge"), max_length=12, choices=Charge, default=Charge.FREE)
    exclusion = models.CharField(_("exclusion"), max_length=20, choices=Exclusion, blank=True)
    exclusion_note = models.CharField(_("exclusion details"), max_length=300, blank=True)
    quote_amount = models.DecimalField(
        _("quoted price"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    quote_status = models.CharField(_("quote"), max_length=10, choices=QuoteStatus, blank=True)
    quote_note = models.CharField(_("what the quote covers"), max_length=500, blank=True)
    # Out of warranty, work starts only after the customer accepts the quote, unless the
    # service manager waives it with a reason (R-SR-6).
    quote_waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    quote_waived_reason = models.CharField(
        _("why work starts unquoted"), max_length=300, blank=True
    )
    fault_code = models.ForeignKey(
        "customers.FaultCode",
        verbose_name=_("fault code"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    is_repeat = models.BooleanField(_("repeat repair"), default=False, db_index=True)
    replacement_proposed = models.BooleanField(_("replacement proposed (三包)"), default=False)
    fault_cause = models.TextField(_("fault cause"), max_length=4000, blank=True)
    fault_prevention = models.TextField(_("how to avoid it"), max_length=4000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_by = models.CharField(_("confirmed by"), max_length=50, blank=True)
    confirmed_via = models.CharField(
        _("confirmed"), max_length=10, choices=Confirmation, blank=True
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    obligations = GenericRelation("obligations.Obligation")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-received_at", "-pk"]
        permissions = [("confirm_servicerequest", _("Can confirm a fault is cleared"))]
        indexes = [
            models.Index(fields=["customer", "-received_at"], name="sr_customer_recent"),
            # The list's filters, each with the list's order: no sort of a large set.
            models.Index(fields=["severity", "-received_at"], name="sr_severity_recent"),
            models.Index(fields=["status", "-received_at"], name="sr_status_recent"),
            # The dispatch queue (most severe, then oldest, of the requests still to
            # dispatch): read in order from the few open rows, however many are closed.
            models.Index(
                fields=["severity", "received_at", "id"],
                name="sr_dispatch_queue",
                condition=Q(status__in=["new", "replied", "responded", "onsite"]),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("service:detail", args=[self.pk])

    @property
    def place(self) -> Site | None:
        """Where the technician goes: the site taken at intake, else the unit's own."""
        return self.site or (self.equipment.site if self.equipment else None)


class StatusChange(models.Model):
    """Every status move of a request, with who and why (the timeline)."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.request} {self.from_status}→{self.to_status}"


class Call(models.Model):
    """A further call about an open request (R-SR-10): the same caller about the same
    unit is added to the request, not recorded twice."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="calls")
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    caller_name = models.CharField(_("caller"), max_length=50)
    caller_phone = models.CharField(_("caller's phone"), max_length=24)
    description = models.TextField(_("what the caller said"), max_length=4000)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("further call")
        verbose_name_plural = _("further calls")

    def __str__(self) -> str:
        return f"{self.request} {self.at:%Y-%m-%d %H:%M}"


class Diagnosis(models.TextChoices):
    HARDWARE = "hardware", _("Hardware (swap / RMA)")
    SOFTWARE = "software", _("Software (adjust)")


class Result(models.TextChoices):
    FIXED = "fixed", _("Fixed")
    NOT_FIXED = "not_fixed", _("Not finished")


class WorkOrder(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        COMPLETED = "completed", _("Completed")
        VOID = "void", _("Void")

    number = models.CharField(_("number"), max_length=30, unique=True)
    series = models.CharField(_("series"), max_length=30)
    sequence = models.PositiveBigIntegerField(_("number in series"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    service_request = models.ForeignKey(
        ServiceRequest,
        verbose_name=_("service request"),
        on_delete=models.PROTECT,
        related_name="work_orders",
    )
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("technician"),
        on_delete=models.PROTECT,
        related_name="work_orders",
    )
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("replaces order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    void_reason = models.CharField(_("void reason"), max_length=300, blank=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    planned_arrival = models.DateTimeField(_("planned arrival"), null=True, blank=True)
    # What the technician records on site (R-WO-3, R-WO-4).
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    departed_at = models.DateTimeField(_("departed at"), null=True, blank=True)
    work_done = models.TextField(_("work done"), max_length=4000, blank=True)
    diagnosis = models.CharField(_("diagnosis"), max_length=10, choices=Diagnosis, blank=True)
    parts_used = models.TextField(_("parts used"), max_length=2000, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=Result, blank=True)
    delay_reason = models.TextField(_("delay reason analysis"), max_length=4000, blank=True)
    signature = models.TextField(_("customer signature"), blank=True)  # a PNG data URL
    signed_by = models.CharField(_("signed by"), max_length=50, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    # Both sides sign the record (R-WO-3: 双方签字确认): the technician beside the customer.
    technician_signature = models.TextField(_("technician signature"), blank=True)
    technician_signed_at = models.DateTimeField(_("technician signed at"), null=True, blank=True)
    # What each signature attests: SHA-256 of the record as signed and the image (电子签名法
    # 第十三条); blank for signatures taken before digests were kept.
    signature_digest = models.CharField(_("customer signature digest"), max_length=64, blank=True)
    technician_signature_digest = models.CharField(
        _("technician signature digest"), max_length=64, blank=True
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["signature", "technician_signature"])

    class Meta:
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["series", "sequence"], name="wo_unique_in_series")
        ]
        indexes = [models.Index(fields=["technician", "status"], name="wo_technician_status")]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("service:work_order", args=[self.pk])
