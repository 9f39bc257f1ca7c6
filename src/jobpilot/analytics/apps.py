from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "jobpilot.analytics"
    label = "analytics"

    def ready(self):
        from django.core.signals import request_finished

        from jobpilot.analytics import capture

        # After the response: the request's events leave the process in one Redis round trip.
        request_finished.connect(capture.flush_request_buffer, dispatch_uid="analytics-flush")
