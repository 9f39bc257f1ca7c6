from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "jobpilot.inbox"
    label = "inbox"
