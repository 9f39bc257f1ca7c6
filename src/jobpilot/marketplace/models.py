"""The marketplace lives in the public schema: one index row per live job of every employer (and imported jobs),
and each seeker's saved jobs and saved searches."""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q

from jobpilot.jobs.models import JobType, RemoteOption, SalaryPeriod


class MarketplaceJob(models.Model):
    """The public projection of one live job: everything search filters on, ranks by or shows, so that search
    and the job page are one query in one schema.

    Invariant: a row exists exactly while its posting is published and its employer is active. It is written
    in the same transaction as the posting (see `marketplace.services`), never by anything else.
    """

    class Source(models.TextChoices):
        EMPLOYER = "employer"  # a posting in a tenant's schema
        IMPORTED = "imported"  # an external job brought in by ingest; no tenant

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.EMPLOYER)
    # WARNING: `tenant` + `posting_id` are how apply finds the posting in the right schema. They are never shown.
    tenant = models.ForeignKey(
        "tenants.Tenant", null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    posting_id = models.BigIntegerField(null=True, blank=True)
    source_name = models.CharField(
        max_length=100, blank=True, help_text="Imported jobs: the feed they came from."
    )
    source_ref = models.CharField(max_length=200, blank=True, help_text="Imported jobs: the feed's own id.")

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, db_index=False)
    company_name = models.CharField(max_length=200)
    company_slug = models.SlugField(max_length=100, db_index=False)
    company_logo_url = models.URLField(max_length=500, blank=True)
    department = models.CharField(max_length=100, blank=True)
    job_type = models.CharField(max_length=16, choices=JobType.choices)
    remote = models.CharField(max_length=8, choices=RemoteOption.choices)
    city = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=2, blank=True)
    location_text = models.CharField(max_length=250, blank=True)
    # Lower-cased city, region and country code: `location=berlin` or `location=berlin, de` match by containment.
    location_keys = ArrayField(models.CharField(max_length=100), default=list)
    applicant_countries = ArrayField(models.CharField(max_length=2), default=list)

    salary_min = models.PositiveIntegerField(null=True)
    salary_max = models.PositiveIntegerField(null=True)
    salary_currency = models.CharField(max_length=3, blank=True)
    salary_period = models.CharField(max_length=8, choices=SalaryPeriod.choices, blank=True)
    # Both ends converted to a yearly amount (a missing end copies the other) for salary filters and sorting.
    salary_annual_min = models.PositiveIntegerField(null=True)
    salary_annual_max = models.PositiveIntegerField(null=True)

    skills = ArrayField(models.CharField(max_length=50), default=list)
    skill_keys = ArrayField(models.CharField(max_length=50), default=list)  # lower-cased, for filtering
    tags = ArrayField(models.CharField(max_length=40), default=list)
    keywords = models.TextField(blank=True, help_text="Skills, tags and department as words, for search.")
    summary = models.CharField(max_length=300, blank=True)
    body_text = models.TextField(blank=True, help_text="Description and requirements as plain text.")
    # Detected once per write of the text (`search.language.detect`), so an index rebuild only reads it.
    language = models.CharField(
        max_length=2, blank=True, help_text="ISO 639-1 code of the listing's language; empty: not clear."
    )
    description_html = models.TextField(blank=True)
    requirements_html = models.TextField(blank=True)
    benefits_html = models.TextField(blank=True)
    screening_questions = models.JSONField(default=list)
    apply_url = models.URLField(max_length=500, blank=True)
    application_deadline = models.DateField(null=True)
    is_featured = models.BooleanField(default=False)

    published_at = models.DateTimeField()
    expires_at = models.DateTimeField(
        null=True, help_text="The earlier of expiry and the end of the deadline day."
    )
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "marketplace_job"
        indexes = [
            models.Index(F("published_at").desc(), F("id").desc(), name="mj_newest"),
            models.Index(F("tenant"), F("published_at").desc(), name="mj_tenant_newest"),
            models.Index(F("company_slug"), F("published_at").desc(), name="mj_company_newest"),
            models.Index(fields=["expires_at"], name="mj_expires_at"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "posting_id"], condition=Q(tenant__isnull=False), name="mj_unique_posting"
            ),
            models.UniqueConstraint(
                fields=["source_name", "source_ref"],
                condition=Q(source="imported"),
                name="mj_unique_imported",
            ),
            models.CheckConstraint(
                condition=(Q(source="employer") & Q(tenant__isnull=False) & Q(posting_id__isnull=False))
                | (Q(source="imported") & Q(tenant__isnull=True) & ~Q(source_ref="")),
                name="mj_source_consistent",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.company_name})"


class SavedJob(models.Model):
    """A seeker's bookmark. Keyed by the job's public id, not a foreign key: a job that closes and reopens (or
    is gone for good) keeps its place in the list, shown as no longer available."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_jobs", db_index=False
    )
    job_public_id = models.UUIDField()
    # The job's employer (null: an imported job), so that an employer's portal lists only its own saved jobs.
    tenant = models.ForeignKey(
        "tenants.Tenant", null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # What the seeker saw, for when the job has left the marketplace.
    title = models.CharField(max_length=200)
    company_name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "job_public_id"], name="saved_job_unique")]
        indexes = [models.Index(fields=["user", "-created_at"], name="saved_job_user_newest")]

    def __str__(self):
        return f"{self.user} saved {self.title}"


class SavedSearch(models.Model):
    """A seeker's query and filters, with how often they want to hear about new matches."""

    class Frequency(models.TextChoices):
        INSTANT = "instant", "Instant"
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"
        OFF = "off", "Off"  # kept, searchable, never alerted (the alert queries ask for the other three)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches", db_index=False
    )
    # Saved on an employer's portal: only that employer's jobs match. Null: the whole marketplace.
    tenant = models.ForeignKey(
        "tenants.Tenant", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(max_length=100)
    q = models.CharField(max_length=200, blank=True)
    filters = models.JSONField(default=dict, blank=True)
    frequency = models.CharField(max_length=8, choices=Frequency.choices, default=Frequency.DAILY)
    last_alerted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "-created_at"], name="saved_search_user_newest"),
            models.Index(fields=["frequency", "last_alerted_at"], name="saved_search_due"),
        ]

    def __str__(self):
        return f"{self.user}: {self.name}"


class DismissedJob(models.Model):
    """A seeker's "not interested": the job never comes back in their recommendations, and jobs like it rank
    lower. Keyed by public id like `SavedJob`; the title and company are kept to rank similar jobs lower after
    the job itself has closed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dismissed_jobs", db_index=False
    )
    job_public_id = models.UUIDField()
    title = models.CharField(max_length=200)
    company_name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "job_public_id"], name="dismissed_job_unique")]
        indexes = [models.Index(fields=["user", "-created_at"], name="dismissed_job_user_newest")]

    def __str__(self):
        return f"{self.user} dismissed {self.title}"
