"""Writes to the marketplace: the public index of live jobs (kept in step with the employers' postings, in the
same transaction), and each seeker's saved jobs and saved searches.

Index writes for one employer are serialized by a transaction-level advisory lock on that employer, taken before
any index row is touched: a posting change, a tenant's suspension and a rebuild can then not interleave into a
state where a closed job is listed or a listed job is missing. Lock order is always posting row -> tenant's
index lock (a rebuild takes only the latter and reads postings without locking them), so there is no deadlock.
"""

import logging
import uuid
from datetime import datetime, timedelta
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from billing.entitlements import consume, release
from billing.plans import Audience, Metric
from billing.selectors import billing_account_for_user
from jobpilot.api.services import job_changes_record
from jobpilot.jobs.html import html_to_text, summarize
from jobpilot.jobs.models import ANNUAL_FACTOR, CompanyProfile, JobPosting
from jobpilot.jobs.selectors import company_profile_get, current_tenant, job_postings_live
from jobpilot.marketplace.models import DismissedJob, MarketplaceJob, SavedJob, SavedSearch
from jobpilot.marketplace.selectors import saved_search_new_matches, saved_searches_matching_job
from jobpilot.matching.services import job_understanding_on_commit
from jobpilot.notifications.services import notify
from jobpilot.notifications.types import NotificationType
from jobpilot.search.language import detect as detect_language
from tenants.models import Tenant
from tenants.selectors import tenant_site_origin

logger = logging.getLogger(__name__)

INDEX_LOCK_NAMESPACE = 0x4A50  # "JP": first key of pg_advisory_xact_lock(namespace, tenant_id)


def _lock_tenant_index(tenant_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [INDEX_LOCK_NAMESPACE, tenant_id])


def _tenant_is_active(tenant_id: int) -> bool:
    # Read under the index lock: a suspension that committed before we got the lock is seen here.
    return Tenant.objects.filter(pk=tenant_id, status=Tenant.Status.ACTIVE).exists()


# --- the index ----------------------------------------------------------------------------------------------------


def index_row(*, posting: JobPosting, profile: CompanyProfile, tenant: Tenant) -> dict:
    """The index row's fields for a posting: its public projection, with the company as the employer presents
    itself and every derived column search filters or ranks on."""
    skills = _unique(posting.skills)
    body_text = html_to_text(f"{posting.description} {posting.requirements}")
    salary_min, salary_max = posting.salary_min, posting.salary_max
    has_salary = salary_min is not None or salary_max is not None
    factor = ANNUAL_FACTOR.get(posting.salary_period, 1)
    low = salary_min if salary_min is not None else salary_max
    high = salary_max if salary_max is not None else salary_min
    return {
        "public_id": posting.public_id,
        "source": MarketplaceJob.Source.EMPLOYER,
        "tenant": tenant,
        "posting_id": posting.pk,
        # Provenance: the employer's ATS when the posting is synced from its board ("" when typed here).
        "source_name": posting.source,
        "title": posting.title,
        "slug": posting.slug,
        "company_name": profile.name,
        "company_slug": tenant.slug,
        "company_logo_url": profile.logo_url,
        "department": posting.department,
        "job_type": posting.job_type,
        "remote": posting.remote,
        "city": posting.city,
        "region": posting.region,
        "country": posting.country,
        "location_text": ", ".join(part for part in (posting.city, posting.region, posting.country) if part),
        "location_keys": _unique(
            part.lower() for part in (posting.city, posting.region, posting.country) if part
        ),
        "applicant_countries": list(posting.applicant_countries),
        "salary_min": salary_min,
        "salary_max": salary_max,
        "salary_currency": posting.salary_currency if has_salary else "",
        "salary_period": posting.salary_period if has_salary else "",
        "salary_annual_min": low * factor if has_salary else None,
        "salary_annual_max": high * factor if has_salary else None,
        "skills": skills,
        "skill_keys": _unique(skill.lower() for skill in skills),
        "tags": list(posting.tags),
        "keywords": " ".join([*skills, *posting.tags, posting.department]).strip(),
        "summary": summarize(html_to_text(posting.description) or body_text),
        "body_text": body_text,
        "language": detect_language(posting.title, body_text),
        "description_html": posting.description,
        "requirements_html": posting.requirements,
        "benefits_html": posting.benefits,
        "screening_questions": posting.screening_questions,
        "apply_url": posting.apply_url,
        "application_deadline": posting.application_deadline,
        "is_featured": posting.is_featured,
        "published_at": posting.published_at,
        "expires_at": posting.closes_at,
    }


