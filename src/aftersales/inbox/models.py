"""The service mailbox (R-SR-1, channel 邮件): each mail that reached it, what became of
it, and where it is read from (an IMAP mailbox, or piped in by the mail server)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class Mailbox(models.Model):
    """An IMAP mailbox polled every minute; its password comes from the environment."""

    class Security(models.TextChoices):
        SSL = "ssl", _("SSL/TLS")
        STARTTLS = "starttls", _("STARTTLS")
        NONE = "none", _("None (a server on this machine only)")

    name = models.CharField(_("name"), max_length=100, unique=True)
    enabled = models.BooleanField(_("in use"), default=True)
    host = models.CharField(_("IMAP server"), max_length=200)
    port = models.PositiveIntegerField(_("port"), null=True, blank=True)
    security = models.CharField(
        _("connection security"), max_length=10, choices=Security, default=Security.SSL
    )
    username = models.CharField(_("user name"), max_length=200)
    secret_env = models.CharField(
        _("environment variable holding the password"),
        max_length=100,
        help_text=_("The name of the variable, e.g. INBOX_PASSWORD; never the password itself."),
    )
    folder = models.CharField(_("folder"), max_length=100, default="INBOX")
    timeout = models.PositiveSmallIntegerField(_("timeout (seconds)"), default=30)
    last_polled_at = models.DateTimeField(_("last read at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service mailbox")
        verbose_name_plural = _("service mailboxes")

    def __str__(self) -> str:
        return self.name


class InboundMail(models.Model):
    class Outcome(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("mail", "Received")
        REQUEST = "request", _("Became a service request")
        ADDED = "added", _("Added to a service request")
        TRIAGE = "triage", _("Waiting for an agent")
        IGNORED = "ignored", _("Ignored: sent by a machine")
        DISCARDED = "discarded", _("Discarded")

    message_id = models.CharField(_("message ID"), max_length=250, unique=True)
    in_reply_to = models.CharField(_("in reply to"), max_length=250, blank=True)
    sender = models.EmailField(_("sender"), max_length=254, blank=True)
    sender_name = models.CharField(_("sender's name"), max_length=100, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    text = models.TextField(_("text"), max_length=20000, blank=True)
    received_at = models.DateTimeField(_("received at"))
    size = models.PositiveIntegerField(_("size"), default=0)
    source = models.CharField(_("read from"), max_length=100, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome, default=Outcome.RECEIVED
    )
    why = models.CharField(_("why"), max_length=300, blank=True)
    skipped = models.JSONField(_("attachments not kept"), default=list, blank=True)
    contact = models.ForeignKey(
        "customers.Contact",
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    service_request = models.ForeignKey(
        "service.ServiceRequest",
        verbose_name=_("service request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mails",
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("incoming mail")
        verbose_name_plural = _("incoming mail")
        indexes = [
            models.Index(fields=["outcome", "-received_at"], name="mail_outcome"),
            models.Index(fields=["sender", "-received_at"], name="mail_sender"),
        ]

    def __str__(self) -> str:
        return self.subject or self.message_id

    @property
    def why_shown(self) -> str:
        """Why the system left the mail to an agent, or ignored it, in the reader's words
        (the agent's own reason for discarding one is kept as they wrote it)."""
        return str(WHY.get(self.why, self.why))


# The system's reasons, kept by key so each reader reads them in their language.
WHY = {
    "no-sender": _("The mail gives no sender address."),
    "unknown": _("The sender is not a contact of any customer."),
    "several": _("The sender is a contact of several customers: choose which."),
    "no-phone": _("The sender's contact has no phone number: the request needs one."),
    "loop": _("Too many mails from this address within an hour: taken as a loop."),
    "auto": _("An automatic reply (out of office, auto-responder)."),
    "bulk": _("A mailing list or bulk mail."),
    "bounce": _("A delivery failure notice from a mail server."),
    "ours": _("The system's own mail, come back."),
}
