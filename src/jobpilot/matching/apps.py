from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "jobpilot.matching"
    label = "matching"
