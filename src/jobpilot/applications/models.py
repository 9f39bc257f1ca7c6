"""The employer's side of an application, in the tenant's schema: the candidate's snapshot, the tenant's pipeline
stages, the append-only history, internal notes, interviews and scorecards.

Users live in the public schema: rows keep user ids as plain integers (no cross-schema foreign keys), like
`JobPosting.created_by_id`. The seeker's tracker row in the public schema points back here by (tenant, id).
"""

from datetime import timedelta

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone

from jobpilot.tracker.models import PublicStatus

# Statuses a stage may map to (withdrawal is the seeker's act, never a stage).
STAGE_PUBLIC_STATUSES = [choice for choice in PublicStatus.choices if choice[0] != PublicStatus.WITHDRAWN]


class PipelineStage(models.Model):
    """One column of the tenant's pipeline. New applications enter the `is_initial` stage."""

    name = models.CharField(max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(default=0)
    public_status = models.CharField(max_length=16, choices=STAGE_PUBLIC_STATUSES)
    is_initial = models.BooleanField(default=False)
    # A moved-in application needs one of `rejection_reasons` when the list is not empty.
    rejection_reasons = ArrayField(models.CharField(max_length=120), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_initial"], condition=Q(is_initial=True), name="stage_one_initial"
            ),
        ]

    def __str__(self):
        return self.name


class Application(models.Model):
    """What the candidate sent, as sent: later profile edits do not change it."""

    class Source(models.TextChoices):
        MARKETPLACE = "marketplace", "JobPilot marketplace"
        CAREER_SITE = "career_site", "The employer's career site"

    job = models.ForeignKey("jobs.JobPosting", on_delete=models.PROTECT, related_name="applications")
    stage = models.ForeignKey(PipelineStage, on_delete=models.PROTECT, related_name="applications")
    stage_entered_at = models.DateTimeField(default=timezone.now)
    rejection_reason = models.CharField(max_length=120, blank=True)

    # The candidate's snapshot. Cleared (except the counts it feeds) when the seeker deletes the account.
    seeker_user_id = models.BigIntegerField(null=True, blank=True)
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    resume_public_id = models.UUIDField(null=True, blank=True)
    resume_filename = models.CharField(max_length=255, blank=True)
    cover_letter = models.TextField(blank=True)
    answers = models.JSONField(default=list, blank=True)  # [{"question_id", "question", "answer"}]
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.MARKETPLACE)
    # The seeker's plan had "Shown first to employers" (PRIORITY_IN_EMPLOYER_VIEWS) when they applied: such
    # applications lead every employer list. A snapshot like the rest: a later downgrade does not reorder them.
    priority = models.BooleanField(default=False)
    # The seeker's match score (0-100, `matching.scoring.match_score`) for the job when they applied, with the
    # resume sent: a snapshot like the rest, so analytics keeps it after the job closes or the resume changes.
    # Null: nothing to score (the job not understood yet, nothing known of the seeker).
    match_score = models.PositiveSmallIntegerField(null=True, blank=True)

    # Average overall rating of the scorecards, kept by the scorecard services so lists filter on a column.
    rating = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    anonymized_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-priority", "-created_at", "-id"]
        indexes = [
            models.Index(fields=["job", "stage"], name="application_job_stage"),
            models.Index(fields=["stage", "-created_at"], name="application_stage_created"),
        ]
        constraints = [
            # The employer-side guard against applying twice (the tracker's unique index is the other).
            models.UniqueConstraint(
                fields=["job", "seeker_user_id"],
                condition=Q(seeker_user_id__isnull=False),
                name="application_one_per_seeker_and_job",
            ),
        ]

    def __str__(self):
        return f"{self.name} for {self.job_id}"

    @property
    def is_open(self) -> bool:
        return self.withdrawn_at is None and self.anonymized_at is None


class StatusChange(models.Model):
    """Append-only history: services only ever insert. Time in stage is read from it."""

    class Kind(models.TextChoices):
        APPLIED = "applied"
        MOVED = "moved"
        WITHDRAWN = "withdrawn"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="history")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    from_stage = models.ForeignKey(
        PipelineStage, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_stage = models.ForeignKey(
        PipelineStage, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=120, blank=True)
    # The staff member who moved it (a public-schema user id). Never the seeker: the kind says what the seeker
    # did, and the history must not keep a link to a seeker who deletes the account.
    actor_id = models.BigIntegerField(null=True, blank=True)
    occurred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["application", "occurred_at"], name="statuschange_app_time")]

    def __str__(self):
        return f"{self.kind} of {self.application_id} at {self.occurred_at:%Y-%m-%d %H:%M}"


class Note(models.Model):
    """Internal to the employer: no seeker-facing endpoint, export or sync reads this table."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    author_id = models.BigIntegerField(null=True, blank=True)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Note {self.pk} on {self.application_id}"


class Interview(models.Model):
    # The seeker is reminded this long before the start: 1 hour, and 24 hours (`reminded_1h_at`, `reminded_24h_at`).
    REMINDER_HORIZONS = (timedelta(hours=1), timedelta(hours=24))

    class Kind(models.TextChoices):
        PHONE = "phone"
        VIDEO = "video"
        ONSITE = "onsite"
        OTHER = "other"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled"
        CANCELLED = "cancelled"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="interviews")
    title = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.VIDEO)
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    interviewers = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    location = models.CharField(max_length=300, blank=True)
    meeting_url = models.URLField(max_length=500, blank=True)
    feedback = models.TextField(blank=True)  # internal
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    # Set once each reminder has gone out; cleared when the interview moves.
    reminded_24h_at = models.DateTimeField(null=True, blank=True)
    reminded_1h_at = models.DateTimeField(null=True, blank=True)
    created_by_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(
                fields=["starts_at"], name="interview_scheduled_start", condition=Q(status="scheduled")
            ),
        ]

    def __str__(self):
        return f"Interview {self.pk} on {self.application_id} at {self.starts_at:%Y-%m-%d %H:%M}"


class Scorecard(models.Model):
    """One reviewer's assessment of a candidate. Internal to the employer."""

    class Recommendation(models.TextChoices):
        STRONG_NO = "strong_no"
        NO = "no"
        YES = "yes"
        STRONG_YES = "strong_yes"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="scorecards")
    author_id = models.BigIntegerField()
    overall = models.PositiveSmallIntegerField()  # 1..5
    ratings = models.JSONField(default=dict, blank=True)  # {"criterion": 1..5}
    recommendation = models.CharField(max_length=12, choices=Recommendation.choices, blank=True)
    comments = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "author_id"], name="scorecard_one_per_reviewer"),
            models.CheckConstraint(
                condition=Q(overall__gte=1, overall__lte=5), name="scorecard_overall_1_to_5"
            ),
        ]

    def __str__(self):
        return f"Scorecard {self.overall}/5 on {self.application_id}"
