"""The two calendars of policies.md, with every year of statutory days the
installed holidays package knows. Edited afterwards on the calendar page."""

from django.db import migrations


def create(apps, schema_editor):
    from aftersales.calendars.defaults import ensure_default_calendars

    ensure_default_calendars(
        apps.get_model("calendars", "Calendar"),
        apps.get_model("calendars", "WorkingPeriod"),
        apps.get_model("calendars", "CalendarException"),
    )


def remove(apps, schema_editor):
    apps.get_model("calendars", "Calendar").objects.filter(code__in=["standard", "24x7"]).delete()


class Migration(migrations.Migration):
    dependencies = [("calendars", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
