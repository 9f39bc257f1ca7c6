"""Reads for accounts. `user_data_export` is the seeker's copy of everything JobPilot holds about them."""

from allauth.account.models import EmailAddress
from django.utils import timezone

from jobpilot.analytics.selectors import events_export_data
from jobpilot.inbox.selectors import inbox_export_data
from jobpilot.marketplace.selectors import saved_export_data
from jobpilot.notifications.selectors import notification_preferences
from jobpilot.seekers.selectors import seeker_export_data
from jobpilot.tracker.selectors import tracker_export_data
from tenants.models import Membership

EXPORT_FORMAT_VERSION = 1


def email_verified(user) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def user_data_export(*, user) -> dict:
    """Account, email addresses, employer memberships, seeker profile, resumes (metadata and text), the tracker
    with its history and interviews, saved jobs and searches, notification preferences, the inbox and the
    seeker's activity events (views, saves, applies). Resume files themselves are downloaded one by one."""
    return {
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": timezone.now(),
        "account": {
            "id": user.pk,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "email_addresses": list(
            EmailAddress.objects.filter(user=user).values("email", "primary", "verified").order_by("email")
        ),
        "memberships": list(
            Membership.objects.filter(user=user)
            .values("tenant__name", "role", "created_at")
            .order_by("created_at")
        ),
        **seeker_export_data(seeker=user),
        "applications": tracker_export_data(seeker=user),
        **saved_export_data(user=user),
        "notification_preferences": [
            {key: row[key] for key in ("type", "in_app", "email", "is_default")}
            for row in notification_preferences(user=user)
        ],
        "inbox": inbox_export_data(seeker=user),
        "activity_events": events_export_data(seeker=user),
    }