def _unique(values) -> list[str]:
    return list(dict.fromkeys(value for value in values if value))


def marketplace_job_sync(*, posting: JobPosting) -> None:
    """Make the index agree with `posting` as it is now: listed while published, open and its employer active;
    absent otherwise. Call it in the transaction that changed the posting, in the posting's schema, after the
    change is saved; it takes the employer's index lock."""
    tenant = current_tenant()
    _lock_tenant_index(tenant.pk)
    closes_at = posting.closes_at
    live = (
        posting.status == JobPosting.Status.PUBLISHED
        and (closes_at is None or closes_at > timezone.now())
        and _tenant_is_active(tenant.pk)
    )
    if not live:
        _withdraw(tenant_id=tenant.pk, posting_id=posting.pk)
        return
    row = index_row(posting=posting, profile=company_profile_get(), tenant=tenant)
    kind = "updated"
    if not MarketplaceJob.objects.filter(tenant_id=tenant.pk, posting_id=posting.pk).update(
        **row, indexed_at=timezone.now()
    ):
        MarketplaceJob.objects.create(**row)
        kind = "created"
        _alert_instant_searches_on_commit([posting.public_id])
    job_changes_record(tenant_id=tenant.pk, public_ids=[posting.public_id], kind=kind)
    job_understanding_on_commit(posting.public_id)


def marketplace_job_withdraw(*, posting_id: int) -> None:
    """Take a posting of the current schema's employer out of the index (it is being deleted). Call in the
    transaction that deletes it; takes the employer's index lock."""
    tenant = current_tenant()
    _lock_tenant_index(tenant.pk)
    _withdraw(tenant_id=tenant.pk, posting_id=posting_id)


def _withdraw(*, tenant_id: int, posting_id: int) -> None:
    rows = MarketplaceJob.objects.filter(tenant_id=tenant_id, posting_id=posting_id)
    public_ids = list(rows.values_list("public_id", flat=True))
    if public_ids and rows.delete()[0]:
        job_changes_record(tenant_id=tenant_id, public_ids=public_ids, kind="closed")


def marketplace_company_sync(*, profile: CompanyProfile) -> None:
    """The employer renamed itself or changed its logo: every listing of its jobs shows the new one. Call in
    the transaction that saved the profile, in the employer's schema."""
    tenant = current_tenant()
    _lock_tenant_index(tenant.pk)
    rows = MarketplaceJob.objects.filter(tenant_id=tenant.pk)
    if rows.update(company_name=profile.name, company_logo_url=profile.logo_url, indexed_at=timezone.now()):
        public_ids = rows.values_list("public_id", flat=True)
        job_changes_record(tenant_id=tenant.pk, public_ids=public_ids, kind="updated")


@transaction.atomic
def marketplace_tenant_reindex(*, tenant: Tenant) -> int:
    """Replace the employer's index rows with what its schema says now: none while it is suspended, its live
    postings while it is active. Called in the transaction that suspends or reactivates an employer, and by
    `manage.py marketplace_rebuild`. Returns how many jobs are listed.

    Takes the employer's index lock; reads its postings without locking them (see the module docstring)."""
    _lock_tenant_index(tenant.pk)
    listed_before = set(
        MarketplaceJob.objects.filter(tenant_id=tenant.pk).values_list("public_id", flat=True)
    )
    MarketplaceJob.objects.filter(tenant_id=tenant.pk).delete()
    rows = []
    if _tenant_is_active(tenant.pk):
        # WARNING: rows are built inside this tenant's schema and labelled with this same tenant.
        with tenant_context(tenant):
            profile = company_profile_get()
            rows = [
                MarketplaceJob(**index_row(posting=posting, profile=profile, tenant=tenant))
                for posting in job_postings_live(now=timezone.now())
            ]
        MarketplaceJob.objects.bulk_create(rows, batch_size=500)
    listed_now = {row.public_id for row in rows}
    job_understanding_on_commit(*listed_now)  # the rows are new: their understanding went with the old ones
    for kind, public_ids in (
        ("closed", listed_before - listed_now),
        ("created", listed_now - listed_before),
        ("updated", listed_now & listed_before),
    ):
        job_changes_record(tenant_id=tenant.pk, public_ids=public_ids, kind=kind)
    return len(rows)


