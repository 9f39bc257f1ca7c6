"""Reminders. Interview reminders start in the public schema and enter each active employer's schema; deadline
reminders read the seekers' trackers in the public schema."""

import logging

from django.utils import timezone
from django_tenants.utils import tenant_context

from jobpilot.applications.services import deadline_reminders_send, interview_reminders_send
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


@app.task(name="applications.send_deadline_reminders", ignore_result=True)
def send_deadline_reminders() -> int:
    """Remind seekers of application deadlines they track (once per deadline; see `deadline_reminders_send`)."""
    return deadline_reminders_send()
