"""Reminders. Interview reminders start in the public schema and enter the employers' schemas with one due; deadline
reminders read the seekers' trackers in the public schema."""

import logging

from django.utils import timezone
from django_tenants.utils import tenant_context

from jobpilot.applications.selectors import interviews_next_reminder_at
from jobpilot.applications.services import deadline_reminders_send, interview_reminders_send
from jobpilot.celery import app
from tenants.due_work import due_work_settle, tenants_with_due_work
from tenants.models import DueWork

logger = logging.getLogger(__name__)


@app.task(name="applications.send_interview_reminders", ignore_result=True)
def send_interview_reminders() -> int:
    """Remind seekers of interviews 24 hours and 1 hour ahead, each once (see `interview_reminders_send`), in the
    schemas where one is due (`tenants.models.DueWork`). One employer failing does not hold up the others; the
    next run retries it."""
    now = timezone.now()
    sent = 0
    for tenant in tenants_with_due_work(kind=DueWork.Kind.INTERVIEW_REMINDERS, now=now):
        try:
            with tenant_context(tenant):
                sent += interview_reminders_send(now=now)
                due_work_settle(kind=DueWork.Kind.INTERVIEW_REMINDERS, next_due=interviews_next_reminder_at)
        except Exception:
            logger.exception("Interview reminders of %s failed; the next run retries.", tenant.slug)
    return sent


@app.task(name="applications.send_deadline_reminders", ignore_result=True)
def send_deadline_reminders() -> int:
    """Remind seekers of application deadlines they track (once per deadline; see `deadline_reminders_send`)."""
    return deadline_reminders_send()
