from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "jobpilot.calendars"
    label = "calendars"
