"""Reads for notifications. Every feed query is scoped to one recipient."""

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from jobpilot.notifications.models import Notification, NotificationPreference
from jobpilot.notifications.types import TYPE_DEFAULTS, EmailDelivery, NotificationType, TypeDefaults


def notification_feed(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's in-app notifications, newest first."""
    # WARNING: the recipient filter is the only thing between one user and another's notifications.
    feed = Notification.objects.filter(recipient=user, in_app=True).select_related("tenant").order_by("-id")
    return feed.filter(read_at__isnull=True) if unread_only else feed


def notification_unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, in_app=True, read_at__isnull=True).count()


def notifications_since(*, user_id: int, after_id: int, limit: int) -> list[Notification]:
    """What a reconnecting socket missed: the user's in-app notifications with an id above `after_id`, oldest
    first, at most `limit`."""
    return list(
        Notification.objects.filter(recipient_id=user_id, in_app=True, id__gt=after_id)
        .select_related("tenant")
        .order_by("id")[:limit]
    )


def newest_notification_id(*, user_id: int) -> int:
    newest = (
        Notification.objects.filter(recipient_id=user_id, in_app=True)
        .order_by("-id")
        .values_list("id", flat=True)
    ).first()
    return newest or 0


def preferences_for(*, user_ids: list[int], type: NotificationType) -> dict[int, TypeDefaults]:
    """Each user's channels for one type: their own choice, else the type's default. One query."""
    default = TYPE_DEFAULTS[type]
    chosen = {
        user_id: TypeDefaults(in_app=in_app, email=EmailDelivery(email))
        for user_id, in_app, email in NotificationPreference.objects.filter(
            user_id__in=user_ids, type=type
        ).values_list("user_id", "in_app", "email")
    }
    return {user_id: chosen.get(user_id, default) for user_id in user_ids}


def notification_preferences(*, user) -> list[dict]:
    """Every type with the user's effective channels, in the registry's order."""
    chosen = {pref.type: pref for pref in NotificationPreference.objects.filter(user=user)}
    rows = []
    for type in NotificationType:
        effective = chosen.get(type.value) or TYPE_DEFAULTS[type]
        rows.append(
            {
                "type": type.value,
                "label": type.label,
                "in_app": effective.in_app,
                "email": effective.email,
                "is_default": type.value not in chosen,
            }
        )
    return rows


def digest_recipient_ids() -> list[int]:
    """Users with daily-digest notifications not yet emailed."""
    return list(
        Notification.objects.filter(email=EmailDelivery.DAILY, emailed_at__isnull=True)
        .values_list("recipient_id", flat=True)
        .distinct()
        .order_by("recipient_id")
    )


def stale_instant_email_ids(*, older_than: timedelta, limit: int = 500) -> list[int]:
    """Instant emails still unsent a while after their notification: their task was lost or failed."""
    return list(
        Notification.objects.filter(
            email=EmailDelivery.INSTANT, emailed_at__isnull=True, created_at__lt=timezone.now() - older_than
        )
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
