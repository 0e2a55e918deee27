"""What the system tells people outside it: every SMS or e-mail, kept (R-CP-10, R-FB-3)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OutboundMessage(models.Model):
    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("E-mail")
        ROBOT = "robot", _("Group robot")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        LOGGED = "logged", _("Logged (demo mode, not sent)")
        FAILED = "failed", _("Failed")

    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    to = models.CharField(pgettext_lazy("recipient", "to"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"), max_length=2000)
    at = models.DateTimeField(_("at"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(pgettext_lazy("sending", "attempts"), default=0)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    # What the message is (its SMS template is chosen by it): "arrival", "survey", …
    kind = models.CharField(_("kind of message"), max_length=30, blank=True)
    reference = models.CharField(_("provider's reference"), max_length=100, blank=True)
    next_try_at = models.DateTimeField(_("next try at"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("kind of record"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    object_id = models.PositiveBigIntegerField(_("record number"), null=True, blank=True)
    about = GenericForeignKey("content_type", "object_id")

    class Meta:
        verbose_name = _("message sent")
        verbose_name_plural = _("messages sent")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="msg_about"),
            models.Index(fields=["status", "-at"], name="msg_status"),
        ]
        permissions = [("resend_outboundmessage", _("Can send undelivered messages again"))]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.to}"

    @property
    def reason(self) -> str:
        """Why it was not delivered, in the reader's words (the channel's answer kept in
        ``detail``)."""
        from aftersales.delivery.readable import reason

        return reason(self.detail) if self.detail else ""


def _attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name is ours (a random token and the sniffed type's extension);
    # the uploader's file name is kept only as text.
    return f"attachments/{instance.uploaded_at:%Y/%m}/{filename}"


class Attachment(models.Model):
    """A file kept as evidence on a record (photos of a defect, a regulator's letter).

    Files are never served from a public folder: the download view checks that
    the user may see the record the file belongs to. Attachments are not edited
    or deleted; a wrong one is withdrawn with a reason and stays on record.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    about = GenericForeignKey("content_type", "object_id")
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    mime = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    # None: sent without an account, by whoever scanned the unit's QR code.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_reason = models.CharField(_("reason withdrawn"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="attachment_about")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.mime.startswith("image/")

    @property
    def uploader_name(self) -> str:
        if self.uploaded_by is None:
            return str(_("the person who scanned the unit's code"))
        return self.uploaded_by.get_full_name() or self.uploaded_by.username


class Transition(models.Model):
    """A status change of any record that keeps no log of its own (see lifecycle.py):
    from which status to which, when, by whom, and why."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="transition_record")]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class IdempotentRequest(models.Model):
    """An API create sent with an ``Idempotency-Key``: what it answered, so a client that
    retries after a dropped connection gets the first answer, not a second record."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("idempotency key"), max_length=100)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("status"), null=True, blank=True)
    body = models.JSONField(_("answer"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("idempotent request")
        verbose_name_plural = _("idempotent requests")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_user_key")]

    def __str__(self) -> str:
        return self.key
