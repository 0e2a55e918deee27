"""One run of a spreadsheet import: what file, of which kind, by whom, checked only or
imported, and its report (every bad row with its column and reason)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    class Kind(models.TextChoices):
        CUSTOMERS = "customers", _("Customers")
        EQUIPMENT = "equipment", _("Equipment")

    class Outcome(models.TextChoices):
        CHECKED = "checked", _("Checked only")
        IMPORTED = "imported", _("Imported")
        REFUSED = "refused", _("Nothing imported: bad rows")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    file_name = models.CharField(_("file"), max_length=200)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    problems = models.JSONField(_("problems"), default=list)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("run by"), on_delete=models.PROTECT
    )
    run_at = models.DateTimeField(_("run at"), auto_now_add=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-run_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.file_name}"
