"""Analytics events: one append-only table in the public schema, partitioned by month (created by RunSQL in
0001; Django does not manage it). Keyed by tenant id + job public id so one query can serve an employer, the
marketplace and the platform; see docs/adr/0021-analytics-events.md."""

from django.db import models


class Event(models.Model):
    class Kind(models.TextChoices):
        IMPRESSION = "impression"  # never carries a seeker: a list shown says nothing about who looked
        VIEW = "view"
        APPLY_STARTED = "apply_started"
        APPLY_SUBMITTED = "apply_submitted"
        SAVE = "save"
        ALERT_CLICK = "alert_click"
        RECOMMENDATION_CLICK = "recommendation_click"

    class Source(models.TextChoices):
        MARKETPLACE = "marketplace"
        CAREERS_SITE = "careers_site"
        API = "api"
        ALERT_EMAIL = "alert_email"
        IMPORTED = "imported"

    id = models.BigAutoField(
        primary_key=True
    )  # the real key is (id, occurred_at): partitions need the key column
    occurred_at = models.DateTimeField()
    kind = models.CharField(max_length=24, choices=Kind.choices)
    source = models.CharField(max_length=16, choices=Source.choices)
    tenant_id = models.IntegerField(null=True)  # null: an imported listing
    job_public_id = models.UUIDField()
    seeker_id = models.IntegerField(null=True)
    utm = models.JSONField(default=dict)

    class Meta:
        managed = False
        db_table = "analytics_event"

    def __str__(self) -> str:
        return f"{self.kind} {self.job_public_id} at {self.occurred_at:%Y-%m-%d %H:%M}"
