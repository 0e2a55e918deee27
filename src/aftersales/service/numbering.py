"""Gapless, never-reused document numbers (R-WO-2).

A number is taken inside the transaction that creates its document, from a
counter row locked for the rest of that transaction: if the transaction rolls
back, so does the counter, so no gap appears; two writers queue on the row
(PostgreSQL's row lock; SQLite's single writer), so none is given twice.
A voided document keeps its number.
"""

from __future__ import annotations

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _


class NumberSeries(models.Model):
    code = models.CharField(_("series"), max_length=30, unique=True)  # e.g. "WX-2026"
    last = models.PositiveBigIntegerField(_("last number given"), default=0)

    class Meta:
        verbose_name = _("number series")
        verbose_name_plural = _("number series")

    def __str__(self) -> str:
        return f"{self.code}: {self.last}"


def next_number(series: str) -> int:
    """The next number of ``series``; call inside the creating transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside the transaction that uses the number")
    for _attempt in range(3):
        updated = NumberSeries.objects.filter(code=series).select_for_update().first()
        if updated is None:
            try:
                with transaction.atomic():  # a savepoint: a lost creation race is retried
                    NumberSeries.objects.create(code=series, last=0)
            except IntegrityError:
                pass
            continue
        updated.last += 1
        updated.save(update_fields=["last"])
        return updated.last
    raise RuntimeError(f"could not take a number from series {series}")


def formatted(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:06d}"
