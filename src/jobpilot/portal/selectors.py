"""Reads that only the web pages need (everything else comes from the apps' own selectors)."""

from django.conf import settings
from django.urls import reverse

from jobpilot.marketplace.models import SavedJob
from jobpilot.notifications import selectors as notification_selectors

NOTIFICATIONS_PAGE = 50


def saved_job_ids(*, user, public_ids) -> set:
    """Which of these jobs the user has saved (for the Save/Saved buttons on a page of cards)."""
    if not user.is_authenticated or not public_ids:
        return set()
    return set(
        SavedJob.objects.filter(user=user, job_public_id__in=list(public_ids)).values_list(
            "job_public_id", flat=True
        )
    )


def notification_page(*, user, tenant) -> list:
    """The user's latest notifications, each with a `link`: the one it carries, or, for an application that came in
    on the employer whose console this is (`tenant`), its candidate page there."""
    notifications = list(notification_selectors.notification_feed(user=user)[:NOTIFICATIONS_PAGE])
    for notification in notifications:
        notification.link = notification.data.get("url") or ""
        application_id = notification.data.get("application_id")
        if not notification.link and application_id and notification.tenant_id == tenant.pk:
            notification.link = reverse(
                "portal:pipeline-application", args=[application_id], urlconf=settings.ROOT_URLCONF
            )
    return notifications
