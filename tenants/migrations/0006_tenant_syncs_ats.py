from django.db import migrations, models


def mark_tenants_with_enabled_boards(apps, schema_editor):
    """Existing employers: one query per schema that has the connections table (a schema copied from an older
    template may not)."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_schema FROM information_schema.tables WHERE table_name = 'atsync_atsconnection'"
        )
        schemas = [row[0] for row in cursor.fetchall()]
        for schema in schemas:
            cursor.execute(
                "UPDATE tenants_tenant SET syncs_ats = true WHERE schema_name = %s AND EXISTS "
                f'(SELECT 1 FROM "{schema}".atsync_atsconnection WHERE enabled)',
                [schema],
            )


class Migration(migrations.Migration):
    dependencies = [
        ("tenants", "0005_invitations"),
    ]

    operations = [
        migrations.AddField(
            model_name="tenant",
            name="syncs_ats",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(mark_tenants_with_enabled_boards, migrations.RunPython.noop),
    ]
