from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "jobpilot.syndication"
    label = "syndication"
