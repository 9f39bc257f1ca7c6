from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "jobpilot.analytics"
    label = "analytics"

    def ready(self):
        from celery.signals import worker_process_shutdown

        from jobpilot.analytics import capture

        # A worker process's events leave with it (interpreter exit is covered by capture's atexit hook, which a
        # prefork child skips).
        worker_process_shutdown.connect(capture.drain_at_exit, dispatch_uid="analytics-drain", weak=False)
