"""The Google Indexing API queue (public schema): one pending notification per job URL, sent within the daily
quota, new jobs and removals first. Off unless `GOOGLE_INDEXING_ENABLED`."""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class IndexingNotification(models.Model):
    class Kind(models.TextChoices):
        URL_UPDATED = "URL_UPDATED"
        URL_DELETED = "URL_DELETED"

    class Priority(models.IntegerChoices):
        FIRST = 0  # a new job, or a job gone: what Google for Jobs penalises when late
        LATER = 1  # an edit of a listed job

    url = models.URLField(max_length=600)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices)
    enqueued_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    gave_up_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            # Pending work is one row per URL: a later change replaces an unsent one (the last word wins).
            models.UniqueConstraint(
                fields=["url"],
                condition=Q(sent_at__isnull=True, gave_up_at__isnull=True),
                name="indexing_one_pending_per_url",
            ),
        ]
        indexes = [
            models.Index(
                fields=["priority", "enqueued_at"],
                name="indexing_pending_order",
                condition=Q(sent_at__isnull=True, gave_up_at__isnull=True),
            ),
            models.Index(fields=["sent_at"], name="indexing_sent_at"),
        ]

    def __str__(self):
        return f"{self.kind} {self.url}"
