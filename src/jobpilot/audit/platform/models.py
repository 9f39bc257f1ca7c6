"""What platform staff did (plan assignments, impersonation...): in the public schema, append-only like the
employers' logs (the database refuses UPDATE and DELETE, migration 0002)."""

from django.db import models


class PlatformAuditEntry(models.Model):
    actor = models.CharField(max_length=254)  # the staff user's email, or the command/test that acted
    action = models.CharField(max_length=64, db_index=True)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action}"
