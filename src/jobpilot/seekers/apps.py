from django.apps import AppConfig


class SeekersConfig(AppConfig):
    name = "jobpilot.seekers"
    label = "seekers"
