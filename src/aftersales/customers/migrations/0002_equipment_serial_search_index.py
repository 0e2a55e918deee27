"""A PostgreSQL index for case-insensitive serial-number lookups and prefix
search (UPPER(serial_number) LIKE 'ABC%'), which the plain unique index cannot
serve under a non-C collation. SQLite, the small embedded default, skips it."""

from django.db import migrations

INDEX = "customers_equipment_serial_upper_pattern"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON customers_equipment "
            "(UPPER(serial_number::text) text_pattern_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("customers", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
