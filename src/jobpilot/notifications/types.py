"""Every kind of notification JobPilot sends, with who it is for and how a user gets it until they choose otherwise.

Add a kind here (and nowhere else): the preferences API, the email path and the websocket all read this registry.
"""

from dataclasses import dataclass

from django.db import models


class NotificationType(models.TextChoices):
    # To a seeker, from an employer's pipeline
    APPLICATION_STATUS_CHANGED = "application_status_changed", "Application status changed"
    INTERVIEW_SCHEDULED = "interview_scheduled", "Interview scheduled"
    INTERVIEW_REMINDER = "interview_reminder", "Interview reminder"
    DEADLINE_REMINDER = "deadline_reminder", "Application deadline reminder"
    SAVED_SEARCH_MATCH = "saved_search_match", "New jobs for a saved search"
    INBOX_SUGGESTION = "inbox_suggestion", "Status change suggested by an email"
    JOB_RECOMMENDATIONS = "job_recommendations", "Weekly job recommendations"
    # To an employer's staff
    APPLICATION_RECEIVED = "application_received", "New application received"
    ATS_SYNC_FAILED = "ats_sync_failed", "Your ATS board cannot be synced"
    # Billing, to whoever holds the billing account
    PAYMENT_FAILED = "payment_failed", "Payment failed"
    TRIAL_ENDING = "trial_ending", "Trial ending"
    PLAN_ENDED = "plan_ended", "Paid plan ended"
    USAGE_THRESHOLD = "usage_threshold", "Usage limit nearly or fully used"


class EmailDelivery(models.TextChoices):
    OFF = "off", "No email"
    INSTANT = "instant", "Email at once"
    DAILY = "daily", "Daily digest email"


@dataclass(frozen=True)
class TypeDefaults:
    in_app: bool
    email: EmailDelivery


TYPE_DEFAULTS: dict[NotificationType, TypeDefaults] = {
    NotificationType.APPLICATION_STATUS_CHANGED: TypeDefaults(in_app=True, email=EmailDelivery.INSTANT),
    NotificationType.INTERVIEW_SCHEDULED: TypeDefaults(in_app=True, email=EmailDelivery.INSTANT),
    NotificationType.INTERVIEW_REMINDER: TypeDefaults(in_app=True, email=EmailDelivery.INSTANT),
    NotificationType.DEADLINE_REMINDER: TypeDefaults(in_app=True, email=EmailDelivery.OFF),
    NotificationType.SAVED_SEARCH_MATCH: TypeDefaults(in_app=True, email=EmailDelivery.DAILY),
    # In the app only by default: the seeker has just received the email the suggestion comes from.
    NotificationType.INBOX_SUGGESTION: TypeDefaults(in_app=True, email=EmailDelivery.OFF),
    # Sent weekly by beat already: the email goes at once (a daily digest would only delay it).
    NotificationType.JOB_RECOMMENDATIONS: TypeDefaults(in_app=True, email=EmailDelivery.INSTANT),
    NotificationType.APPLICATION_RECEIVED: TypeDefaults(in_app=True, email=EmailDelivery.DAILY),
    NotificationType.ATS_SYNC_FAILED: TypeDefaults(in_app=True, email=EmailDelivery.INSTANT),
    NotificationType.PAYMENT_FAILED: TypeDefaults(in_app=True, email=EmailDelivery.INSTANT),
    NotificationType.TRIAL_ENDING: TypeDefaults(in_app=True, email=EmailDelivery.INSTANT),
    NotificationType.PLAN_ENDED: TypeDefaults(in_app=True, email=EmailDelivery.INSTANT),
    NotificationType.USAGE_THRESHOLD: TypeDefaults(in_app=True, email=EmailDelivery.INSTANT),
}
