"""The platform staff's audit log (public schema). `platform_record(...)` is the one way to write it."""


def platform_record(*, actor, action: str, target=None, before=None, after=None):
    from jobpilot.audit.context import current_origin
    from jobpilot.audit.platform.models import PlatformAuditEntry

    return PlatformAuditEntry.objects.using("default").create(
        actor=getattr(actor, "email", None) or str(actor or "system"),
        action=action,
        target_type=target._meta.model_name if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        before=before or {},
        after=after or {},
        ip=current_origin().ip,
    )
