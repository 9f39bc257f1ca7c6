from django.apps import AppConfig


class PlatformAuditConfig(AppConfig):
    name = "jobpilot.audit.platform"
    label = "platform_audit"
    verbose_name = "Platform staff audit log"
