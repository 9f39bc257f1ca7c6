"""Writes of ingest: sources, their runs, and the imported jobs a run finds, listed through
`marketplace.services` so that they are searchable, in the changes feed and in saved-search alerts like any job.

A run: fetch (the source's adapter, streaming items), normalize each item, skip it when its content hash is
unchanged, else write it with the other changed items of its batch of `WRITE_BATCH` in one transaction (dedupe,
then list or mark duplicate; a batch that fails is written item by item). Only when the fetch was
complete and successful are the source's jobs that it did not contain closed. A bad item is rejected with a
reason and never stops the run; a source that cannot be read fails its run and never touches other sources.
"""

import logging
import time
import uuid
from collections import Counter
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import mail_admins
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from jobpilot.core.errors import Conflict, Invalid, NotFound
from jobpilot.ingest import dedupe
from jobpilot.ingest.adapters import KINDS, adapter
from jobpilot.ingest.fetch import Http, NotModified
from jobpilot.ingest.models import ImportedJob, Source, SourceRun
from jobpilot.ingest.normalize import Listing, Reject, normalize
from jobpilot.ingest.records import FetchFailed, Rejected
from jobpilot.marketplace.selectors import employer_listings_of_companies
from jobpilot.marketplace.services import marketplace_imported_jobs_upsert, marketplace_imported_jobs_withdraw

logger = logging.getLogger(__name__)

MAX_RECORDED_REJECTIONS = 50
RUN_LOCK_NAMESPACE = 0x494E  # "IN": pg_try_advisory_lock(namespace, source id) while a run is under way
CLOSE_BATCH = 500
# Items fetched per write batch: their changed items are written in one transaction with a fixed number of
# queries (and one enqueue of saved-search alerts), instead of a dozen queries and a commit per item.
WRITE_BATCH = 500
# A first import grows the table from nothing faster than autovacuum re-plans it: with statistics of an empty
# table the dedupe lookup scans every live row. Re-analyze after these many writes in a run.
ANALYZE_AFTER_WRITES = (500, 5_000, 50_000)


# --- sources ------------------------------------------------------------------------------------------------------


def source_create(
    *, kind: str, url: str, name: str = "", every: timedelta | None = None, company_name: str = ""
) -> Source:
    """Register a source. `kind` names its adapter; `url` is its API or feed URL."""
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    if kind not in KINDS:
        raise Invalid(f"Unknown source kind {kind!r}; one of: {', '.join(KINDS)}.", code="unknown_kind")
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as error:
        raise Invalid(f"Not an http(s) URL: {url!r}.", code="invalid_url") from error
    every = every or timedelta(hours=1)
    if not timedelta(minutes=15) <= every <= timedelta(days=1):
        raise Invalid("A source runs every 15 minutes to once a day.", code="invalid_interval")
    name = name or f"{kind}:{url}"[:100]
    if Source.objects.filter(name=name).exists():
        raise Conflict(f"A source named {name!r} exists already.", code="source_exists")
    return Source.objects.create(kind=kind, url=url, name=name, every=every, company_name=company_name)


def _source_name(source: Source) -> str:
    # What the marketplace row says it came from; with the source's id in `source_ref` it is unique.
    return source.kind


def _source_ref(source: Source, external_id: str) -> str:
    return f"{source.pk}:{external_id}"


# --- a batch of items -----------------------------------------------------------------------------------------


def _listing_fields(listing: Listing) -> dict:
    return dict(vars(listing))  # the fields are flat: no deep copy


def _company_slugs(listing: Listing) -> tuple[str, ...]:
    # An employer's rows carry its tenant's slug: "Acme Corp" may be "acme-corp" or "acme" there.
    return tuple(
        sorted(
            {slugify(listing.company_name)[:100], slugify(dedupe.company_key(listing.company_name))[:100]}
            - {""}
        )
    )


def _employer_duplicate(*, listing: Listing, keys: dict, employers: dict) -> str | None:
    """The public id of an employer's own listed posting that `listing` repeats (it always wins).

    `employers` caches each company's employer postings for the run (read for a batch's new companies at once:
    one query per batch, not per item)."""
    canonical = keys["canonical_urls"]
    slugs = _company_slugs(listing)
    if slugs not in employers:
        employers.update(employer_listings_of_companies(companies=[slugs]))
    title_words = dedupe.fingerprint(title=listing.title, company="", location="")
    for posting in employers[slugs]:
        if posting["apply_url"] and dedupe.canonical_url(posting["apply_url"]) in canonical:
            return str(posting["public_id"])
        place = dedupe.location_key(
            city=posting["city"], region="", country=posting["country"], remote=posting["remote"]
        )
        if (
            place == keys["location"]
            and dedupe.fingerprint(title=posting["title"], company="", location="") == title_words
        ):
            return str(posting["public_id"])
    return None


