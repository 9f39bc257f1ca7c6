"""Syncs of employers' ATS boards. `sync_connection` runs in the schema it was sent from (tenant-schemas-celery);
`sync_all` (beat) starts in the public schema and sends one per enabled connection from each employer's schema,
so a slow or failing board holds up nothing else and never another employer's. It enters only the schemas whose
boards are due (`tenants.models.DueWork`, ADR 0010)."""

import logging

from django.utils import timezone
from django_tenants.utils import tenant_context

from jobpilot.atsync.services import ats_connection_sync, ats_connections_enabled, sync_interval
from jobpilot.celery import app
from jobpilot.core.errors import Conflict, NotFound
from tenants.due_work import due_work_settle, tenants_with_due_work
from tenants.models import DueWork

logger = logging.getLogger(__name__)


@app.task(name="atsync.sync_connection", ignore_result=True)
def sync_connection(connection_id: int) -> str | None:
    try:
        return ats_connection_sync(connection_id=connection_id).last_status
    except (Conflict, NotFound):
        return None  # a sync of it is under way (the next tick tries again), or it was disconnected


@app.task(name="atsync.sync_all", ignore_result=True)
def sync_all() -> int:
    now = timezone.now()
    sent = 0
    for tenant in tenants_with_due_work(kind=DueWork.Kind.ATS_SYNC, now=now):
        try:
            with tenant_context(tenant):
                for connection_id in ats_connections_enabled():
                    sync_connection.apply_async((connection_id,), retry=False)
                    sent += 1
                due_work_settle(
                    kind=DueWork.Kind.ATS_SYNC,
                    next_due=lambda: now + sync_interval() if ats_connections_enabled() else None,
                )
        except Exception:
            logger.exception("Sending the ATS syncs of %s failed; the next tick retries.", tenant.slug)
    return sent
