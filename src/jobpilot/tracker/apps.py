from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "jobpilot.tracker"
    label = "tracker"
