"""Reads of the current tenant's audit log."""

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from jobpilot.audit.models import AuditEntry


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_entry_list(
    *, actor: str = "", action: str = "", since: date | None = None, until: date | None = None
) -> QuerySet[AuditEntry]:
    """Newest first. `actor` matches the actor's email (contains), `action` an exact action or a prefix ending in
    "." ("job." for every job action); `since`/`until` are inclusive days."""
    entries = AuditEntry.objects.all()
    if actor:
        entries = entries.filter(actor_email__icontains=actor)
    if action:
        entries = (
            entries.filter(action__startswith=action)
            if action.endswith(".")
            else entries.filter(action=action)
        )
    if since:
        entries = entries.filter(created_at__gte=_start_of(since))
    if until:
        entries = entries.filter(created_at__lt=_start_of(until + timedelta(days=1)))
    return entries