class _Listed:
    """The live imported jobs that a batch's items can repeat: read in one query for the keys of the whole
    batch, then kept in step as the batch decides item after item, so each item sees exactly what it would see
    if every item before it had been written in its own transaction (a job listed earlier in the batch, a job
    whose keys changed or that became a duplicate). Rows are ordered by primary key; jobs new in this batch sort
    after every stored one, in feed order, as their primary keys will."""

    def __init__(self, keyed: list[dict]):
        self.rows: dict[
            tuple, tuple
        ] = {}  # order key -> (public_id, canonical_url, fingerprint, near_key, simhash)
        self.by: dict[str, dict[str, set]] = {"canonical_url": {}, "fingerprint": {}, "near_key": {}}
        urls = {url for keys in keyed for url in keys["canonical_urls"]}
        stored = ImportedJob.objects.filter(status=ImportedJob.Status.LIVE).filter(
            Q(canonical_url__in=urls)
            | Q(fingerprint__in={keys["fingerprint"] for keys in keyed})
            | Q(near_key__in={keys["near_key"] for keys in keyed})
        )
        for pk, *row in stored.values_list(
            "pk", "public_id", "canonical_url", "fingerprint", "near_key", "simhash"
        ).iterator(chunk_size=2000):
            self.add((0, pk), tuple(row))

    def add(self, key: tuple, row: tuple) -> None:
        self.rows[key] = row
        for name, value in zip(("canonical_url", "fingerprint", "near_key"), row[1:4], strict=True):
            self.by[name].setdefault(value, set()).add(key)

    def remove(self, key: tuple) -> None:
        row = self.rows.pop(key, None)
        if row is not None:
            for name, value in zip(("canonical_url", "fingerprint", "near_key"), row[1:4], strict=True):
                self.by[name][value].discard(key)

    def duplicate_of(self, *, key: tuple, keys: dict) -> str | None:
        """As one query would answer it: the first 200 live jobs other than `key` sharing a key, by primary
        key; the strongest match wins."""
        found = set().union(
            *(self.by["canonical_url"].get(url, ()) for url in keys["canonical_urls"]),
            self.by["fingerprint"].get(keys["fingerprint"], ()),
            self.by["near_key"].get(keys["near_key"], ()),
        ) - {key}
        candidates = [self.rows[each] for each in sorted(found)[:200]]
        for matches in (
            lambda row: row[1] in keys["canonical_urls"],
            lambda row: row[2] == keys["fingerprint"],
            lambda row: dedupe.hamming(row[4], keys["simhash"]) <= dedupe.NEAR_DUPLICATE_BITS,
        ):
            for row in candidates:
                if matches(row):
                    return str(row[0])
        return None


_JOB_FIELDS = [
    *(
        "group_id",
        "title",
        "company_name",
        "location_text",
        "url",
        "canonical_url",
        "fingerprint",
        "near_key",
    ),
    *("simhash", "content_hash", "last_changed_at", "last_verified_live", "closed_at", "status"),
    *("duplicate_of", "public_id"),
]


