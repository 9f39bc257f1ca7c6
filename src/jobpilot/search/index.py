"""The marketplace's engine: which backend, where its index lives, and how a `MarketplaceJob` row becomes a
document. Rebuilding reads PostgreSQL, the source of truth."""

from functools import cache
from pathlib import Path

from django.conf import settings

from jobpilot.search.backend import SearchDocument
from jobpilot.search.tantivy_backend import TantivyBackend

BATCH = 2_000


@cache
def _backend_at(path: str) -> TantivyBackend:
    return TantivyBackend(Path(path))


def backend() -> TantivyBackend:
    return _backend_at(str(settings.SEARCH_INDEX_DIR))


def document_for(job) -> SearchDocument:
    return SearchDocument(
        id=job.id,
        title=job.title,
        skills=", ".join(job.skills),
        description=f"{job.keywords} {job.summary} {job.body_text}",
        company=job.company_name,
        location=f"{job.location_text} {job.country}",
        job_type=job.job_type,
        remote=job.remote,
        country=job.country,
        salary_annual_max=job.salary_annual_max or 0,
        published_ts=int(job.published_at.timestamp()),
    )


def rebuild() -> int:
    """Replace the index with every live marketplace row; returns how many were indexed."""
    from jobpilot.marketplace.models import MarketplaceJob

    engine = backend()
    engine.clear()
    total, batch = 0, []
    for job in MarketplaceJob.objects.order_by("id").iterator(chunk_size=BATCH):
        batch.append(document_for(job))
        if len(batch) >= BATCH:
            engine.index(batch)
            total, batch = total + len(batch), []
    if batch:
        engine.index(batch)
        total += len(batch)
    return total
