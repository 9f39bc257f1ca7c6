from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "jobpilot.api"
    label = "api"
    verbose_name = "API customers"