@transaction.atomic
def imported_jobs_save(
    *, source: Source, items: list[tuple[Listing, str]], now: datetime, employers: dict | None = None
) -> list[str]:
    """Write a batch of changed or new items of `source` (`(listing, content_hash)`, distinct external ids):
    their ImportedJobs, and the marketplace listings of those that do not repeat a job listed already, through
    `marketplace.services` in one call. One transaction: the batch is written whole or not at all. Returns each
    item's outcome in order: "new", "updated", "reopened" or "duplicate".

    A fixed number of queries per batch (plus one per company the run has not met yet); dedupe answers every
    item as if the items before it were written one by one (`_Listed`)."""
    if not items:
        return []
    employers = {} if employers is None else employers
    stored = {
        job.external_id: job
        for job in ImportedJob.objects.select_for_update().filter(
            source=source, external_id__in=[listing.external_id for listing, _ in items]
        )
    }
    keyed = [dedupe.listing_keys(listing) for listing, _ in items]
    listed = _Listed(keyed)
    new_companies = {_company_slugs(listing) for listing, _ in items} - set(employers)
    employers.update(employer_listings_of_companies(companies=new_companies))
    source_name = _source_name(source)
    outcomes, jobs, withdraw, upsert = [], [], [], []
    for position, ((listing, content_hash), keys) in enumerate(zip(items, keyed, strict=True)):
        job = stored.get(listing.external_id)
        was = job.status if job else None
        if job is None:
            job = ImportedJob(source=source, external_id=listing.external_id, first_seen=now)
        key = (0, job.pk) if job.pk else (1, position)
        duplicate_of = _employer_duplicate(
            listing=listing, keys=keys, employers=employers
        ) or listed.duplicate_of(key=key, keys=keys)
        for field in ("group_id", "title", "company_name", "location_text", "url"):
            setattr(job, field, getattr(listing, field))
        job.canonical_url, job.fingerprint = keys["canonical_url"], keys["fingerprint"]
        job.near_key, job.simhash = keys["near_key"], keys["simhash"]
        job.content_hash = content_hash
        job.last_changed_at = job.last_verified_live = now
        job.closed_at = None
        source_ref = _source_ref(source, listing.external_id)
        listed.remove(key)
        if duplicate_of:
            if was == ImportedJob.Status.LIVE:
                withdraw.append(source_ref)
            job.status, job.duplicate_of = ImportedJob.Status.DUPLICATE, duplicate_of
            outcomes.append("duplicate")
        else:
            # The listing's id: the one it had (listed, or closed and now back), else a new one.
            job.public_id = job.public_id or uuid.uuid4()
            job.status, job.duplicate_of = ImportedJob.Status.LIVE, None
            upsert.append((source_ref, _listing_fields(listing), job.public_id, job))
            listed.add(key, (job.public_id, job.canonical_url, job.fingerprint, job.near_key, job.simhash))
            outcomes.append(
                "new" if was is None else "updated" if was == ImportedJob.Status.LIVE else "reopened"
            )
        jobs.append(job)
    if withdraw:
        marketplace_imported_jobs_withdraw(source_name=source_name, source_refs=withdraw)
    rows = marketplace_imported_jobs_upsert(
        source_name=source_name, items=[(ref, fields, public_id) for ref, fields, public_id, _ in upsert]
    )
    for source_ref, _fields, _public_id, job in upsert:
        job.public_id = rows[source_ref][0]  # an existing row keeps its id
    stored_jobs = [job for job in jobs if job.pk]
    ImportedJob.objects.bulk_create([job for job in jobs if job.pk is None])
    # The stored ones (locked above) are updated by one INSERT .. ON CONFLICT (id) DO UPDATE (see the marketplace's).
    ImportedJob.objects.bulk_create(
        stored_jobs, update_conflicts=True, unique_fields=["id"], update_fields=_JOB_FIELDS
    )
    return outcomes


def _close(*, source: Source, job_ids: list[int], status: str, now: datetime) -> int:
    """Close or expire jobs of `source`, CLOSE_BATCH per transaction. Jobs that were shown as duplicates of a
    closed one are marked changed, so that the next run of their source lists them in its place."""
    closed = 0
    for start in range(0, len(job_ids), CLOSE_BATCH):
        with transaction.atomic():
            jobs = ImportedJob.objects.select_for_update().filter(pk__in=job_ids[start : start + CLOSE_BATCH])
            rows = list(jobs.values_list("external_id", "public_id", "status"))
            listed = [(ext, public_id) for ext, public_id, was in rows if was == ImportedJob.Status.LIVE]
            marketplace_imported_jobs_withdraw(
                source_name=_source_name(source), source_refs=[_source_ref(source, ext) for ext, _ in listed]
            )
            jobs.update(status=status, closed_at=now)
            ImportedJob.objects.filter(
                status=ImportedJob.Status.DUPLICATE, duplicate_of__in=[public_id for _, public_id in listed]
            ).update(content_hash="")
            closed += len(rows)
    return closed


# --- a run --------------------------------------------------------------------------------------------------------


def _try_run_lock(source_id: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [RUN_LOCK_NAMESPACE, source_id])
        return cursor.fetchone()[0]


def _release_run_lock(source_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [RUN_LOCK_NAMESPACE, source_id])


def _short_reason(reason: str) -> str:
    # Counted by kind ("salary dropped", "no title"), recorded in full on the first rejections.
    return reason.split(":", 1)[0][:80]


