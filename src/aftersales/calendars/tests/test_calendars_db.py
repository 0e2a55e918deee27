import datetime as dt

import chinese_calendar
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from tests import factories

from aftersales.calendars import selectors, services
from aftersales.calendars.checks import statutory_days_present
from aftersales.calendars.models import Calendar, CalendarException
from aftersales.calendars.signals import calendar_changed

from .conftest import DAYS_OFF_2026, MAKEUP_2026, at, d

pytestmark = pytest.mark.django_db


def _all_days(year):
    day = dt.date(year, 1, 1)
    while day.year == year:
        yield day
        day += dt.timedelta(days=1)


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_migrated_standard_calendar_agrees_with_chinesecalendar_every_day(year):
    spec = selectors.calendar_spec(Calendar.objects.get(code="standard"))
    disagree = [
        day
        for day in _all_days(year)
        if bool(spec.periods_on(day)) != chinese_calendar.is_workday(day)
    ]
    assert disagree == []


def test_the_2026_schedule_is_the_one_in_policies_md():
    standard = Calendar.objects.get(code="standard")
    weekday_offs = {
        e.date
        for e in standard.exceptions.filter(date__year=2026, kind="day_off")
        if e.date.weekday() < 5
    }
    makeups = set(
        standard.exceptions.filter(date__year=2026, kind="workday").values_list("date", flat=True)
    )
    assert weekday_offs == {d(x) for x in DAYS_OFF_2026}
    assert makeups == {d(x) for x in MAKEUP_2026}


def test_the_migrated_calendars_give_the_policies_examples():
    standard = selectors.work_calendar("standard")
    assert standard.add(at("2026-09-18T16:00"), 8, "working_hours") == at("2026-09-20T16:00")
    assert standard.add(at("2026-09-30T10:00"), 3, "working_days") == at("2026-10-10T18:00")
    always = selectors.work_calendar("24x7")
    assert always.add(at("2026-10-01T03:00"), 10, "working_minutes") == at("2026-10-01T03:10")


def test_a_change_rebuilds_the_cached_arithmetic(users):
    standard = Calendar.objects.get(code="standard")
    before = selectors.work_calendar("standard")
    services.exception_add(
        actor=users.manager,
        calendar=standard,
        date=dt.date(2026, 9, 21),
        kind="day_off",
        name="公司年会",
    )
    after = selectors.work_calendar("standard")
    assert after is not before
    assert after.add(at("2026-09-21T09:00"), 1, "working_hours") == at("2026-09-22T10:00")


def test_a_change_is_announced_after_commit(users, django_capture_on_commit_callbacks):
    heard = []
    calendar_changed.connect(
        lambda sender, calendar, **kw: heard.append(calendar.code),
        weak=False,
        dispatch_uid="test-heard",
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.exception_add(
                actor=users.manager,
                calendar=Calendar.objects.get(code="standard"),
                date=dt.date(2026, 9, 22),
                kind="day_off",
            )
    finally:
        calendar_changed.disconnect(dispatch_uid="test-heard")
    assert heard == ["standard"]


def test_contradicting_exceptions_on_one_date_are_refused(users):
    standard = Calendar.objects.get(code="standard")
    with pytest.raises(ValidationError) as error:
        services.exception_add(
            actor=users.manager, calendar=standard, date=dt.date(2026, 10, 10), kind="day_off"
        )
    assert "date" in error.value.message_dict
    assert standard.exceptions.get(date=dt.date(2026, 10, 10)).kind == "workday"


def test_overlapping_periods_are_refused(users):
    with factories.refused("periods"):
        services.calendar_create(
            actor=users.manager,
            code="shifts",
            name="两班",
            periods=[(0, dt.time(8), dt.time(12)), (0, dt.time(11), dt.time(15))],
        )
    assert not Calendar.objects.filter(code="shifts").exists()


def test_import_keeps_days_edited_by_hand(users):
    standard = Calendar.objects.get(code="standard")
    national_day = standard.exceptions.get(date=dt.date(2026, 10, 1))
    services.exception_update(actor=users.manager, exception=national_day, name="国庆（手工）")
    result = services.statutory_days_import(actor=users.manager, calendar=standard, year=2026)
    assert result["kept"] == 1
    assert standard.exceptions.get(date=dt.date(2026, 10, 1)).name == "国庆（手工）"
    assert standard.exceptions.filter(date__year=2026).count() == 28


def test_importing_an_unannounced_year_is_refused(users):
    with factories.refused("year"):
        services.statutory_days_import(
            actor=users.manager, calendar=Calendar.objects.get(code="standard"), year=2031
        )


def test_the_import_command(capsys):
    call_command("import_statutory_days", "2025")
    assert "2025:" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("today", "warns"),
    [("2026-10-31", False), ("2026-11-01", True), ("2026-12-31", True), ("2026-03-01", False)],
)
def test_from_november_a_missing_next_year_is_warned(today, warns):
    with time_machine.travel(dt.datetime.fromisoformat(f"{today}T12:00+08:00"), tick=False):
        warnings = statutory_days_present(None)
    assert bool(warnings) is warns
    if warns:
        assert "2027" in warnings[0].msg


def test_no_warning_once_next_year_is_entered(users):
    standard = Calendar.objects.get(code="standard")
    services.exception_add(
        actor=users.manager,
        calendar=standard,
        date=dt.date(2027, 1, 1),
        kind="day_off",
        name="元旦",
    )
    with time_machine.travel(dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC), tick=False):
        assert statutory_days_present(None) == []


def test_calendar_edits_are_audited(users):
    standard = Calendar.objects.get(code="standard")
    added = services.exception_add(
        actor=users.manager,
        calendar=standard,
        date=dt.date(2026, 9, 23),
        kind="day_off",
        name="停电",
    )
    assert added.history.get().history_user == users.manager
    assert CalendarException.objects.filter(date=dt.date(2026, 9, 23)).exists()
