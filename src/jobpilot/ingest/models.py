"""Sources of imported jobs, their runs and the jobs they brought in. All in the public schema.

An `ImportedJob` is ingest's own record of one item of one source: identity, provenance, lifecycle and the
keys dedupe looks at. What seekers see is its marketplace row (`MarketplaceJob`, `source="imported"`), written
only through `marketplace.services`; a duplicate or closed imported job has no row there.
"""

from datetime import timedelta

from django.db import models
from django.db.models import Q


class Source(models.Model):
    """One public job board or feed, addressed by the URL of its API or feed."""

    kind = models.CharField(max_length=32, help_text="The adapter: greenhouse, lever, ashby, rss, ...")
    name = models.CharField(max_length=100, unique=True)
    url = models.URLField(max_length=500)
    company_name = models.CharField(
        max_length=200, blank=True, help_text="The employer, for feeds that do not name it on every item."
    )
    every = models.DurationField(default=timedelta(hours=1), help_text="How often beat runs it.")
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # Health, written by each run.
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    # The last fetch that was complete and successful: every live job of the source was seen in it, so it is
    # also when each of them was last verified live (see `selectors.imported_job_last_verified`).
    last_complete_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    healthy = models.BooleanField(default=True)
    last_counts = models.JSONField(default=dict, blank=True)
    # Conditional-request validators of the source URL (ETag / Last-Modified) from the last complete fetch.
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)

    class Meta:
        indexes = [models.Index(fields=["enabled", "last_run_at"], name="ingest_source_due")]

    def __str__(self):
        return f"{self.name} ({self.kind})"


class SourceRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running"
        SUCCESS = "success"  # complete fetch: missing jobs were closed
        NOT_MODIFIED = "not_modified"  # 304: everything as before, verified live
        PARTIAL = "partial"  # the fetch broke off: what came was imported, nothing was closed
        FAILED = "failed"  # nothing could be fetched

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    # Up to `services.MAX_RECORDED_REJECTIONS` of {"ref", "reason"}; the count of all is in `counts`.
    rejections = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["source", "-started_at"], name="ingest_run_source_newest")]

    def __str__(self):
        return f"{self.source} run {self.started_at:%Y-%m-%d %H:%M} {self.status}"


class ImportedJob(models.Model):
    class Status(models.TextChoices):
        LIVE = "live"  # listed in the marketplace
        DUPLICATE = "duplicate"  # the same job is listed already (another source, or the employer's own)
        CLOSED = "closed"  # gone from the source's latest complete fetch
        EXPIRED = "expired"  # not verified live for `INGEST_EXPIRE_DAYS`

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="jobs")
    external_id = models.CharField(max_length=150)
    # Items of a source that are one job (Greenhouse: the job posts of one `internal_job_id`).
    group_id = models.CharField(max_length=150, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.LIVE)
    # The marketplace row's public id while listed; kept after closing so a reopened job keeps its id.
    public_id = models.UUIDField(null=True, blank=True)
    # The listed job this one repeats: an imported job's or an employer posting's marketplace public id.
    duplicate_of = models.UUIDField(null=True, blank=True)

    title = models.CharField(max_length=200)
    company_name = models.CharField(max_length=200)
    location_text = models.CharField(max_length=250, blank=True)
    url = models.URLField(max_length=500, help_text="The original posting.")

    # Dedupe keys (see `dedupe.py`).
    canonical_url = models.CharField(max_length=500)
    fingerprint = models.CharField(max_length=40)
    near_key = models.CharField(
        max_length=40, help_text="Company + location: where near-duplicates are looked for."
    )
    simhash = models.BigIntegerField()
    # Hash of everything normalized: equal means the item has not changed and nothing is written.
    content_hash = models.CharField(max_length=40)

    first_seen = models.DateTimeField()
    last_changed_at = models.DateTimeField()
    # Set when the item was written; the source's `last_complete_at` is the later verification of all its jobs.
    last_verified_live = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="ingest_job_identity"),
        ]
        # Plain btree indexes (db_index=True would add a second, LIKE-pattern one to every text column).
        indexes = [
            models.Index(fields=["canonical_url"], name="ingest_job_canonical_url"),
            models.Index(fields=["fingerprint"], name="ingest_job_fingerprint"),
            models.Index(fields=["near_key"], condition=Q(status="live"), name="ingest_job_near_live"),
            models.Index(fields=["source", "status"], name="ingest_job_source_status"),
        ]

    def __str__(self):
        return f"{self.title} ({self.source.name}:{self.external_id})"
