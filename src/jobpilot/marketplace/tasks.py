"""Saved-search alerts: instant ones when a job is listed (sent on commit of the publish), daily and weekly digests
by beat. Everything they read and write is in the public schema."""

import logging
from datetime import timedelta

from django.utils import timezone

from jobpilot.celery import app
from jobpilot.marketplace.selectors import saved_searches_due
from jobpilot.marketplace.services import DIGEST_EVERY, saved_search_alert_digest, saved_search_alert_instant

logger = logging.getLogger(__name__)

# Beat runs the digest hourly: a search alerted at 07:00:03 is due again at the 07:00 run the next day, not 08:00.
DIGEST_SLACK = timedelta(minutes=10)


@app.task(name="marketplace.alert_instant_saved_searches_many", ignore_result=True)
def alert_instant_saved_searches_many(public_ids: list[str]) -> int:
    """The instant alerts of newly listed jobs: one task per publish or per import batch. A job whose alerts
    fail is logged and the rest are still sent (each (search, job) pair is deduped, so a retry is harmless)."""
    notified = 0
    for public_id in public_ids:
        try:
            notified += saved_search_alert_instant(public_id=public_id)
        except Exception:
            logger.exception("Instant alerts for job %s failed", public_id)
    return notified


# Messages queued before the batch task existed still name this one.
@app.task(name="marketplace.alert_instant_saved_searches", ignore_result=True)
def alert_instant_saved_searches(public_id: str) -> int:
    return saved_search_alert_instant(public_id=public_id)


@app.task(name="marketplace.send_saved_search_digests", ignore_result=True)
def send_saved_search_digests() -> int:
    """Hourly: one summary notification per due daily or weekly saved search. Safe to run twice at once (each
    alert is claimed by a conditional UPDATE). Returns how many searches this run claimed."""
    now = timezone.now()
    claimed = 0
    for frequency, every in DIGEST_EVERY.items():
        for saved_search in saved_searches_due(
            frequency=frequency, every=every - DIGEST_SLACK, now=now
        ).select_related("user", "tenant"):
            try:
                claimed += saved_search_alert_digest(saved_search=saved_search, now=now)
            except Exception:
                logger.exception(
                    "The digest of saved search %s failed; the next run retries.", saved_search.pk
                )
    return claimed
