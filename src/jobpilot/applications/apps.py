from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "jobpilot.applications"
    label = "applications"