def marketplace_rebuild() -> dict:
    """Rebuild the index of every employer from its schema, one employer per transaction (so a long rebuild
    never holds more than one employer's lock). Imported jobs are left as they are."""
    tenants = Tenant.objects.exclude(schema_name=settings.PUBLIC_SCHEMA_NAME).order_by("pk")
    listed = [marketplace_tenant_reindex(tenant=tenant) for tenant in tenants]
    return {"tenants": len(listed), "jobs": sum(listed)}


# --- imported jobs ------------------------------------------------------------------------------------------------

# Advisory-lock key of the imported jobs' index (they have no employer): 0 is never a tenant's primary key.
IMPORTED_INDEX_LOCK = 0


def imported_index_row(*, listing: dict) -> dict:
    """The index row's fields for an imported job, from ingest's normalized listing: the same derived columns
    as an employer's posting gets in `index_row`. `listing["description_html"]` must be sanitized already."""
    from django.utils.text import slugify

    salary_min, salary_max = listing["salary_min"], listing["salary_max"]
    has_salary = salary_min is not None or salary_max is not None
    factor = ANNUAL_FACTOR.get(listing["salary_period"], 1)
    low = salary_min if salary_min is not None else salary_max
    high = salary_max if salary_max is not None else salary_min
    city, region, country = listing["city"], listing["region"], listing["country"]
    tags = _unique(listing["tags"])
    body_text = html_to_text(listing["description_html"])
    return {
        "title": listing["title"],
        "slug": slugify(listing["title"])[:80] or "job",
        "company_name": listing["company_name"],
        "company_slug": slugify(listing["company_name"])[:100] or "company",
        "department": listing["department"],
        "job_type": listing["job_type"],
        "remote": listing["remote"],
        "city": city,
        "region": region,
        "country": country,
        "location_text": listing["location_text"],
        "location_keys": _unique(part.lower()[:100] for part in (city, region, country) if part),
        "applicant_countries": list(listing["applicant_countries"]),
        "salary_min": salary_min,
        "salary_max": salary_max,
        "salary_currency": listing["salary_currency"] if has_salary else "",
        "salary_period": listing["salary_period"] if has_salary else "",
        "salary_annual_min": low * factor if has_salary else None,
        "salary_annual_max": high * factor if has_salary else None,
        "skills": [],
        "skill_keys": [],
        "tags": tags,
        "keywords": " ".join([*tags, listing["department"]]).strip(),
        "summary": summarize(body_text),
        "body_text": body_text,
        "language": detect_language(listing["title"], body_text),
        "description_html": listing["description_html"],
        "apply_url": listing["apply_url"],
        "published_at": listing["posted_at"],
        "expires_at": None,
    }


