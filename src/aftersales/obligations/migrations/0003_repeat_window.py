"""SR.REPEAT (90 days): the window of R-SR-8, as a policy row like every other limit."""

from django.db import migrations


def add(apps, schema_editor):
    Policy = apps.get_model("obligations", "Policy")
    Calendar = apps.get_model("calendars", "Calendar")
    if Policy.objects.filter(rule="SR.REPEAT").exists():
        return
    calendar = Calendar.objects.filter(code="24x7").first()
    if calendar is not None:
        Policy.objects.create(rule="SR.REPEAT", severity="", amount=90, unit="days",
                              calendar=calendar, description="同一故障重复维修的判定期")


class Migration(migrations.Migration):
    dependencies = [("obligations", "0002_default_policies")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
