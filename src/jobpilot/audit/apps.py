from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "jobpilot.audit"
    label = "audit"
    verbose_name = "Employers' audit log"
