"""The default time limits and escalation ladder of policies.md."""

from django.db import migrations


def create(apps, schema_editor):
    from aftersales.obligations.defaults import ensure_default_policies

    ensure_default_policies(
        apps.get_model("obligations", "Policy"),
        apps.get_model("obligations", "EscalationStep"),
        apps.get_model("calendars", "Calendar"),
    )


def remove(apps, schema_editor):
    apps.get_model("obligations", "Policy").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("obligations", "0001_initial"), ("calendars", "0002_standard_and_24x7")]
    operations = [migrations.RunPython(create, remove)]
