"""The listing's detected language becomes a column of the index row, written with the row's text, so an index
rebuild reads it instead of detecting it per document (0.4-3.5 ms a listing). Existing rows are filled here, in
batches by primary key (each its own transaction), so the first rebuild after the upgrade already has every row's
language."""

from django.db import migrations, models

BATCH = 1_000


def detect_languages(apps, schema_editor):
    from jobpilot.search.language import detect

    MarketplaceJob = apps.get_model("marketplace", "MarketplaceJob")
    last = 0
    while True:
        rows = list(
            MarketplaceJob.objects.filter(pk__gt=last).order_by("pk").only("pk", "title", "body_text")[:BATCH]
        )
        if not rows:
            return
        for row in rows:
            row.language = detect(row.title, row.body_text)
        MarketplaceJob.objects.bulk_update([row for row in rows if row.language], ["language"])
        last = rows[-1].pk


class Migration(migrations.Migration):
    # Not one transaction: the column is added (and its table lock released) at once, then each batch commits
    # on its own, so a large table is not locked for the minutes its detection takes.
    atomic = False

    dependencies = [("marketplace", "0005_dismissed_jobs")]

    operations = [
        migrations.AddField(
            model_name="marketplacejob",
            name="language",
            field=models.CharField(
                blank=True,
                help_text="ISO 639-1 code of the listing's language; empty: not clear.",
                max_length=2,
            ),
        ),
        migrations.RunPython(detect_languages, migrations.RunPython.noop, elidable=True),
    ]
