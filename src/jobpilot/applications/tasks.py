"""Interview reminders. The beat task starts in the public schema and enters each active employer's schema."""

import logging

from django.utils import timezone
from django_tenants.utils import tenant_context

from jobpilot.applications.services import interview_reminders_send
from jobpilot.celery import app
from tenants.models import Tenant
from tenants.selectors import employer_tenants

logger = logging.getLogger(__name__)


@app.task(name="applications.send_interview_reminders", ignore_result=True)
def send_interview_reminders() -> int:
    """Remind seekers of interviews 24 hours and 1 hour ahead, each once (see `interview_reminders_send`). One
    employer failing does not hold up the others; the next run retries it."""
    now = timezone.now()
    sent = 0
    for tenant in employer_tenants().filter(status=Tenant.Status.ACTIVE).order_by("pk"):
        try:
            with tenant_context(tenant):
                sent += interview_reminders_send(now=now)
        except Exception:
            logger.exception("Interview reminders of %s failed; the next run retries.", tenant.slug)
    return sent
