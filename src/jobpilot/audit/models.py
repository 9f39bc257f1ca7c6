"""The employer's audit log: who did what, when and from where. In every tenant's schema (the schema is the
boundary between employers, so there is no tenant column). Append-only: the database refuses UPDATE, and DELETE
except in the retention pruning's own transaction (migration 0002)."""

from django.db import models


class AuditEntry(models.Model):
    # Who: a public-schema user (no foreign key across schemas; the email is kept so the entry outlives the
    # account) and/or the API key the request carried.
    actor_user_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_email = models.CharField(max_length=254, blank=True)
    api_key_id = models.BigIntegerField(null=True, blank=True)
    # What
    action = models.CharField(max_length=64, db_index=True)  # e.g. "job.publish", "member.role_change"
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    # From where
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_email or 'system'} {self.action}"
