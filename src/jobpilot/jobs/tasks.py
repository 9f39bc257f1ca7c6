"""Background work on postings. Tasks run in the schema they were sent from (tenant-schemas-celery); the beat
task below starts in the public schema and enters the employers' schemas itself."""

import logging

from django.utils import timezone
from django_tenants.utils import tenant_context

from jobpilot.celery import app
from jobpilot.jobs.selectors import job_postings_next_close_at
from jobpilot.jobs.services import job_posting_count_view, job_postings_expire
from tenants.due_work import due_work_settle, tenants_with_due_work
from tenants.models import DueWork

logger = logging.getLogger(__name__)


@app.task(name="jobs.count_view", ignore_result=True)
def count_job_view(posting_id: int) -> None:
    job_posting_count_view(posting_id=posting_id)


@app.task(name="jobs.expire_postings", ignore_result=True)
def expire_postings() -> int:
    """Close every active employer's postings past their expiry or deadline (which also takes them out of the
    marketplace; search already hides them from the moment they expire), entering only the schemas where one is
    due (`tenants.models.DueWork`). One transaction per employer, so one failing employer does not hold up the
    others."""
    now = timezone.now()
    closed = 0
    for tenant in tenants_with_due_work(kind=DueWork.Kind.POSTING_EXPIRY, now=now):
        try:
            with tenant_context(tenant):
                closed += job_postings_expire(now=now)
                due_work_settle(kind=DueWork.Kind.POSTING_EXPIRY, next_due=job_postings_next_close_at)
        except Exception:
            logger.exception("Expiring the postings of %s failed; the next run retries.", tenant.slug)
    return closed
