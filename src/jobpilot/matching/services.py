"""Writes of the matching app: what is understood of each marketplace listing (ADR 0024).

Listings are written by `marketplace.services` in the employer's or the import's transaction; that transaction only
queues `matching.understand_jobs` on commit (`job_understanding_on_commit`), so publishing never waits on the
model, and the worker brings the understanding up to date within seconds.
"""

from __future__ import annotations

import hashlib
import logging
import uuid

from django.db import transaction

from jobpilot.marketplace.models import MarketplaceJob
from jobpilot.matching import embeddings
from jobpilot.matching.models import JobUnderstanding
from jobpilot.matching.understanding import understand_job

logger = logging.getLogger(__name__)

EMBEDDED_BODY_CHARS = 1500  # the encoder stops at 256 word pieces (~1,000-1,200 characters) anyway


def job_embedding_text(*, title: str, skills: list[str], body: str) -> str:
    """The text a job is embedded from: title and skills first, where the encoder's 256 word pieces surely reach."""
    head = f"{title}. Skills: {', '.join(skills)}." if skills else f"{title}."
    return f"{head}\n{body[:EMBEDDED_BODY_CHARS]}"


def _text_hash(job: MarketplaceJob) -> str:
    text = "\x1f".join([job.title, "\x1e".join(job.skills), job.body_text])
    return hashlib.sha256(f"{embeddings.MODEL}\x1d{text}".encode()).hexdigest()


def job_understanding_refresh(*, public_ids) -> int:
    """Understand the listed jobs among `public_ids` whose text changed since they were last understood (or never
    were); ids no longer listed are skipped. Encodes in one batch; returns how many rows it wrote.

    Idempotent and safe to run twice at once: the upsert's last writer wins, and both computed the same thing."""
    jobs = list(
        MarketplaceJob.objects.filter(public_id__in=list(public_ids)).only(
            "pk", "title", "skills", "body_text"
        )
    )
    if not jobs:
        return 0
    known = dict(JobUnderstanding.objects.filter(job__in=jobs).values_list("job_id", "text_hash"))
    stale = [(job, digest) for job in jobs if known.get(job.pk) != (digest := _text_hash(job))]
    if not stale:
        return 0
    understood = [
        understand_job(title=job.title, description=job.body_text, listed_skills=job.skills)
        for job, _ in stale
    ]
    vectors = embeddings.encode(
        [
            job_embedding_text(
                title=job.title,
                skills=[s.label for s in u.required_skills + u.nice_to_have_skills],
                body=job.body_text,
            )
            for (job, _), u in zip(stale, understood, strict=True)
        ]
    )
    rows = [
        JobUnderstanding(
            job_id=job.pk,
            required_skills=[s.id for s in u.required_skills],
            nice_to_have_skills=[s.id for s in u.nice_to_have_skills],
            seniority=u.seniority,
            summary=u.summary,
            embedding=embeddings.to_bytes(vector),
            text_hash=digest,
            model=embeddings.MODEL,
        )
        for (job, digest), u, vector in zip(stale, understood, vectors, strict=True)
    ]
    # The listing may have been withdrawn since we read it: insert only rows whose job still exists.
    with transaction.atomic():
        live = set(
            MarketplaceJob.objects.filter(pk__in=[r.job_id for r in rows]).values_list("pk", flat=True)
        )
        JobUnderstanding.objects.bulk_create(
            [r for r in rows if r.job_id in live],
            update_conflicts=True,
            unique_fields=["job"],
            update_fields=[
                "required_skills",
                "nice_to_have_skills",
                "seniority",
                "summary",
                "embedding",
                "text_hash",
                "model",
                "understood_at",
            ],
        )
    return len(live)


ENQUEUE_CHUNK = 64  # ids per task when many listings change at once (a reindexed employer)


