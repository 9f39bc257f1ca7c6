from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "jobpilot.notifications"
    label = "notifications"
    verbose_name = "Notifications"
