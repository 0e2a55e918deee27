"""Policies (one time limit per rule code and severity), the obligations that
track them on records, their events, and the notifications escalation sends."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.accounts.roles import Role
from aftersales.calendars.engine import UNITS
from aftersales.calendars.forms import UNIT_LABELS
from aftersales.common.choices import Severity
from aftersales.obligations.rules import rule_name

UNIT_CHOICES = [(unit, UNIT_LABELS[unit]) for unit in UNITS]


# A policy row for one severity, or "" for all of them.
POLICY_SEVERITIES = [("", _("Any")), *Severity.choices]


class Policy(models.Model):
    """How long a rule allows (policies.md). A severity of "" applies to all."""

    rule = models.CharField(_("rule code"), max_length=40)
    severity = models.CharField(_("severity"), max_length=10, choices=POLICY_SEVERITIES, blank=True)
    description = models.CharField(_("what must happen"), max_length=200)
    amount = models.PositiveIntegerField(_("amount"))
    unit = models.CharField(_("unit"), max_length=20, choices=UNIT_CHOICES)
    calendar = models.ForeignKey(
        "calendars.Calendar", verbose_name=_("calendar"), on_delete=models.PROTECT
    )
    warn_percent = models.PositiveSmallIntegerField(
        _("warn at this percent of the time"), default=80
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("time-limit policy")
        verbose_name_plural = _("time-limit policies")
        ordering = ["rule", "severity"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "severity"], name="one_policy_per_rule_severity"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.severity}".strip()

    @property
    def name(self) -> str:
        return rule_name(self.rule)


class EscalationStep(models.Model):
    """A rung of the ladder after the breach: who is told, how long after the due time.

    Step 1 (the warning to the responsible person) is implicit at
    ``warn_percent``; these rows are steps 2 and up.
    """

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="steps")
    step = models.PositiveSmallIntegerField(_("step"))
    role = models.CharField(_("notify role"), max_length=30, choices=Role)
    delay_amount = models.PositiveIntegerField(_("after the due time"), default=0)
    delay_unit = models.CharField(_("unit"), max_length=20, choices=UNIT_CHOICES, default="hours")
    delay_calendar = models.ForeignKey(
        "calendars.Calendar", verbose_name=_("calendar"), on_delete=models.PROTECT
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation steps")
        ordering = ["policy", "step"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "step"], name="one_step_number_per_policy"),
            models.CheckConstraint(condition=Q(step__gte=2), name="ladder_steps_from_two"),
        ]

    def __str__(self) -> str:
        return f"{self.policy} #{self.step} → {self.role}"


class Obligation(models.Model):
    """A tracked time limit on any record."""

    class State(models.TextChoices):
        RUNNING = "running", _("Running")
        PAUSED = "paused", _("Paused")
        MET = "met", _("Met")
        MET_LATE = "met_late", _("Met late")
        BREACHED = "breached", _("Breached")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATES = (State.RUNNING, State.PAUSED, State.BREACHED)

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")

    rule = models.CharField(_("rule code"), max_length=40, db_index=True)
    severity = models.CharField(_("severity"), max_length=10, blank=True)
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="obligations")
    state = models.CharField(_("state"), max_length=12, choices=State, default=State.RUNNING)
    started_at = models.DateTimeField(_("started at"))
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)  # null while paused
    warn_at = models.DateTimeField(_("warn at"), null=True, blank=True)
    met_at = models.DateTimeField(_("met at"), null=True, blank=True)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    paused_seconds = models.FloatField(_("working time paused (s)"), default=0)
    # The policy's amount times this (DEPOT.REPAIR: ceil(n/10) for n units).
    factor = models.PositiveIntegerField(default=1)
    cancel_reason = models.CharField(_("reason"), max_length=300, blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="obligations",
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    # A restart (CP.PROGRESS after each step) begins a new round on the same row.
    round = models.PositiveIntegerField(_("round"), default=1)
    escalation_step = models.PositiveSmallIntegerField(_("escalation step reached"), default=0)
    next_escalation_at = models.DateTimeField(null=True, blank=True)
    breach_minutes = models.FloatField(_("breach (working minutes)"), null=True, blank=True)

    class Meta:
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        ordering = ["due_at", "pk"]
        indexes = [
            # The sweep's three questions, each answered from an index:
            # what breaches now, what needs its warning, what climbs the ladder.
            models.Index(fields=["due_at"], name="obl_running_due", condition=Q(state="running")),
            models.Index(
                fields=["warn_at"],
                name="obl_running_warn",
                condition=Q(state="running", escalation_step=0),
            ),
            models.Index(
                fields=["next_escalation_at"],
                name="obl_breached_next",
                condition=Q(state="breached"),
            ),
            models.Index(fields=["content_type", "object_id"], name="obl_target"),
            models.Index(fields=["state", "due_at"], name="obl_state_due"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.get_state_display()}"

    @property
    def name(self) -> str:
        """What people call the rule (its code never appears on a page)."""
        return rule_name(self.rule)


class ObligationEvent(models.Model):
    """Every change of an obligation: state moves, pauses, escalation steps, restarts."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("started")
        PAUSED = "paused", _("paused")
        RESUMED = "resumed", _("resumed")
        MET = "met", _("met")
        CANCELLED = "cancelled", _("cancelled")
        WARNED = "warned", _("warning sent")
        BREACHED = "breached", _("breached")
        ESCALATED = "escalated", _("escalated")
        RESTARTED = "restarted", _("started again")
        REASSIGNED = "reassigned", _("handed over")
        RECLASSIFIED = "reclassified", _("severity changed")

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # A restart keeps the due time of the round it ended (the round's outcome).
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("obligation event")
        verbose_name_plural = _("obligation events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"


class Notification(models.Model):
    """An in-app message (the bell); e-mailed as well when the user has an address."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    obligation = models.ForeignKey(
        Obligation, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    round = models.PositiveIntegerField(default=1)
    step = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(_("message"), max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]
        constraints = [
            # An escalation step tells each person once per round, however many
            # sweepers run.
            models.UniqueConstraint(
                fields=["obligation", "round", "step", "user"],
                name="one_notice_per_round_step_and_user",
                condition=Q(obligation__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.message
