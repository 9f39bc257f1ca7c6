"""The seeker's application tracker, in the public schema: every application the seeker made through JobPilot
(linked to the employer's application in its schema) and the ones they track by hand."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class PublicStatus(models.TextChoices):
    """What a seeker sees. The employer's pipeline maps each of its stages to one of these."""

    APPLIED = "applied", "Applied"
    IN_REVIEW = "in_review", "In review"
    INTERVIEWING = "interviewing", "Interviewing"
    OFFER = "offer", "Offer"
    HIRED = "hired", "Hired"
    NOT_SELECTED = "not_selected", "Not selected"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Statuses that mean the employer answered, and how far along the funnel each one is.
RESPONDED_STATUSES = frozenset(
    {
        PublicStatus.IN_REVIEW,
        PublicStatus.INTERVIEWING,
        PublicStatus.OFFER,
        PublicStatus.HIRED,
        PublicStatus.NOT_SELECTED,
    }
)
INTERVIEW_OR_LATER = frozenset({PublicStatus.INTERVIEWING, PublicStatus.OFFER, PublicStatus.HIRED})
OFFER_OR_LATER = frozenset({PublicStatus.OFFER, PublicStatus.HIRED})
CLOSED_STATUSES = frozenset({PublicStatus.HIRED, PublicStatus.NOT_SELECTED, PublicStatus.WITHDRAWN})


class TrackedApplication(models.Model):
    class Source(models.TextChoices):
        JOBPILOT = "jobpilot", "Applied through JobPilot"
        EXTERNAL = "external", "Tracked by hand"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    seeker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tracked_applications"
    )
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.EXTERNAL)

    # The link to the employer's copy, set only by the apply flow (never from request input or a CSV).
    # WARNING: (tenant, resume) on these rows is what lets that tenant's members download the resume.
    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    tenant_application_id = models.PositiveBigIntegerField(null=True, blank=True)
    job_public_id = models.UUIDField(null=True, blank=True)
    resume = models.ForeignKey(
        "seekers.Resume",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tracked_applications",
    )

    company = models.CharField(max_length=200)
    title = models.CharField(max_length=200)
    job_url = models.URLField(max_length=500, blank=True)
    location = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=16, choices=PublicStatus.choices, default=PublicStatus.APPLIED)
    applied_on = models.DateField(default=timezone.localdate)
    deadline = models.DateField(null=True, blank=True)
    salary_min = models.PositiveIntegerField(null=True, blank=True)
    salary_max = models.PositiveIntegerField(null=True, blank=True)
    salary_currency = models.CharField(max_length=3, blank=True)
    notes = models.TextField(blank=True)
    contacts = models.JSONField(default=list, blank=True)  # [{"name", "email", "phone", "role"}]

    # Denormalized from the status history so the dashboard is one aggregate query. "Ever reached", never unset.
    status_changed_at = models.DateTimeField(default=timezone.now)
    responded = models.BooleanField(default=False)
    # When the first answer was *seen* (a change away from Applied); null for rows created already answered.
    first_response_at = models.DateTimeField(null=True, blank=True)
    reached_interview = models.BooleanField(default=False)
    reached_offer = models.BooleanField(default=False)
    # The job as it was when the seeker applied (title, description, salary, location), kept after the posting
    # is gone: {"title", "description_html", "salary", "location", "captured_at", "source"}; {} when unknown.
    job_snapshot = models.JSONField(default=dict, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-applied_on", "-created_at"]
        indexes = [
            models.Index(fields=["seeker", "-applied_on", "-created_at"], name="tracked_seeker_applied"),
            models.Index(fields=["resume", "tenant"], name="tracked_resume_tenant"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "tenant_application_id"],
                condition=Q(tenant_application_id__isnull=False),
                name="tracked_unique_employer_application",
            ),
            # One tracker row per marketplace job: applying twice fails here even under concurrency.
            models.UniqueConstraint(
                fields=["seeker", "job_public_id"],
                condition=Q(job_public_id__isnull=False),
                name="tracked_unique_seeker_job",
            ),
            models.CheckConstraint(
                condition=Q(source="jobpilot")
                | Q(tenant__isnull=True, tenant_application_id__isnull=True, resume__isnull=True),
                name="tracked_external_has_no_employer_link",
            ),
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True)
                | Q(salary_max__isnull=True)
                | Q(salary_min__lte=models.F("salary_max")),
                name="tracked_salary_range_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.title} at {self.company}"

    @property
    def is_external(self) -> bool:
        return self.source == self.Source.EXTERNAL


class TrackedApplicationEvent(models.Model):
    """Append-only history of a tracked application (a database trigger refuses UPDATE); also the activity feed."""

    class Kind(models.TextChoices):
        CREATED = "created"
        STATUS_CHANGED = "status_changed"
        INTERVIEW_SCHEDULED = "interview_scheduled"
        INTERVIEW_UPDATED = "interview_updated"
        INTERVIEW_CANCELLED = "interview_cancelled"

    class Actor(models.TextChoices):
        SEEKER = "seeker"
        EMPLOYER = "employer"
        IMPORT = "import"

    application = models.ForeignKey(TrackedApplication, on_delete=models.CASCADE, related_name="events")
    seeker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    actor = models.CharField(max_length=16, choices=Actor.choices)
    from_status = models.CharField(max_length=16, choices=PublicStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=PublicStatus.choices, blank=True)
    data = models.JSONField(default=dict, blank=True)
    occurred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["seeker", "-occurred_at", "-id"], name="tracked_event_seeker_feed"),
            models.Index(fields=["application", "occurred_at"], name="tracked_event_application"),
        ]

    def __str__(self):
        return f"{self.kind} {self.from_status}->{self.to_status}"


class TrackedInterview(models.Model):
    """An interview the seeker has: added by hand on an external application, or mirrored from the employer's
    pipeline (`employer_interview_id` set). Holds only what the candidate is told, never feedback or notes."""

    class Kind(models.TextChoices):
        PHONE = "phone", "Phone"
        VIDEO = "video", "Video"
        ONSITE = "onsite", "On-site"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled"
        CANCELLED = "cancelled"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    application = models.ForeignKey(TrackedApplication, on_delete=models.CASCADE, related_name="interviews")
    seeker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    employer_interview_id = models.PositiveBigIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.VIDEO)
    title = models.CharField(max_length=200, blank=True)
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    location = models.CharField(max_length=300, blank=True)
    meeting_url = models.URLField(max_length=500, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["seeker", "starts_at"], name="tracked_interview_upcoming")]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "employer_interview_id"],
                condition=Q(employer_interview_id__isnull=False),
                name="tracked_interview_unique_employer_id",
            )
        ]

    def __str__(self):
        return f"{self.kind} interview at {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def from_employer(self) -> bool:
        return self.employer_interview_id is not None
