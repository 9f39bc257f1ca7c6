from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    """The public job index over every employer (and imported jobs), saved jobs and saved searches (SHARED_APPS)."""

    name = "jobpilot.marketplace"
    label = "marketplace"
    default_auto_field = "django.db.models.BigAutoField"
