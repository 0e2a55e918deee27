"""Escalation "at once" in natural time, and the rules added since (SP.BACKUP_RETURN,
RT.WINDOW) in databases that already had policies."""

from django.db import migrations


def forward(apps, schema_editor):
    from aftersales.obligations.defaults import A, ensure_default_policies

    Policy = apps.get_model("obligations", "Policy")
    Step = apps.get_model("obligations", "EscalationStep")
    Calendar = apps.get_model("calendars", "Calendar")
    natural = Calendar.objects.filter(code=A).first()
    if natural is not None:
        Step.objects.filter(delay_amount=0, delay_unit="working_hours").update(
            delay_unit="hours", delay_calendar=natural
        )
    ensure_default_policies(Policy, Step, Calendar)


class Migration(migrations.Migration):
    dependencies = [("obligations", "0003_repeat_window"), ("calendars", "0002_standard_and_24x7")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
