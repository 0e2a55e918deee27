"""One run of a spreadsheet import: what file, of which kind, by whom, checked only or
imported, and its report (every bad row with its column and reason)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ImportRun(models.Model):
    class Kind(models.TextChoices):
        CUSTOMERS = "customers", _("Customers")
        SITES = "sites", _("Customer sites")
        CONTACTS = "contacts", _("Contacts")
        PRODUCT_MODELS = "product_models", _("Product models")
        PARTS = "parts", _("Spare parts")
        EQUIPMENT = "equipment", _("Equipment")
        CONTRACTS = "contracts", _("Maintenance contracts")
        SALES_ORDERS = "sales_orders", _("Sales orders")

    class Outcome(models.TextChoices):
        QUEUED = "queued", _("Waiting to run")
        RUNNING = "running", pgettext_lazy("import", "Running")
        CHECKED = "checked", _("Checked only")
        IMPORTED = "imported", _("Imported")
        REFUSED = "refused", _("Nothing imported: bad rows")
        UNREADABLE = "unreadable", _("The file could not be read")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    mode = models.CharField(_("what to do"), max_length=10, default="check")
    file_name = models.CharField(_("file"), max_length=200)
    # The file itself when it ran in the background (never served publicly).
    upload = models.FileField(_("file"), upload_to="imports/%Y/%m/", blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    problems = models.JSONField(_("problems"), default=list, blank=True)  # the first 1,000
    problem_count = models.PositiveIntegerField(_("rows with problems"), default=0)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("run by"), on_delete=models.PROTECT
    )
    run_at = models.DateTimeField(_("run at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-run_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.file_name}"

    @property
    def skipped_some(self) -> bool:
        """Imported the good rows and left out others."""
        return self.outcome == self.Outcome.IMPORTED and self.problem_count > 0

    @property
    def wrote_nothing(self) -> bool:
        return self.skipped_some and not (self.created or self.updated)

    @property
    def done(self) -> bool:
        return self.outcome not in (self.Outcome.QUEUED, self.Outcome.RUNNING)
