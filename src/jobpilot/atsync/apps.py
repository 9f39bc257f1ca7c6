from django.apps import AppConfig


class AtsyncConfig(AppConfig):
    name = "jobpilot.atsync"
    label = "atsync"
    verbose_name = "Employers' ATS boards"
