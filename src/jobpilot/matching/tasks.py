"""Matching's tasks: understanding listings after they are written, and batches asked for by API callers."""

import logging

from django.core.cache import cache
from django.utils import timezone

from jobpilot.celery import app
from jobpilot.matching.services import job_understanding_refresh, recommendations_weekly_notify

logger = logging.getLogger(__name__)

BATCH_CHUNK = 16  # progress moves in steps this big; each step is one encoder batch


@app.task(name="matching.understand_jobs", ignore_result=True, acks_late=True)
def understand_jobs(public_ids: list[str]) -> int:
    return job_understanding_refresh(public_ids=public_ids)


@app.task(name="matching.summarize_batch", ignore_result=True)
def summarize_batch(batch_key: str, public_ids: list[str]) -> None:
    for start in range(0, len(public_ids), BATCH_CHUNK):
        chunk = public_ids[start : start + BATCH_CHUNK]
        job_understanding_refresh(public_ids=chunk)
        cache.incr(f"{batch_key}:done", len(chunk))


@app.task(name="matching.send_weekly_recommendations", ignore_result=True)
def send_weekly_recommendations() -> int:
    """Weekly (beat): each seeker who kept "job recommendations" on gets this week's list once (dedupe key per
    ISO week, so a rerun or an overlapping run sends nothing twice). Returns how many were sent."""
    from jobpilot.seekers.models import SeekerProfile

    now = timezone.now()
    sent = 0
    profiles = SeekerProfile.objects.filter(notify_job_recommendations=True).select_related("user")
    for profile in profiles.iterator(chunk_size=500):
        try:
            sent += recommendations_weekly_notify(seeker=profile.user, now=now)
        except Exception:
            logger.exception("Weekly recommendations for seeker %s failed; next week retries.", profile.pk)
    return sent
