"""Reads that only the web pages need (everything else comes from the apps' own selectors)."""

from jobpilot.marketplace.models import SavedJob


def saved_job_ids(*, user, public_ids) -> set:
    """Which of these jobs the user has saved (for the Save/Saved buttons on a page of cards)."""
    if not user.is_authenticated or not public_ids:
        return set()
    return set(
        SavedJob.objects.filter(user=user, job_public_id__in=list(public_ids)).values_list(
            "job_public_id", flat=True
        )
    )
