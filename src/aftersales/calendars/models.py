"""Working calendars: time zone, weekly working periods, dated exceptions."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(_("Unknown time zone %(tz)s."), params={"tz": value}) from error


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Calendar(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Shanghai", validators=[validate_time_zone]
    )
    is_24x7 = models.BooleanField(
        _("around the clock"), default=False, help_text=_("Every minute is working time.")
    )
    makeup_weekday = models.PositiveSmallIntegerField(
        _("make-up workdays work like"), choices=Weekday, default=Weekday.MONDAY
    )
    # Bumped by every change to the calendar, its periods or exceptions; the
    # arithmetic caches key on it.
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("working calendar")
        verbose_name_plural = _("working calendars")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class WorkingPeriod(models.Model):
    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="periods")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday)
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("to"), help_text=_("00:00 means midnight at the end of the day."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("working period")
        verbose_name_plural = _("working periods")
        ordering = ["calendar", "weekday", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")) | Q(ends_at=dt.time(0, 0)),
                name="period_ends_after_start",
                violation_error_message=_("A working period must end after it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    @property
    def minutes(self) -> tuple[int, int]:
        start = self.starts_at.hour * 60 + self.starts_at.minute
        end = self.ends_at.hour * 60 + self.ends_at.minute
        return start, end or 24 * 60


class CalendarException(models.Model):
    """A dated exception: a day off (holiday) or a make-up workday (调休上班)."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Day off")
        WORKDAY = "workday", _("Make-up workday")

    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="exceptions")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    name = models.CharField(_("name"), max_length=100, blank=True)
    imported = models.BooleanField(_("imported"), default=False, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["calendar", "date"]
        constraints = [
            # One date is either a day off or a workday, never both.
            models.UniqueConstraint(fields=["calendar", "date"], name="one_exception_per_date")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"
