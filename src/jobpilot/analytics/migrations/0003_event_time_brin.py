"""A BRIN index on the events' time: the rollup of a day reads that day's rows out of its month's partition. Events
are appended in time order, so block ranges map to narrow time ranges and the index stays a few pages per
partition (a B-tree would cost every COPY); BRIN is core PostgreSQL, no extension."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("analytics", "0002_rollups")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX analytics_event_occurred_brin ON analytics_event USING brin (occurred_at);",
            "DROP INDEX analytics_event_occurred_brin;",
        )
    ]
