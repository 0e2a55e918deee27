"""Every unit gets its QR code key: added empty, filled for the units there are, then
made unique (one default for all existing rows would collide)."""

import secrets

from django.db import migrations, models

import aftersales.customers.models


def fill(apps, schema_editor):
    Equipment = apps.get_model("customers", "Equipment")
    batch = []
    for unit in Equipment.objects.filter(report_token__isnull=True).only("pk").iterator(2000):
        unit.report_token = secrets.token_urlsafe(12)
        batch.append(unit)
        if len(batch) == 2000:
            Equipment.objects.bulk_update(batch, ["report_token"])
            batch = []
    Equipment.objects.bulk_update(batch, ["report_token"])


class Migration(migrations.Migration):
    dependencies = [("customers", "0006_equipment_retired")]

    operations = [
        migrations.AddField(
            model_name="equipment",
            name="report_token",
            field=models.CharField(max_length=24, null=True, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="equipment",
            name="report_token",
            field=models.CharField(
                default=aftersales.customers.models.report_token,
                editable=False,
                max_length=24,
                unique=True,
            ),
        ),
    ]
