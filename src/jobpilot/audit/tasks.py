"""Retention of the employers' audit logs: once a day, each employer's entries older than its plan allows go."""

import logging

from django_tenants.utils import tenant_context

from billing.entitlements import plan_of
from billing.selectors import billing_account_for_tenant
from jobpilot.audit.services import audit_entries_prune
from jobpilot.celery import app
from tenants.selectors import employer_tenants

logger = logging.getLogger(__name__)


@app.task(name="audit.prune_all", ignore_result=True)
def prune_all() -> int:
    pruned = 0
    for tenant in employer_tenants().order_by("pk"):
        try:
            days = plan_of(billing_account_for_tenant(tenant)).audit_retention_days
            with tenant_context(tenant):
                pruned += audit_entries_prune(retention_days=days)
        except Exception:
            logger.exception("Pruning the audit log of %s failed; tomorrow's run retries.", tenant.slug)
    return pruned
