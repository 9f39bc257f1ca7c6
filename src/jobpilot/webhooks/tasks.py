"""Webhook delivery in the background. `deliver` runs in the schema it was sent from (tenant-schemas-celery); the
beat task starts in the public schema and enters the schemas with deliveries due itself."""

import logging

from django.utils import timezone
from django_tenants.utils import tenant_context

from jobpilot.celery import app
from jobpilot.webhooks.selectors import webhook_deliveries_due, webhook_next_due_at
from jobpilot.webhooks.services import webhook_delivery_attempt
from tenants.due_work import due_work_settle, tenants_with_due_work
from tenants.models import DueWork

logger = logging.getLogger(__name__)


@app.task(name="webhooks.deliver", ignore_result=True)
def deliver(delivery_id: int) -> None:
    """One attempt, if the delivery is due and nobody else holds it (so a duplicate task is harmless)."""
    webhook_delivery_attempt(delivery_id=delivery_id)


@app.task(name="webhooks.send_due", ignore_result=True)
def send_due() -> int:
    """Queue every delivery whose retry time has come, or whose sender died mid-attempt, in the schemas where
    one is due (`tenants.models.DueWork`). Retries wait in the database, not in the broker: an ETA task hours
    ahead in Redis would be redelivered when its visibility timeout ran out, and sent twice."""
    now = timezone.now()
    queued = 0
    for tenant in tenants_with_due_work(kind=DueWork.Kind.WEBHOOK_DELIVERIES, now=now):
        try:
            with tenant_context(tenant):
                for delivery_id in webhook_deliveries_due(now=now):
                    deliver.delay(delivery_id)
                    queued += 1
                due_work_settle(kind=DueWork.Kind.WEBHOOK_DELIVERIES, next_due=webhook_next_due_at)
        except Exception:
            logger.exception("Queueing the webhook retries of %s failed; the next run retries.", tenant.slug)
    return queued