def marketplace_imported_jobs_upsert(*, source_name: str, items) -> dict[str, tuple[uuid.UUID, str]]:
    """List imported jobs of one source, or bring their listings up to date, a batch at a time: the rows, the
    changes feed (one entry per job, "created" or "updated", exactly as for an employer's posting, which the search
    indexer follows), their understanding and one enqueue of instant saved-search alerts for the batch's new
    listings. `items` are
    `(source_ref, listing, public_id)`; `public_id` keeps the id of an earlier listing of the same job (closed,
    now back) and is None otherwise. Returns `{source_ref: (public_id, "created" | "updated")}`.

    A fixed number of queries per batch, however large. Call in the caller's transaction; takes the imported
    jobs' index lock."""
    items = list(items)
    if not items:
        return {}
    _lock_tenant_index(IMPORTED_INDEX_LOCK)
    existing = {
        source_ref: (pk, public_id)
        for source_ref, pk, public_id in MarketplaceJob.objects.filter(
            source=MarketplaceJob.Source.IMPORTED,
            source_name=source_name,
            source_ref__in=[source_ref for source_ref, _, _ in items],
        ).values_list("source_ref", "pk", "public_id")
    }
    now = timezone.now()
    created: list[MarketplaceJob] = []
    updated: list[MarketplaceJob] = []
    fields: list[str] = []
    outcome: dict[str, tuple[uuid.UUID, str]] = {}
    for source_ref, listing, public_id in items:
        row = imported_index_row(listing=listing)
        fields = fields or [*row, "indexed_at"]
        if source_ref in existing:
            pk, public_id = existing[source_ref]
            updated.append(
                MarketplaceJob(
                    pk=pk,
                    public_id=public_id,
                    source=MarketplaceJob.Source.IMPORTED,
                    source_name=source_name,
                    source_ref=source_ref,
                    **row,
                    indexed_at=now,
                )
            )
            outcome[source_ref] = (public_id, "updated")
        else:
            job = MarketplaceJob(
                source=MarketplaceJob.Source.IMPORTED,
                source_name=source_name,
                source_ref=source_ref,
                **row,
                **({"public_id": public_id} if public_id else {}),
            )
            created.append(job)
            outcome[source_ref] = (job.public_id, "created")
    MarketplaceJob.objects.bulk_create(created)
    if updated:
        # One INSERT .. ON CONFLICT (id) DO UPDATE for the changed rows: bulk_update's CASE per column costs
        # seconds of Python per batch; the rows exist (read above, under the lock), so this only updates.
        MarketplaceJob.objects.bulk_create(
            updated, update_conflicts=True, unique_fields=["id"], update_fields=fields
        )
    _alert_instant_searches_on_commit([job.public_id for job in created])
    job_changes_record(tenant_id=None, public_ids=[job.public_id for job in created], kind="created")
    job_changes_record(tenant_id=None, public_ids=[job.public_id for job in updated], kind="updated")
    job_understanding_on_commit(*[job.public_id for job in [*created, *updated]])
    return outcome


def marketplace_imported_jobs_withdraw(*, source_name: str, source_refs) -> int:
    """Take imported jobs out of the index (closed or expired at their source, or found to be duplicates).
    Call in the caller's transaction; takes the imported jobs' index lock. Returns how many rows left."""
    _lock_tenant_index(IMPORTED_INDEX_LOCK)
    rows = MarketplaceJob.objects.filter(
        source=MarketplaceJob.Source.IMPORTED, source_name=source_name, source_ref__in=list(source_refs)
    )
    public_ids = list(rows.values_list("public_id", flat=True))
    if not public_ids:
        return 0
    deleted = rows.delete()[0]
    job_changes_record(tenant_id=None, public_ids=public_ids, kind="closed")
    return deleted


# --- saved jobs and searches --------------------------------------------------------------------------------------


@transaction.atomic
def saved_job_create(*, user, job: MarketplaceJob) -> tuple[SavedJob, bool]:
    """Save a live job for the seeker. Saving again is harmless and free: the existing bookmark is returned.
    Returns the bookmark and whether it is new.

    WARNING: billing. A new bookmark takes one unit of the seeker plan's `saved_jobs` (402 when reached); the
    unit and the row commit together, and a concurrent duplicate save rolls its unit back with its savepoint."""
    existing = SavedJob.objects.filter(user=user, job_public_id=job.public_id).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            consume(billing_account_for_user(user, Audience.SEEKER), Metric.SAVED_JOBS)
            saved = SavedJob.objects.create(
                user=user,
                job_public_id=job.public_id,
                title=job.title,
                company_name=job.company_name,
                tenant_id=job.tenant_id,
            )
    except IntegrityError:
        return SavedJob.objects.get(user=user, job_public_id=job.public_id), False
    return saved, True


