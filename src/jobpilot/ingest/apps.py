from django.apps import AppConfig


class IngestConfig(AppConfig):
    """Imported job supply: sources (public ATS boards and feeds), their runs, and the jobs they brought in
    (SHARED_APPS: public schema). Listings are written through `marketplace.services`."""

    name = "jobpilot.ingest"
    default_auto_field = "django.db.models.BigAutoField"
