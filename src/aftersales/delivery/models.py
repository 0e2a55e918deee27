"""The channels messages leave through, as the administrator configures them: an SMTP
server, an SMS provider (Alibaba Cloud or Tencent Cloud, with the signature and the
template codes approved there), a DingTalk or WeCom group robot for team alerts, or a
log (the demo). Secrets never sit in the database: a channel names the environment
variable that holds its secret."""

from __future__ import annotations

import os
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Channel(models.Model):
    class Kind(models.TextChoices):
        SMTP = "smtp", _("E-mail (SMTP server)")
        ALIYUN_SMS = "aliyun_sms", _("SMS through Alibaba Cloud")
        TENCENT_SMS = "tencent_sms", _("SMS through Tencent Cloud")
        DINGTALK = "dingtalk", _("DingTalk group robot")
        WECOM = "wecom", _("WeCom group robot")
        LOG = "log", _("Log only (nothing leaves)")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    enabled = models.BooleanField(_("in use"), default=True)
    alerts = models.BooleanField(
        _("team alerts"),
        default=True,
        help_text=_("A group robot: escalations of late time limits and major complaints."),
    )
    endpoint = models.URLField(
        _("address"),
        max_length=500,
        blank=True,
        help_text=_(
            "The robot's webhook address; for SMS the provider's API address if not the public one."
        ),
    )
    key_id = models.CharField(
        _("key ID or user name"),
        max_length=200,
        blank=True,
        help_text=_("AccessKey ID (Alibaba), SecretId (Tencent) or the SMTP user."),
    )
    secret_env = models.CharField(
        _("environment variable holding the secret"),
        max_length=100,
        blank=True,
        help_text=_(
            "The name of the variable (e.g. ALIYUN_SMS_SECRET) set on the server, not the "
            "secret itself: AccessKey secret, SecretKey, SMTP password or the robot's "
            "signing secret."
        ),
    )
    sign_name = models.CharField(_("SMS signature"), max_length=50, blank=True)
    app_id = models.CharField(_("SMS application ID (Tencent)"), max_length=50, blank=True)
    region = models.CharField(_("region"), max_length=50, blank=True)
    templates = models.JSONField(
        _("SMS template codes"),
        default=dict,
        blank=True,
        help_text=_('Which approved template each kind of message uses: {"kind": "code"}.'),
    )
    host = models.CharField(_("SMTP server"), max_length=200, blank=True)
    port = models.PositiveIntegerField(
        _("SMTP port"), null=True, blank=True, validators=[MaxValueValidator(65535)]
    )
    security = models.CharField(
        _("SMTP security"),
        max_length=10,
        blank=True,
        choices=[("", _("None")), ("starttls", "STARTTLS"), ("ssl", "SSL/TLS")],
    )
    from_address = models.EmailField(_("sender address"), blank=True)
    timeout = models.PositiveSmallIntegerField(
        _("timeout (seconds)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("message channel")
        verbose_name_plural = _("message channels")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """What each kind needs, said before it is saved (not at the first message)."""
        sms = ["key_id", "secret_env", "sign_name", "templates"]
        needs: list[str] = {
            str(self.Kind.ALIYUN_SMS): sms,
            str(self.Kind.TENCENT_SMS): [*sms, "app_id"],
            str(self.Kind.DINGTALK): ["endpoint"],
            str(self.Kind.WECOM): ["endpoint"],
            str(self.Kind.SMTP): ["host", "from_address"],
        }.get(str(self.kind), [])
        errors = {
            field: _("Needed for this kind of channel.")
            for field in needs
            if not getattr(self, field)
        }
        if self.secret_env and not re.fullmatch(r"[A-Z_][A-Z0-9_]{0,99}", self.secret_env):
            errors["secret_env"] = _("An environment variable's name: capitals, digits and _.")
        if not isinstance(self.templates, dict) or not all(
            isinstance(k, str) and isinstance(v, str | int) for k, v in self.templates.items()
        ):
            errors["templates"] = _('Write {"kind of message": "template code"}.')
        if errors:
            raise ValidationError(errors)

    @property
    def secret(self) -> str:
        return os.environ.get(self.secret_env, "") if self.secret_env else ""


def webhook_secret() -> str:
    import secrets

    return secrets.token_urlsafe(32)


class WebhookSubscription(models.Model):
    """An integrator's receiver: the events it follows and the secret its bodies are
    signed with (HMAC-SHA256 over "timestamp.body")."""

    class Event(models.TextChoices):
        REQUEST_CREATED = "service_request.created", _("Service request created")
        LIMIT_BREACHED = "obligation.breached", _("Time limit breached")
        ORDER_COMPLETED = "work_order.completed", _("Work order completed")
        COMPLAINT_CLOSED = "complaint.closed", _("Complaint closed")

    name = models.CharField(_("name"), max_length=100, unique=True)
    url = models.URLField(_("receiver address"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(_("signing secret"), max_length=100, default=webhook_secret)
    enabled = models.BooleanField(_("in use"), default=True)
    timeout = models.PositiveSmallIntegerField(
        _("timeout (seconds)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    history = HistoricalRecords(excluded_fields=["secret"])

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        known = set(self.Event.values)
        if not isinstance(self.events, list) or not self.events or not set(self.events) <= known:
            raise ValidationError(
                {"events": _("Choose among: %(events)s.") % {"events": ", ".join(sorted(known))}}
            )


class WebhookDelivery(models.Model):
    """One event sent to one subscription: its body, every try's answer, and whether
    the receiver took it (a 2xx)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(_("event"), max_length=40)
    payload = models.JSONField(_("body"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    response_status = models.PositiveSmallIntegerField(_("answer"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"))
    next_try_at = models.DateTimeField(_("next try at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    replay_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_try_at"], name="webhook_due")]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription_id}"


def event_choices() -> list[tuple[str, Any]]:
    from aftersales.delivery.texts import EVENTS

    return [(key, event.label) for key, event in EVENTS.items()]


class MessageText(models.Model):
    """The administrator's words for one event's message on one channel (or all)."""

    event = models.CharField(_("message"), max_length=40, choices=event_choices)
    channel = models.CharField(
        _("channel"),
        max_length=10,
        blank=True,
        choices=[
            ("", _("Every channel")),
            ("sms", _("SMS")),
            ("email", _("E-mail")),
            ("robot", _("Group robot")),
        ],
    )
    subject = models.CharField(_("subject (e-mail)"), max_length=200, blank=True)
    body = models.TextField(_("text"), max_length=2000)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        constraints = [
            models.UniqueConstraint(fields=["event", "channel"], name="one_text_per_event_channel")
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.channel or '*'}"

    def clean(self) -> None:
        from aftersales.delivery.texts import EVENTS, unknown_variables

        if self.event not in EVENTS:
            raise ValidationError({"event": _("Choose a message.")})
        unknown = unknown_variables(self.event, f"{self.subject} {self.body}")
        if unknown:
            raise ValidationError(
                {
                    "body": _("Unknown variables: %(names)s. This message has: %(known)s.")
                    % {
                        "names": "、".join("{" + n + "}" for n in unknown),
                        "known": "、".join("{" + n + "}" for n in EVENTS[self.event].variables),
                    }
                }
            )


def role_choices() -> list[tuple[str, Any]]:
    from aftersales.accounts.roles import Role

    return [(code, label) for code, label in Role.choices if code != Role.CUSTOMER]


class Preference(models.Model):
    """Who hears what, and how: for a kind of staff alert, whether it comes by e-mail and
    by SMS. A role's row is the default for everyone holding the role (any of a person's
    roles asking for a channel turns it on); a person's own row replaces them. The bell
    (in-app) always has every alert; with no row, alerts come by e-mail, and urgent ones
    also by SMS to those who asked for that on their account page."""

    class Event(models.TextChoices):
        WARNING = "warning", _("A time limit is about to run out")
        ESCALATION = "escalation", _("A time limit has run out (and each escalation)")
        NEWS = "news", _("Other news: major complaints, regional warnings, problems passed on")

    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alert_preferences",
    )
    role = models.CharField(_("role"), max_length=30, blank=True, choices=role_choices)
    event = models.CharField(_("alert"), max_length=20, choices=Event)
    email = models.BooleanField(_("by e-mail"), default=True)
    sms = models.BooleanField(_("by SMS"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("alert preference")
        verbose_name_plural = _("alert preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "event"], name="pref_user_event", condition=models.Q(role="")
            ),
            models.UniqueConstraint(
                fields=["role", "event"],
                name="pref_role_event",
                condition=models.Q(user__isnull=True),
            ),
            models.CheckConstraint(
                condition=(models.Q(user__isnull=True) & ~models.Q(role=""))
                | (models.Q(user__isnull=False) & models.Q(role="")),
                name="pref_user_or_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user or self.get_role_display()} · {self.get_event_display()}"

    def clean(self) -> None:
        if (self.user_id is None) == (not self.role):
            raise ValidationError(_("Choose either a role or a person, not both."))