@transaction.atomic
def saved_job_delete(*, user, public_id) -> None:
    """Remove a bookmark (also of a job that has since left the marketplace), giving its unit back. Idempotent."""
    deleted, _ = SavedJob.objects.filter(user=user, job_public_id=public_id).delete()
    if deleted:
        release(billing_account_for_user(user, Audience.SEEKER), Metric.SAVED_JOBS, deleted)


def dismissed_job_create(*, user, job: MarketplaceJob) -> tuple[DismissedJob, bool]:
    """ "Not interested": the job leaves the seeker's recommendations for good. Dismissing again is harmless
    (one row per seeker and job, also under concurrency). Returns the row and whether it is new."""
    dismissed, created = DismissedJob.objects.get_or_create(
        user=user,
        job_public_id=job.public_id,
        defaults={"title": job.title, "company_name": job.company_name},
    )
    return dismissed, created


def dismissed_job_delete(*, user, public_id) -> None:
    """Undo a dismissal (also of a job that has since closed). Idempotent."""
    DismissedJob.objects.filter(user=user, job_public_id=public_id).delete()


@transaction.atomic
def saved_search_create(
    *, user, tenant: Tenant | None, name: str, q: str, filters: dict, frequency: str
) -> SavedSearch:
    """Save a search. `tenant` is the scope of the host it was saved on (None: the whole marketplace).

    WARNING: billing. Takes one unit of the seeker plan's `saved_searches` (402 when reached), in this
    transaction, so the plan's limit holds when two saves race."""
    consume(billing_account_for_user(user, Audience.SEEKER), Metric.SAVED_SEARCHES)
    return SavedSearch.objects.create(
        user=user, tenant=tenant, name=name, q=q, filters=filters, frequency=frequency
    )


def saved_search_update(*, saved_search: SavedSearch, changes: dict) -> SavedSearch:
    """Change a saved search. Alerts switched back on from "off" start from now: the jobs listed while they were
    off are not sent as one late digest."""
    changes = dict(changes)
    turned_on = (
        saved_search.frequency == SavedSearch.Frequency.OFF
        and changes.get("frequency", SavedSearch.Frequency.OFF) != SavedSearch.Frequency.OFF
    )
    if turned_on:
        changes["last_alerted_at"] = timezone.now()
    for field, value in changes.items():
        setattr(saved_search, field, value)
    saved_search.save(update_fields=[*changes, "updated_at"])
    return saved_search


@transaction.atomic
def saved_search_delete(*, saved_search: SavedSearch) -> None:
    saved_search.delete()
    release(billing_account_for_user(saved_search.user, Audience.SEEKER), Metric.SAVED_SEARCHES)


# --- saved-search alerts ------------------------------------------------------------------------------------------

DIGEST_TOP_TITLES = 5
DIGEST_MAX_MATCHES = 100


def _alert_instant_searches_on_commit(public_ids) -> None:
    """After commit, one task for the instant alerts of all the newly listed jobs `public_ids` (a batch of an
    import is one enqueue, not one per job)."""
    public_ids = [str(public_id) for public_id in public_ids]
    if not public_ids:
        return

    def enqueue():
        from jobpilot.marketplace.tasks import alert_instant_saved_searches_many

        try:
            # No publish retries: a broker outage must not fail the employer's publish.
            alert_instant_saved_searches_many.apply_async((public_ids,), retry=False)
        except Exception:  # noqa: BLE001
            logger.warning("Could not enqueue instant alerts for jobs %s", public_ids[:5], exc_info=True)

    transaction.on_commit(enqueue, robust=True)


def _site_origin(tenant: Tenant | None) -> str:
    if tenant is None:
        site = urlsplit(settings.SITE_URL)
        return f"{site.scheme}://{site.netloc}"
    return tenant_site_origin(tenant)


# An alert's links are tagged as its own, so a visit through one (from the email or the bell) counts with the
# source `alert_email` in analytics (`analytics.capture.source_of`).
ALERT_LINK_UTM = {"utm_source": "saved_search", "utm_medium": "email"}


