"""An employer's job postings and company profile. These tables exist in every tenant's schema: the schema is the
boundary between employers, so there is no tenant column here (and none must be added)."""

import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from jobpilot.core.time_zones import zone_or_utc
from tenants.due_work import due_work_schedule
from tenants.models import DueWork


def employer_time_zone() -> ZoneInfo:
    """The time zone of the employer whose schema is active (UTC until they choose one)."""
    name = (
        CompanyProfile.objects.filter(pk=CompanyProfile.SINGLETON_ID)
        .values_list("time_zone", flat=True)
        .first()
    )
    return zone_or_utc(name)


def deadline_end(deadline: date | None, zone: ZoneInfo | None = None) -> datetime | None:
    """A deadline is a whole day: applications close at the midnight that ends it, where the employer is."""
    if deadline is None:
        return None
    zone = zone or employer_time_zone()
    return datetime.combine(deadline + timedelta(days=1), time.min, tzinfo=zone).astimezone(UTC)


class JobType(models.TextChoices):
    FULL_TIME = "full_time", "Full-time"
    PART_TIME = "part_time", "Part-time"
    CONTRACT = "contract", "Contract"
    INTERNSHIP = "internship", "Internship"
    TEMPORARY = "temporary", "Temporary"


class RemoteOption(models.TextChoices):
    ONSITE = "onsite", "On-site"
    HYBRID = "hybrid", "Hybrid"
    REMOTE = "remote", "Remote"


class SalaryPeriod(models.TextChoices):
    YEAR = "year"
    MONTH = "month"
    WEEK = "week"
    DAY = "day"
    HOUR = "hour"


# Multipliers to a yearly amount, so that search can compare an hourly contract with a yearly salary.
ANNUAL_FACTOR = {
    SalaryPeriod.YEAR: 1,
    SalaryPeriod.MONTH: 12,
    SalaryPeriod.WEEK: 52,
    SalaryPeriod.DAY: 260,
    SalaryPeriod.HOUR: 2080,
}


class CompanyProfile(models.Model):
    """How the employer presents itself on its portal and in marketplace listings. One row per schema."""

    SINGLETON_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID, editable=False)
    name = models.CharField(max_length=200)
    tagline = models.CharField(max_length=200, blank=True)
    logo_url = models.URLField(max_length=500, blank=True)
    website = models.URLField(max_length=500, blank=True)
    about = models.TextField(blank=True, help_text="Sanitized HTML.")
    # The employer's own time zone (IANA name): an application deadline day ends at midnight there.
    time_zone = models.CharField(max_length=64, default="UTC")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="company_profile_singleton")]

    def __str__(self):
        return self.name


