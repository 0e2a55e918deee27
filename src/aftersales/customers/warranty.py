"""Warranty arithmetic (R-CUS-3, R-CUS-5): pure functions on dates.

The warranty period (质量保证期) runs from the acceptance date (验收合格日)
for ``warranty_months`` months; its last covered day is the day before the
same date that many months later (accepted 2025-03-15 for 12 months → covered
to 2026-03-14 inclusive). The maintenance period (质量维护期) follows the
warranty directly for ``maintenance_months`` months, with the same rule.
A month end is clamped (accepted 01-31 + 1 month → 02-28/29).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from aftersales.calendars.periods import add_months

ONE_DAY = dt.timedelta(days=1)
MAX_WARRANTY_MONTHS = 120
MAX_MAINTENANCE_MONTHS = 240


class WarrantyStatus(models.TextChoices):
    IN_WARRANTY = "in_warranty", _("In warranty")
    MAINTENANCE_CONTRACT = "maintenance_contract", _("Under maintenance")
    OUT_OF_WARRANTY = "out_of_warranty", _("Out of warranty")
    UNKNOWN = "unknown", _("Unknown")


def warranty_until(accepted_on: dt.date | None, months: int) -> dt.date | None:
    """Last day covered by the warranty; the day before acceptance when months is 0."""
    if accepted_on is None:
        return None
    return add_months(accepted_on, months) - ONE_DAY


def maintenance_until(
    accepted_on: dt.date | None, warranty_months: int, maintenance_months: int
) -> dt.date | None:
    """Last day of the maintenance period that follows the warranty, or None if there is none."""
    if accepted_on is None or not maintenance_months:
        return None
    return add_months(accepted_on, warranty_months + maintenance_months) - ONE_DAY


def warranty_status(
    *,
    on: dt.date,
    accepted_on: dt.date | None,
    warranty_until: dt.date | None,
    maintenance_until: dt.date | None,
    under_contract: bool,
) -> WarrantyStatus:
    """The equipment's status on a day: warranty first, then maintenance, then contract."""
    if accepted_on is not None and warranty_until is not None and on <= warranty_until:
        return WarrantyStatus.IN_WARRANTY
    if (accepted_on is not None and maintenance_until is not None and on <= maintenance_until) or (
        under_contract
    ):
        return WarrantyStatus.MAINTENANCE_CONTRACT
    if accepted_on is None:
        return WarrantyStatus.UNKNOWN
    return WarrantyStatus.OUT_OF_WARRANTY
