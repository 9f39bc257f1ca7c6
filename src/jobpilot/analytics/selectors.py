"""Reads for analytics."""

from jobpilot.analytics.models import Event


def events_export_data(*, seeker) -> list[dict]:
    """The seeker's own events for the privacy export, oldest first."""
    return list(
        Event.objects.filter(seeker_id=seeker.pk)
        .order_by("occurred_at", "id")
        .values("occurred_at", "kind", "source", "job_public_id", "utm")
    )
