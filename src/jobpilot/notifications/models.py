from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from jobpilot.notifications.types import EmailDelivery, NotificationType


class Notification(models.Model):
    """One event for one user (public schema). Ids only grow, so "everything after id N" is what a reconnecting
    websocket missed. `in_app` and `email` record the user's preference at the time it was created."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # The employer the event belongs to (staff events, pipeline events); None for the user's own account events.
    tenant = models.ForeignKey(
        "tenants.Tenant", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    type = models.CharField(max_length=40, choices=NotificationType.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)  # links ("url") and ids the client needs to act on it
    # Set by callers that may fire twice for one event (beat reminders, usage thresholds): one row per key.
    dedupe_key = models.CharField(max_length=200, blank=True, default="")
    in_app = models.BooleanField(default=True)
    email = models.CharField(max_length=8, choices=EmailDelivery.choices, default=EmailDelivery.OFF)
    emailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            # The feed and the websocket replay (recipient = %s AND id > %s ORDER BY id).
            models.Index(fields=["recipient", "id"], condition=Q(in_app=True), name="notif_feed"),
            # Unread count and the unread filter.
            models.Index(
                fields=["recipient", "id"],
                condition=Q(in_app=True, read_at__isnull=True),
                name="notif_unread",
            ),
            # Emails still to send (instant ones the sweeper retries, daily ones the digest collects).
            models.Index(
                fields=["email", "recipient"],
                condition=Q(emailed_at__isnull=True) & ~Q(email=EmailDelivery.OFF),
                name="notif_email_pending",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notif_unique_dedupe_key",
            )
        ]

    def __str__(self):
        return f"{self.type} #{self.pk} for {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """A user's choice for one notification type. No row means the type's default (see types.TYPE_DEFAULTS)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    type = models.CharField(max_length=40, choices=NotificationType.choices)
    in_app = models.BooleanField()
    email = models.CharField(max_length=8, choices=EmailDelivery.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "type"], name="notif_pref_unique_user_type")]

    def __str__(self):
        return f"{self.user_id} {self.type}: in_app={self.in_app} email={self.email}"
