"""Syncs of employers' ATS boards. `sync_connection` runs in the schema it was sent from (tenant-schemas-celery);
`sync_all` (beat) starts in the public schema and sends one per enabled connection from each employer's schema,
so a slow or failing board holds up nothing else and never another employer's. It enters only the schemas of
employers marked `syncs_ats` (at thousands of employers, entering every schema each tick costs seconds and grows
the worker's catalog cache by ~100 MB per 1,000 schemas, ADR 0010)."""

import logging

from django_tenants.utils import tenant_context

from jobpilot.atsync.models import AtsConnection
from jobpilot.atsync.services import ats_connection_sync
from jobpilot.celery import app
from jobpilot.core.errors import Conflict, NotFound
from tenants.models import Tenant
from tenants.selectors import employer_tenants

logger = logging.getLogger(__name__)


@app.task(name="atsync.sync_connection", ignore_result=True)
def sync_connection(connection_id: int) -> str | None:
    try:
        return ats_connection_sync(connection_id=connection_id).last_status
    except (Conflict, NotFound):
        return None  # a sync of it is under way (the next tick tries again), or it was disconnected


@app.task(name="atsync.sync_all", ignore_result=True)
def sync_all() -> int:
    sent = 0
    for tenant in employer_tenants().filter(status=Tenant.Status.ACTIVE, syncs_ats=True).order_by("pk"):
        try:
            with tenant_context(tenant):
                for connection_id in AtsConnection.objects.filter(enabled=True).values_list("pk", flat=True):
                    sync_connection.apply_async((connection_id,), retry=False)
                    sent += 1
        except Exception:
            logger.exception("Sending the ATS syncs of %s failed; the next tick retries.", tenant.slug)
    return sent