def source_run(
    *, source: Source, progress=None, http: Http | None = None, timings: list | None = None
) -> SourceRun:
    """Run `source` once: fetch, normalize, write, close what disappeared (complete fetches only), record
    health. Never raises for anything the source sends; raises Conflict when a run of it is under way.
    `progress(n)` is called after each batch of n items (for a progress bar); `timings`, when given, gets
    `(seconds, fetched, written)` of each batch (for the bench)."""
    if not _try_run_lock(source.pk):
        raise Conflict(f"Source {source.name!r} is being run already.", code="source_running")
    try:
        return _run(source=source, progress=progress, http=http, timings=timings)
    finally:
        _release_run_lock(source.pk)


def _save_batch(*, source: Source, items: list, now: datetime, employers: dict, reject) -> Counter:
    """Write a batch in one transaction; when it fails, write its items one by one (a batch of one each), so
    that only the item that cannot be saved is rejected, with its reason, and the rest imports."""
    if not items:
        return Counter()
    try:
        return Counter(imported_jobs_save(source=source, items=items, now=now, employers=employers))
    except Exception:  # noqa: BLE001 - find the bad item below
        logger.info("Source %s: a batch of %d failed; writing it item by item", source.pk, len(items))
    outcomes: Counter = Counter()
    for listing, content_hash in items:
        try:
            outcomes.update(
                imported_jobs_save(
                    source=source, items=[(listing, content_hash)], now=now, employers=employers
                )
            )
        except Exception as failure:  # noqa: BLE001 - one item's failure must not stop the run
            logger.exception("Source %s: item %s could not be saved", source.pk, listing.external_id)
            reject(listing.external_id, f"could not be saved: {failure.__class__.__name__}: {failure}")
    return outcomes


def _run(*, source: Source, progress, http: Http | None, timings: list | None = None) -> SourceRun:
    started = timezone.now()
    run = SourceRun.objects.create(source=source, started_at=started)
    counts: Counter = Counter()
    reasons: Counter = Counter()
    rejections: list[dict] = []

    def reject(ref: str, reason: str) -> None:
        counts["rejected"] += 1
        reasons[_short_reason(reason)] += 1
        if len(rejections) < MAX_RECORDED_REJECTIONS:
            rejections.append({"ref": ref[:200], "reason": reason[:500]})

    known = {
        external_id: (content_hash, status)
        for external_id, content_hash, status in ImportedJob.objects.filter(source=source).values_list(
            "external_id", "content_hash", "status"
        )
    }
    seen: set[str] = set()
    employers: dict = {}
    analyzed: set[int] = set()
    pending: list[tuple[Listing, str]] = []
    batch = {"fetched": 0, "started": time.perf_counter()}

    def flush() -> None:
        """Write the changed items of the last WRITE_BATCH fetched, report the batch's progress and time."""
        written = counts["new"] + counts["updated"] + counts["reopened"] + counts["duplicate"]
        due = {mark for mark in ANALYZE_AFTER_WRITES if written >= mark} - analyzed
        if pending and due:
            analyzed.update(due)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE ingest_importedjob")
        counts.update(
            _save_batch(source=source, items=pending, now=started, employers=employers, reject=reject)
        )
        if progress and batch["fetched"]:
            progress(batch["fetched"])
        if timings is not None and batch["fetched"]:
            timings.append((time.perf_counter() - batch["started"], batch["fetched"], len(pending)))
        pending.clear()
        batch.update(fetched=0, started=time.perf_counter())

    status, error = SourceRun.Status.SUCCESS, ""
    http = http or Http(etag=source.etag, last_modified=source.last_modified)
    try:
        for position, item in enumerate(adapter(source.kind).fetch(source, http), start=1):
            if batch["fetched"] == WRITE_BATCH:
                flush()
            counts["fetched"] += 1
            batch["fetched"] += 1
            if isinstance(item, Rejected):
                reject(item.ref or f"#{position}", item.reason)
                continue
            try:
                listing = normalize(item, default_company=source.company_name, now=started)
            except Reject as rejected:
                reject(str(item.external_id or f"#{position}"), str(rejected))
                continue
            if listing.external_id in seen:
                reject(listing.external_id, "repeated id in the same feed")
                continue
            seen.add(listing.external_id)
            for note in listing.notes:
                reasons[_short_reason(note)] += 1
            content_hash = listing.content_hash()
            before = known.get(listing.external_id)
            if (
                before
                and before[0] == content_hash
                and before[1] in (ImportedJob.Status.LIVE, ImportedJob.Status.DUPLICATE)
            ):
                counts["unchanged"] += 1
                continue
            pending.append((listing, content_hash))
    except NotModified:
        status = SourceRun.Status.NOT_MODIFIED
    except FetchFailed as failure:
        status = SourceRun.Status.PARTIAL if counts["fetched"] else SourceRun.Status.FAILED
        error = str(failure)
    except Exception as failure:  # noqa: BLE001 - an adapter bug fails this source's run, not the worker
        logger.exception("Source %s: the adapter failed", source.pk)
        status = SourceRun.Status.PARTIAL if counts["fetched"] else SourceRun.Status.FAILED
        error = f"{failure.__class__.__name__}: {failure}"
    finally:
        if http is not None:
            http.close()
    # What came before a failure is written too: a partial run imports what it fetched and closes nothing.
    flush()

    now = timezone.now()
    complete = status in (SourceRun.Status.SUCCESS, SourceRun.Status.NOT_MODIFIED)
    if status == SourceRun.Status.SUCCESS:
        gone = [
            pk
            for pk, external_id in ImportedJob.objects.filter(
                source=source, status__in=[ImportedJob.Status.LIVE, ImportedJob.Status.DUPLICATE]
            ).values_list("pk", "external_id")
            if external_id not in seen
        ]
        counts["closed"] = _close(source=source, job_ids=gone, status=ImportedJob.Status.CLOSED, now=now)
    counts["requests"], counts["retries"] = http.requests, http.retries
    if reasons:
        counts["reasons"] = dict(reasons)
    run.status, run.finished_at, run.error = status, now, error
    run.counts, run.rejections = dict(counts), rejections
    run.save()
    _record_health(source=source, run=run, complete=complete, http=http)
    return run


