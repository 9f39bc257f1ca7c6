from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jobpilot.core"
    label = "core"
