from django.conf import settings
from django.db import migrations


def absolute_job_urls(apps, schema_editor):
    """Rows of applications made through JobPilot held the marketplace path (`/jobs/<id>/`), which an export could
    not import back (the import takes http(s) URLs only)."""
    TrackedApplication = apps.get_model("tracker", "TrackedApplication")
    for application in TrackedApplication.objects.filter(job_url__startswith="/").only("pk", "job_url"):
        TrackedApplication.objects.filter(pk=application.pk).update(
            job_url=f"{settings.SITE_URL}{application.job_url}"[:500]
        )


class Migration(migrations.Migration):
    dependencies = [("tracker", "0002_event_append_only")]

    operations = [migrations.RunPython(absolute_job_urls, migrations.RunPython.noop)]