def _record_health(*, source: Source, run: SourceRun, complete: bool, http: Http) -> None:
    fields = {"last_run_at": run.finished_at, "last_counts": run.counts}
    if complete:
        fields.update(
            last_success_at=run.finished_at,
            last_complete_at=run.finished_at,
            last_error="",
            consecutive_failures=0,
            healthy=True,
        )
        if run.status == SourceRun.Status.SUCCESS:
            fields.update(etag=http.etag[:300], last_modified=http.last_modified[:100])
    else:
        failures = source.consecutive_failures + 1
        fields.update(
            last_error=run.error,
            consecutive_failures=failures,
            healthy=failures < settings.INGEST_UNHEALTHY_AFTER_FAILURES,
        )
        if source.healthy and not fields["healthy"]:
            _tell_operator(source=source, run=run, failures=failures)
    Source.objects.filter(pk=source.pk).update(**fields)
    for name, value in fields.items():
        setattr(source, name, value)


def _tell_operator(*, source: Source, run: SourceRun, failures: int) -> None:
    message = (
        f"Job source {source.name} ({source.kind}, {source.url}) failed {failures} runs in a row: {run.error}"
    )
    logger.error(message)  # reaches Sentry where it is configured
    try:
        mail_admins(f"Job source {source.name} is unhealthy", message, fail_silently=True)
    except Exception:  # noqa: BLE001 - telling must not fail the run
        logger.warning("Could not mail the admins about source %s", source.pk, exc_info=True)


# --- expiry -------------------------------------------------------------------------------------------------------


def imported_jobs_expire(*, now: datetime | None = None) -> int:
    """Expire live imported jobs not verified live for `INGEST_EXPIRE_DAYS`: neither written since nor seen
    in a complete fetch of their source since (a source that keeps failing loses its jobs this way)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.INGEST_EXPIRE_DAYS)
    stale = ImportedJob.objects.filter(status=ImportedJob.Status.LIVE, last_verified_live__lt=cutoff).filter(
        Q(source__last_complete_at__isnull=True) | Q(source__last_complete_at__lt=cutoff)
    )
    expired = 0
    by_source: dict[int, list[int]] = {}
    for pk, source_id in stale.values_list("pk", "source_id"):
        by_source.setdefault(source_id, []).append(pk)
    for source in Source.objects.filter(pk__in=by_source):
        expired += _close(
            source=source, job_ids=by_source[source.pk], status=ImportedJob.Status.EXPIRED, now=now
        )
    return expired


def source_get(*, source_id: int) -> Source:
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        raise NotFound(f"No source {source_id}.", code="source_not_found")
    return source
