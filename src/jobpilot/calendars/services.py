"""Writes of calendar feeds: make or reset a user's secret feed URL, turn it off, note a read."""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from jobpilot.calendars.models import CalendarFeed
from jobpilot.calendars.selectors import token_hash


@transaction.atomic
def calendar_feed_reset(*, user) -> str:
    """A new secret token for the user's feed (the old URL stops working at once). Returns the token: the only
    time it is known."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(user=user, defaults={"token_hash": token_hash(token)})
    return token


def calendar_feed_delete(*, user) -> None:
    CalendarFeed.objects.filter(user=user).delete()


def calendar_feed_mark_read(*, feed: CalendarFeed) -> None:
    # At most one write a minute per feed: calendar apps poll.
    now = timezone.now()
    if feed.last_read_at is None or now - feed.last_read_at > timedelta(minutes=1):
        CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=now)
