"""Reads for the employer's "Google for Jobs health" panel and the check made when a job is published."""

from dataclasses import dataclass

from django.utils import timezone

from jobpilot.jobs.selectors import job_postings_due_to_close
from jobpilot.marketplace.models import MarketplaceJob
from jobpilot.marketplace.selectors import marketplace_jobs_listed
from jobpilot.syndication.canonical import CanonicalPostings
from jobpilot.syndication.google_jobs import Check, google_jobs_check
from jobpilot.syndication.jsonld import job_posting_jsonld
from tenants.models import Tenant


@dataclass(frozen=True)
class JobHealth:
    posting: dict
    check: Check
    has_salary: bool
    is_remote: bool
    marked_telecommute: bool


@dataclass(frozen=True)
class Health:
    jobs: list[JobHealth]
    expired_still_published: int  # past expiry or deadline, not yet closed by the sweep (already unlisted)
    expired_in_index: int  # index rows past expiry (feeds, sitemap and search already leave them out)

    @property
    def listed(self) -> int:
        return len(self.jobs)

    @property
    def eligible(self) -> int:
        return sum(job.check.eligible for job in self.jobs)

    @property
    def with_salary(self) -> int:
        return sum(job.has_salary for job in self.jobs)

    @property
    def remote(self) -> int:
        return sum(job.is_remote for job in self.jobs)

    @property
    def remote_marked(self) -> int:
        return sum(job.marked_telecommute for job in self.jobs if job.is_remote)

    @property
    def coverage_percent(self) -> int:
        expected = sum(job.check.expected for job in self.jobs)
        return round(100 * sum(job.check.covered for job in self.jobs) / expected) if expected else 100


def _job_health(posting: dict) -> JobHealth:
    data = job_posting_jsonld(posting)
    return JobHealth(
        posting=posting,
        check=google_jobs_check(data),
        has_salary="baseSalary" in data,
        is_remote=posting["remote"] == "remote",
        marked_telecommute=data.get("jobLocationType") == "TELECOMMUTE",
    )


def google_jobs_health(*, tenant: Tenant, postings: CanonicalPostings) -> Health:
    """Every job the employer lists, checked as Google reads it. Call in the employer's schema (its host)."""
    jobs = [
        _job_health(postings.of(job))
        for job in marketplace_jobs_listed(tenant=tenant).iterator(chunk_size=200)
    ]
    now = timezone.now()
    return Health(
        jobs=jobs,
        expired_still_published=job_postings_due_to_close(now=now).count(),
        expired_in_index=MarketplaceJob.objects.filter(tenant=tenant, expires_at__lte=now).count(),
    )


def google_jobs_check_for_posting(*, tenant: Tenant, public_id, postings: CanonicalPostings) -> Check | None:
    """The check of one listed job (None when it is not listed), as run after it is published."""
    job = marketplace_jobs_listed(tenant=tenant).filter(public_id=public_id).first()
    return _job_health(postings.of(job)).check if job else None
