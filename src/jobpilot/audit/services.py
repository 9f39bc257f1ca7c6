"""Writes to the audit log: `record(...)`, called as one line from the services whose actions are audited, and the
retention pruning (the only delete the database lets through)."""

from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from jobpilot.audit.context import current_origin
from jobpilot.audit.models import AuditEntry


def record(
    *,
    actor,
    action: str,
    target=None,
    target_type: str = "",
    target_id="",
    before=None,
    after=None,
    tenant=None,
) -> AuditEntry:
    """One entry in the tenant's log, in the caller's transaction (an action rolled back leaves no entry). The
    tenant is the current schema's unless `tenant` is given (services that run in the public schema give it).
    `target` is a model instance (its model name and pk are used) or give `target_type`/`target_id`."""
    if tenant is not None and connection.schema_name != tenant.schema_name:
        with tenant_context(tenant):
            return record(
                actor=actor,
                action=action,
                target=target,
                target_type=target_type,
                target_id=target_id,
                before=before,
                after=after,
            )
    origin = current_origin()
    if target is not None:
        target_type = target_type or target._meta.model_name
        target_id = target_id or target.pk
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor_user_id=user.pk if user else None,
        actor_email=user.email if user else "",
        api_key_id=origin.api_key_id,
        action=action,
        target_type=target_type,
        target_id="" if target_id is None else str(target_id),
        before=before or {},
        after=after or {},
        ip=origin.ip,
        user_agent=origin.user_agent,
    )


@transaction.atomic
def audit_entries_prune(*, retention_days: int, now=None) -> int:
    """Delete the current tenant's entries older than the plan's retention. The trigger allows a DELETE only when
    this transaction has set `jobpilot.audit_prune`."""
    cutoff = (now or timezone.now()) - timedelta(days=retention_days)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL jobpilot.audit_prune = 'on'")
        try:
            deleted, _ = AuditEntry.objects.filter(created_at__lt=cutoff).delete()
        finally:
            # Off again at once: inside an outer transaction SET LOCAL would last until that one ends.
            cursor.execute("SET LOCAL jobpilot.audit_prune = 'off'")
    return deleted