def _job_url(job: MarketplaceJob, saved_search: SavedSearch) -> str:
    # On the host the search was saved on: the employer's portal for a portal search, else the marketplace.
    return f"{_site_origin(saved_search.tenant)}/jobs/{job.public_id}/{job.slug}/?{urlencode(ALERT_LINK_UTM)}"


def saved_search_alert_instant(*, public_id) -> int:
    """Notify the owner of every instant saved search that the newly listed job `public_id` matches. Returns how
    many were notified. Each (search, job) pair is notified at most once (dedupe key), so a retried task or a job
    listed again is harmless. A job that has left the marketplace since is not announced."""
    job = MarketplaceJob.objects.filter(public_id=public_id).first()
    if job is None:
        return 0
    notified = 0
    for saved_search in saved_searches_matching_job(job=job, frequency=SavedSearch.Frequency.INSTANT):
        created = notify(
            recipient=saved_search.user,
            type=NotificationType.SAVED_SEARCH_MATCH,
            title=f"New job for “{saved_search.name}”: {job.title}",
            body=f"{job.company_name}{f' · {job.location_text}' if job.location_text else ''}",
            data={
                "url": _job_url(job, saved_search),
                "job_id": job.public_id,
                "saved_search_id": saved_search.pk,
            },
            tenant=saved_search.tenant,
            dedupe_key=f"saved-search:{saved_search.pk}:job:{job.public_id}",
        )
        notified += created is not None
    return notified


def saved_search_alert_digest(*, saved_search: SavedSearch, now: datetime) -> bool:
    """Send one notification summing up the jobs new to a daily or weekly saved search since its last alert (or
    its creation), and move `last_alerted_at` to `now`. Returns whether this call claimed the alert.

    The claim is a conditional UPDATE on the `last_alerted_at` this caller read, in the same transaction as the
    notification: a concurrent run blocks on the row lock, then finds the value changed and claims nothing. A
    failure rolls the claim back, so the next run alerts over the same window."""
    since = saved_search.last_alerted_at
    with transaction.atomic():
        claimed = (
            SavedSearch.objects.filter(pk=saved_search.pk, last_alerted_at=since)
            if since is not None
            else SavedSearch.objects.filter(pk=saved_search.pk, last_alerted_at__isnull=True)
        ).update(last_alerted_at=now)
        if not claimed:
            return False
        matches = saved_search_new_matches(
            saved_search, since or saved_search.created_at, limit=DIGEST_MAX_MATCHES
        )
        if matches:
            _notify_digest(saved_search=saved_search, matches=matches, since=since or saved_search.created_at)
    return True


def _notify_digest(*, saved_search: SavedSearch, matches: list[MarketplaceJob], since: datetime) -> None:
    count = f"{len(matches)}+" if len(matches) >= DIGEST_MAX_MATCHES else str(len(matches))
    top = matches[:DIGEST_TOP_TITLES]
    plural = "s" if len(matches) != 1 else ""
    notify(
        recipient=saved_search.user,
        type=NotificationType.SAVED_SEARCH_MATCH,
        title=f"{count} new job{plural} for “{saved_search.name}”",
        body="; ".join(f"{job.title} at {job.company_name}" for job in top),
        data={
            "url": f"{_site_origin(saved_search.tenant)}/jobs/?"
            + urlencode({**({"q": saved_search.q} if saved_search.q else {}), **ALERT_LINK_UTM}),
            "saved_search_id": saved_search.pk,
            "count": len(matches),
            "jobs": [
                {"id": job.public_id, "title": job.title, "url": _job_url(job, saved_search)} for job in top
            ],
            # The email lists each job under its own link (`notifications.services._email_context`).
            "links": [
                {"text": f"{job.title} at {job.company_name}", "url": _job_url(job, saved_search)}
                for job in top
            ],
        },
        tenant=saved_search.tenant,
        dedupe_key=f"saved-search:{saved_search.pk}:since:{since.isoformat()}",
    )


DIGEST_EVERY = {
    SavedSearch.Frequency.DAILY: timedelta(days=1),
    SavedSearch.Frequency.WEEKLY: timedelta(days=7),
}
