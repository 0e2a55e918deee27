"""Operations (R-OP): the duty roster and its swaps (值班, R-OP-1) and emergency incidents
(应急, R-OP-3)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# --- the duty roster (值班, R-OP-1) ------------------------------------------------


class DutyGroup(models.Model):
    """A group that takes turns on duty: the hotline, the technicians on call, the
    managers on call. Its members are the people qualified to stand a shift in it."""

    class Kind(models.TextChoices):
        HOTLINE = "hotline", _("Hotline")
        TECHNICIANS = "technicians", _("Technicians on call")
        MANAGERS = "managers", _("Managers on call")

    class Cover(models.TextChoices):
        ALWAYS = "always", _("Around the clock (7×24)")
        OFF_HOURS = "off_hours", _("Outside working hours")

    name = models.CharField(_("name"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    cover = models.CharField(_("must be covered"), max_length=10, choices=Cover)
    calendar = models.ForeignKey(
        "calendars.Calendar",
        verbose_name=_("working calendar"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Which hours are working hours, for a group that covers the rest."),
    )
    phone = models.CharField(_("duty phone"), max_length=24, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"), related_name="duty_groups"
    )
    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        verbose_name = _("duty group")
        verbose_name_plural = _("duty groups")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Shift(models.Model):
    """One person on duty in a group from ``starts_at`` to ``ends_at``."""

    group = models.ForeignKey(
        DutyGroup, verbose_name=_("duty group"), on_delete=models.PROTECT, related_name="shifts"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("on duty"),
        on_delete=models.PROTECT,
        related_name="shifts",
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["group", "ends_at"], name="shift_group_end"),
            models.Index(fields=["person", "ends_at"], name="shift_person_end"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.person}"


class ShiftSwap(models.Model):
    """Someone asks to hand their shift to another member; the service manager decides."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Awaiting the service manager")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    shift = models.ForeignKey(
        Shift, verbose_name=_("shift"), on_delete=models.CASCADE, related_name="swaps"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.REQUESTED)
    from_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    to_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hand over to"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("shift swap")
        verbose_name_plural = _("shift swaps")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["status", "-requested_at"], name="swap_status_recent")]

    def __str__(self) -> str:
        return f"{self.shift} → {self.to_person}"


# --- emergency incidents (应急, R-OP-3) -------------------------------------------------


class Incident(models.Model):
    """A public emergency reported to the person on duty (001 十三): what, where, when,
    casualties, loss, progress and who reported it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Being handled")
        REVIEW = "review", _("Report awaiting review")
        REPORTED = "reported", _("Reported to the general manager")
        CLOSED = "closed", _("Closed")

    number = models.CharField(_("number"), max_length=30, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    nature = models.CharField(_("nature of the incident"), max_length=200)
    place = models.CharField(_("place"), max_length=200)
    occurred_at = models.DateTimeField(_("happened at"))
    reported_at = models.DateTimeField(_("reported to us at"))
    casualties = models.CharField(_("casualties"), max_length=200, blank=True)
    property_loss = models.CharField(_("property loss"), max_length=200, blank=True)
    progress = models.TextField(_("progress of the response"), max_length=2000, blank=True)
    reporter = models.CharField(_("reporting unit or person"), max_length=100)
    reporter_contact = models.CharField(_("their contact"), max_length=100)
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    report = models.TextField(_("written report"), max_length=8000, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reported_to_gm_at = models.DateTimeField(
        _("reported to the general manager at"), null=True, blank=True
    )
    summary = models.TextField(_("closing summary and evaluation"), max_length=8000, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    obligations = GenericRelation("obligations.Obligation")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("emergency incident")
        verbose_name_plural = _("emergency incidents")
        ordering = ["-reported_at", "-pk"]
        indexes = [models.Index(fields=["status", "-reported_at"], name="incident_status_recent")]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("operations:incident", args=[self.pk])


class Responder(models.Model):
    """A manager called to an incident: alerted at once, each confirms arrival at the
    office within OP.ASSEMBLE (their own limit)."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="responders"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("manager"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    alerted_at = models.DateTimeField(_("alerted at"))
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    obligations = GenericRelation("obligations.Obligation")

    class Meta:
        verbose_name = _("responder")
        verbose_name_plural = _("responders")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "person"], name="one_responder_each")
        ]

    def __str__(self) -> str:
        return f"{self.incident} · {self.person}"

    def get_absolute_url(self) -> str:
        return reverse("operations:incident", args=[self.incident_id])


class IncidentEntry(models.Model):
    """One line of the incident's log (001 十三 4): times, calls, instructions, measures."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Report received")
        ALERTED = "alerted", _("Managers alerted")
        ARRIVED = "arrived", _("Arrived")
        CALL = "call", _("Leader called")
        INSTRUCTION = "instruction", _("Leader's instruction")
        MEASURE = "measure", _("Measure taken")
        PROGRESS = "progress", _("Progress")
        REPORT = "report", _("Report")
        CLOSED = "closed", _("Closed")

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="entries"
    )
    at = models.DateTimeField(_("at"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    text = models.CharField(_("what happened"), max_length=1000)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("incident log entry")
        verbose_name_plural = _("incident log")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.text


# --- comp time (倒休, R-OP-2) --------------------------------------------------------------


class CompTimeRequest(models.Model):
    """A person asks to take comp time on a day, or to set it against leave taken; the
    service manager approves within the balance."""

    class Kind(models.TextChoices):
        TAKE = "take", _("Time off in lieu")
        LEAVE = "leave", _("Set against leave")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Awaiting the service manager")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="comp_time_requests",
    )
    kind = models.CharField(_("kind"), max_length=6, choices=Kind, default=Kind.TAKE)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.REQUESTED)
    day = models.DateField(_("day"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    requested_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("comp time request")
        verbose_name_plural = _("comp time requests")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["status", "-requested_at"], name="comp_request_status")]

    def __str__(self) -> str:
        return f"{self.person} {self.day} {self.hours}"


class CompTimeEntry(models.Model):
    """One line of a person's comp-time ledger, in minutes: earned by service work on a
    rest day or holiday (from the work order's arrival and departure), or taken."""

    class Kind(models.TextChoices):
        EARNED = "earned", _("Earned")
        TAKEN = "taken", _("Taken off")
        LEAVE = "leave", _("Set against leave")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="comp_time",
    )
    kind = models.CharField(_("kind"), max_length=6, choices=Kind)
    minutes = models.IntegerField(_("minutes"))  # + earned, − taken
    day = models.DateField(_("day"))
    work_order = models.ForeignKey(
        "service.WorkOrder",
        verbose_name=_("work order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    request = models.OneToOneField(
        CompTimeRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="entry"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("comp time entry")
        verbose_name_plural = _("comp time ledger")
        ordering = ["-day", "-pk"]
        indexes = [models.Index(fields=["person", "day"], name="comp_person_day")]
        constraints = [
            models.UniqueConstraint(
                fields=["work_order", "person"],
                name="comp_once_per_order",
                condition=models.Q(work_order__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.minutes}"

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)