class JobPosting(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft"
        PUBLISHED = "published"
        CLOSED = "closed"
        ARCHIVED = "archived"

    class ClosedReason(models.TextChoices):
        MANUAL = "manual"
        EXPIRED = "expired"
        SOURCE = "source"  # gone from the employer's ATS board it is synced from (jobpilot.atsync)

    # A posting synced from the employer's ATS board: the board owns these fields, so nobody edits them here
    # (the console shows them read-only, `job_posting_update` refuses changes). Everything else stays the
    # employer's: requirements, benefits, skills, screening questions, featured, deadline, listing period.
    ATS_OWNED_FIELDS = (
        "title",
        "description",
        "department",
        "job_type",
        "tags",
        "city",
        "region",
        "country",
        "remote",
        "applicant_countries",
        "salary_min",
        "salary_max",
        "salary_currency",
        "salary_period",
        "apply_url",
    )

    # The id the world sees (marketplace, portal, API, applications). Row ids stay inside the schema.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=80, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    closed_reason = models.CharField(max_length=16, choices=ClosedReason.choices, blank=True)

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="Sanitized HTML.")
    requirements = models.TextField(blank=True, help_text="Sanitized HTML.")
    benefits = models.TextField(blank=True, help_text="Sanitized HTML.")
    department = models.CharField(max_length=100, blank=True)
    job_type = models.CharField(max_length=16, choices=JobType.choices, default=JobType.FULL_TIME)
    tags = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    skills = ArrayField(models.CharField(max_length=50), default=list, blank=True)

    city = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2, upper case.")
    remote = models.CharField(max_length=8, choices=RemoteOption.choices, default=RemoteOption.ONSITE)
    # For remote and hybrid roles: the countries applicants must live in (empty: anywhere).
    applicant_countries = ArrayField(models.CharField(max_length=2), default=list, blank=True)

    salary_min = models.PositiveIntegerField(null=True, blank=True)
    salary_max = models.PositiveIntegerField(null=True, blank=True)
    salary_currency = models.CharField(max_length=3, default="USD")
    salary_period = models.CharField(max_length=8, choices=SalaryPeriod.choices, default=SalaryPeriod.YEAR)

    application_deadline = models.DateField(null=True, blank=True)
    # The moment the deadline day is over in the employer's time zone; kept by `save()` (see `deadline_end`).
    deadline_ends_at = models.DateTimeField(null=True, blank=True, editable=False)
    apply_url = models.URLField(
        max_length=500, blank=True, help_text="Apply on the employer's own site instead."
    )
    screening_questions = models.JSONField(default=list, blank=True)

    # Provenance. "" for a posting typed into JobPilot; else the ATS it is synced from ("greenhouse", "lever",
    # "ashby"), the connection (`atsync.AtsConnection`, same schema; no foreign key so that the jobs app does not
    # depend on it) and the job's id on that board. A disconnected board leaves `source` and `external_id` as
    # history and clears `ats_connection_id`: the posting is then the employer's to edit.
    source = models.CharField(max_length=16, blank=True)
    ats_connection_id = models.BigIntegerField(null=True, blank=True)
    external_id = models.CharField(max_length=150, blank=True)
    # Hash of the board's item as last written: equal means unchanged, and a re-sync writes nothing.
    external_hash = models.CharField(max_length=40, blank=True)

    is_featured = models.BooleanField(default=False)
    view_count = models.PositiveIntegerField(default=0)
    application_count = models.PositiveIntegerField(default=0)

    # No foreign key: users live in the public schema, and a cross-schema constraint would make the public
    # user table impossible to truncate or delete from without touching every tenant.
    created_by_id = models.BigIntegerField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "-updated_at"], name="jobposting_status_updated"),
            # The expiry sweep looks only at published postings.
            models.Index(
                fields=["expires_at"], name="jobposting_published_expiry", condition=Q(status="published")
            ),
            models.Index(
                fields=["deadline_ends_at"],
                name="jobposting_published_deadline",
                condition=Q(status="published"),
            ),
        ]
        constraints = [
            # One posting per job of a connected board (a re-sync updates it, never duplicates it).
            models.UniqueConstraint(
                fields=["ats_connection_id", "external_id"],
                condition=Q(ats_connection_id__isnull=False),
                name="jobposting_ats_identity",
            ),
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True)
                | Q(salary_max__isnull=True)
                | Q(salary_min__lte=models.F("salary_max")),
                name="jobposting_salary_range_ordered",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Derived here so that no write path can store a deadline without the moment it ends.
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "application_deadline" in update_fields:
            self.deadline_ends_at = deadline_end(self.application_deadline)
            if update_fields is not None:
                kwargs["update_fields"] = [*update_fields, "deadline_ends_at"]
        super().save(*args, **kwargs)
        if self.status == self.Status.PUBLISHED and self.closes_at:
            # The expiry beat enters this schema when its first published posting closes (ADR 0010).
            due_work_schedule(kind=DueWork.Kind.POSTING_EXPIRY, at=self.closes_at)

    @property
    def is_synced(self) -> bool:
        """Kept in sync with a connected ATS board (its `ATS_OWNED_FIELDS` are the board's)."""
        return self.ats_connection_id is not None

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def closes_at(self) -> datetime | None:
        """When the posting stops taking applications: its expiry or the end of its deadline day in the
        employer's time zone, whichever comes first."""
        candidates = [moment for moment in (self.expires_at, self.deadline_ends_at) if moment is not None]
        return min(candidates) if candidates else None
