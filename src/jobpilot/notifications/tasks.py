"""Notification emails. Instant ones are enqueued after commit; beat sends the daily digests and retries instant
emails whose task never ran (broker down when they were created)."""

from datetime import timedelta

from celery import shared_task

from jobpilot.notifications import selectors, services

# An instant email still unsent after this long lost its task; the sweeper sends it.
INSTANT_EMAIL_GRACE = timedelta(minutes=2)


@shared_task(
    name="notifications.send_notification_email", autoretry_for=(OSError,), retry_backoff=30, max_retries=5
)
def send_notification_email(notification_id: int) -> bool:
    return services.notification_email_send(notification_id=notification_id)


@shared_task(name="notifications.send_email_digests")
def send_email_digests() -> int:
    """Daily: one digest email per user with pending daily notifications. Returns how many emails went out."""
    sent = 0
    for user_id in selectors.digest_recipient_ids():
        sent += services.notification_digest_send(user_id=user_id) > 0
    return sent


@shared_task(name="notifications.send_stale_instant_emails")
def send_stale_instant_emails() -> int:
    """Every few minutes: send instant emails whose task was lost. Returns how many this run sent."""
    return sum(
        services.notification_email_send(notification_id=notification_id)
        for notification_id in selectors.stale_instant_email_ids(older_than=INSTANT_EMAIL_GRACE)
    )
