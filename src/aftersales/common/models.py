"""What the system tells people outside it: every SMS or e-mail, kept (R-CP-10, R-FB-3)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboundMessage(models.Model):
    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("E-mail")

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        LOGGED = "logged", _("Logged (demo mode, not sent)")
        FAILED = "failed", _("Failed")

    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    to = models.CharField(_("to"), max_length=200)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"), max_length=2000)
    at = models.DateTimeField(_("at"))
    status = models.CharField(_("status"), max_length=10, choices=Status)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("content_type", "object_id")

    class Meta:
        verbose_name = _("message sent")
        verbose_name_plural = _("messages sent")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="msg_about")]

    def __str__(self) -> str:
        return f"{self.channel} → {self.to}"
