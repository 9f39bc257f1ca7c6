from django.apps import AppConfig


class JobsConfig(AppConfig):
    """An employer's job postings and company profile, stored in the employer's own schema (TENANT_APPS)."""

    name = "jobpilot.jobs"
    label = "jobs"
    default_auto_field = "django.db.models.BigAutoField"
