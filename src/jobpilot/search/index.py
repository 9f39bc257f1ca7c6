"""The marketplace's engine: which backend, where its index lives, how a `MarketplaceJob` row becomes a document,
and the one indexer that keeps it in step with PostgreSQL (the source of truth).

The indexer follows the durable jobs change log (`api.JobChange`, the log behind `GET /api/v1/jobs/changes/`,
written in the transaction of every index-table change and committed in id order). It applies the changes after
its cursor: for each changed job, the row's *current* state (upsert when the row exists, delete when it is gone),
then commits the engine and only then moves the cursor. So a crash loses nothing (the cursor never passes an
uncommitted batch) and a replay is harmless (applying a job's current state twice is applying it once).

An index without a cursor (new host, deleted or corrupt directory) is rebuilt from the index table: the log's head
is read *before* the rows, so every change the rows might miss comes after the cursor and is replayed.
"""

import contextlib
import logging
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import connection

from jobpilot.search.backend import IndexBusy, SearchDocument
from jobpilot.search.tantivy_backend import TantivyBackend

logger = logging.getLogger(__name__)

BATCH = 2_000
# A search that finds the engine behind the log applies at most this many changes itself (read-your-writes for
# the common case: one publish); a larger backlog is the indexer task's.
CATCH_UP_ON_READ = 200
REBUILD_ON_READ_UP_TO = 5_000  # rows: a missing index this small is rebuilt by the first search that needs it


@lru_cache(maxsize=4)
def _backend_at(path: str) -> TantivyBackend:
    return TantivyBackend(Path(path))


def backend() -> TantivyBackend:
    return _backend_at(str(settings.SEARCH_INDEX_DIR))


def document_for(job) -> SearchDocument:
    return SearchDocument(
        public_id=str(job.public_id),
        row_id=job.id,
        title=job.title,
        skills=tuple(job.skills),
        description=f"{job.keywords} {job.body_text}",
        company=job.company_name,
        location=job.location_text,
        tenant_id=job.tenant_id or 0,
        company_slug=job.company_slug,
        job_type=job.job_type,
        remote=job.remote,
        city=job.city,
        country=job.country,
        location_keys=tuple(job.location_keys),
        skill_keys=tuple(job.skill_keys),
        currency=job.salary_currency,
        salary_annual_min=job.salary_annual_min,
        salary_annual_max=job.salary_annual_max,
        published_at=job.published_at,
        expires_at=job.expires_at,
        language=job.language,  # detected when the row was written (marketplace.services)
    )


_DOC_COLUMNS = (
    "id",
    "public_id",
    "title",
    "skills",
    "keywords",
    "body_text",
    "language",
    "company_name",
    "location_text",
    "tenant_id",
    "company_slug",
    "job_type",
    "remote",
    "city",
    "country",
    "location_keys",
    "skill_keys",
    "salary_currency",
    "salary_annual_min",
    "salary_annual_max",
    "published_at",
    "expires_at",
)


def _jobs():
    from jobpilot.marketplace.models import MarketplaceJob

    return MarketplaceJob.objects.only(*_DOC_COLUMNS)


def log_head() -> int:
    """The newest change-log id: one backward step on the primary key, raw (every search asks; the ORM's
    aggregate costs more than the query). The table is `api.JobChange`'s."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM api_jobchange")
        return cursor.fetchone()[0] or 0


def rebuild() -> int:
    """Replace the index with every live marketplace row; returns how many were indexed. Raises `IndexBusy`
    when another process is writing the index."""
    head = log_head()  # before the rows: what they miss is after it (see the module docstring)
    docs = (document_for(job) for job in _jobs().order_by("id").iterator(chunk_size=BATCH))
    return backend().replace_all(docs, cursor=head)


def sync(*, limit: int | None = None) -> int:
    """Apply the change log after the engine's cursor (at most `limit` changes; None: all). Returns how many
    changes were applied. Rebuilds an index that has no cursor. Raises `IndexBusy` when another process writes."""
    from jobpilot.api.models import JobChange

    engine = backend()
    cursor = engine.refresh()
    if cursor is None:
        rebuild()
        return 0
    applied = 0
    while limit is None or applied < limit:
        size = BATCH if limit is None else min(BATCH, limit - applied)
        changes = list(
            JobChange.objects.filter(id__gt=cursor).order_by("id").values_list("id", "job_public_id")[:size]
        )
        if not changes:
            break
        public_ids = {public_id for _id, public_id in changes}
        rows = {job.public_id: job for job in _jobs().filter(public_id__in=public_ids)}
        cursor = changes[-1][0]
        engine.apply(
            upserts=[document_for(job) for job in rows.values()],
            deletes=[str(public_id) for public_id in public_ids - rows.keys()],
            cursor=cursor,
        )
        applied += len(changes)
    return applied


def catch_up() -> None:
    """Before a search reads the engine: if the log is ahead of it, apply a few changes here (a publish is then
    searchable at once by whoever published it), unless another process is writing already. Costs one indexed
    `max(id)` when nothing is new."""
    engine = backend()
    cursor = engine.refresh()
    if cursor is not None and cursor >= log_head():
        return
    if cursor is None and _jobs().count() > REBUILD_ON_READ_UP_TO:
        return  # a large rebuild is the indexer task's; search answers from what the engine has
    with contextlib.suppress(IndexBusy):
        sync(limit=CATCH_UP_ON_READ)
