from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "jobpilot.webhooks"
    label = "webhooks"