def job_understanding_on_commit(*public_ids) -> None:
    """Queue the understanding of listings once the caller's transaction commits. Call it in the transaction that
    lists or changes the jobs; a broker outage is logged and never fails that write (the backfill command and
    `job_summary_get` catch up)."""
    ids = [str(public_id) for public_id in public_ids]

    def enqueue():
        from jobpilot.matching.tasks import understand_jobs

        for start in range(0, len(ids), ENQUEUE_CHUNK):
            try:
                understand_jobs.apply_async((ids[start : start + ENQUEUE_CHUNK],), retry=False)
            except Exception:  # noqa: BLE001
                logger.warning("Could not enqueue the understanding of %d jobs", len(ids), exc_info=True)
                return

    if ids:
        transaction.on_commit(enqueue, robust=True)


def job_summaries_batch_start(*, user, public_ids: list, tenant) -> dict:
    """Summaries of many jobs: those understood are answered now; if any are not, one task understands them and
    the answer carries a `batch_id` to poll (`matching.selectors.batch_progress`), readable by `user` only."""
    from django.core.cache import cache

    from jobpilot.matching import selectors
    from jobpilot.matching.tasks import summarize_batch

    public_ids = list(dict.fromkeys(public_ids))
    jobs, results, not_found = selectors.job_summaries(public_ids=public_ids, tenant=tenant)
    pending = [str(job.public_id) for job in jobs.values() if getattr(job, "understanding", None) is None]
    if not pending:
        return {
            "batch_id": None,
            "status": "done",
            "done": len(results),
            "total": len(results),
            "results": results,
            "not_found": not_found,
        }
    batch_id = uuid.uuid4()
    key = selectors.batch_key(batch_id)
    cache.set(f"{key}:done", 0, selectors.BATCH_TTL)
    cache.set(
        key,
        {
            "owner": user.pk,
            "ids": [str(i) for i in jobs],
            "total": len(pending),
            "not_found": [str(i) for i in not_found],
        },
        selectors.BATCH_TTL,
    )
    summarize_batch.apply_async((key, pending))
    return selectors.batch_progress(user=user, batch_id=batch_id, tenant=tenant)


# --- weekly recommendations ---------------------------------------------------------------------------------------

WEEKLY_RECOMMENDATIONS_SHOWN = 5


def recommendations_weekly_notify(*, seeker, now) -> bool:
    """One "jobs for you this week" notification (in the app and by email, as the seeker chose for the type)
    with the top recommendations and their reasons. Once per ISO week: a second run that week is a no-op (the
    notification's dedupe key). Skipped without the plan feature or with nothing to recommend."""
    from billing.entitlements import has_feature
    from billing.plans import Audience, Feature
    from billing.selectors import billing_account_for_user
    from jobpilot.matching.recommendations import recommendation_list, recommended_job_url
    from jobpilot.notifications.services import notify
    from jobpilot.notifications.types import NotificationType

    if not has_feature(billing_account_for_user(seeker, Audience.SEEKER), Feature.AI_RECOMMENDATIONS):
        return False
    items = recommendation_list(seeker=seeker, limit=WEEKLY_RECOMMENDATIONS_SHOWN)
    if not items:
        return False
    year, week, _ = now.isocalendar()
    lines = [f"{i.job['title']} at {i.job['company']['name']}: {i.reason}" for i in items]
    created = notify(
        recipient=seeker,
        type=NotificationType.JOB_RECOMMENDATIONS,
        title=f"{len(items)} jobs for you this week",
        body="\n".join(lines),
        data={
            "url": "/dashboard/#recommendations",
            "job_ids": [str(i.job["id"]) for i in items],
            # The email lists each job under its own link (the body's line, then the URL).
            "links": [
                {"text": line, "url": recommended_job_url(i.job, absolute=True)}
                for line, i in zip(lines, items, strict=True)
            ],
        },
        dedupe_key=f"recommendations:{year}-W{week:02d}",
    )
    return created is not None
