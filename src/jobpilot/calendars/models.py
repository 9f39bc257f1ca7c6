"""A user's private calendar feed (public schema). The URL carries a secret token; only its SHA-256 is stored,
so the URL is shown once, when it is made or reset."""

from django.conf import settings
from django.db import models


class CalendarFeed(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_read_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Calendar feed of {self.user_id}"
