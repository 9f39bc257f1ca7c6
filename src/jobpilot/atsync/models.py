"""An employer's connection to its own ATS job board (Greenhouse, Lever or Ashby). In every tenant's schema: the
schema is the boundary between employers, so there is no tenant column (and none must be added).

The board's jobs become the employer's own `JobPosting`s (marked with `source`, `ats_connection_id` and
`external_id`), written only through `jobs.services`, so the careers portal, the marketplace index, the changes
feed, webhooks, alerts and the plan's active-postings limit treat them like typed postings."""

from django.db import models


class AtsKind(models.TextChoices):
    GREENHOUSE = "greenhouse", "Greenhouse"
    LEVER = "lever", "Lever"
    ASHBY = "ashby", "Ashby"


class AtsConnection(models.Model):
    class SyncStatus(models.TextChoices):
        NEVER = "never"  # connected, not synced yet
        SUCCESS = "success"  # complete fetch: jobs gone from the board were closed
        PARTIAL = "partial"  # the fetch broke off: what came was written, nothing was closed
        FAILED = "failed"  # the board could not be read
        SKIPPED = "skipped"  # not run: the plan no longer includes ATS sync

    kind = models.CharField(max_length=16, choices=AtsKind.choices)
    # Greenhouse board token, Lever site name or Ashby job board name; the URL is built from the kind's base
    # (`settings.ATS_BOARD_BASE_URLS`), never taken from the employer, so a connection cannot point anywhere else.
    board = models.CharField(max_length=100)
    enabled = models.BooleanField(default=True, help_text="Synced by beat and 'Sync now' while on.")
    created_by_id = models.BigIntegerField(null=True, blank=True)  # a public-schema user: no foreign key
    created_at = models.DateTimeField(auto_now_add=True)

    # The last sync, written by each run.
    last_sync_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(max_length=16, choices=SyncStatus.choices, default=SyncStatus.NEVER)
    # fetched, new, updated, unchanged, reopened, closed, held (drafts for want of plan room), not_publishable,
    # rejected, and `reasons` for the rejected and unpublishable ones.
    last_counts = models.JSONField(default=dict, blank=True)
    # Up to `services.MAX_RECORDED_PROBLEMS` of {"ref", "title", "reason"}.
    last_problems = models.JSONField(default=list, blank=True)
    last_error = models.TextField(blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    healthy = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "board"], name="atsync_one_connection_per_board")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} board {self.board}"
