"""Choices several apps share."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    """故障等级 of service requests (R-SR-2); the severity columns of policies.md."""

    P1 = "P1", _("P1 critical fault")
    P2 = "P2", _("P2 major fault")
    P3 = "P3", _("P3 minor fault")
    CONSULT = "CONSULT", _("Consultation")
