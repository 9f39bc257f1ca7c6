"""Reads of the marketplace: search, a job's public page, saved jobs and saved searches.

The scope of every read is the host's tenant: the public marketplace sees every employer's (and imported) jobs,
an employer's domain only that employer's. It is passed in as the resolved `request.tenant`, never a parameter.
"""

import functools
import math
from dataclasses import replace
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from jobpilot.core.errors import NotFound
from jobpilot.core.metrics import SEARCH_SECONDS, timed
from jobpilot.jobs.selectors import parse_public_id
from jobpilot.marketplace import cache as search_cache
from jobpilot.marketplace.models import MarketplaceJob, SavedJob, SavedSearch
from jobpilot.marketplace.schemas import SearchFilterParams
from jobpilot.marketplace.search import (
    CARD_COLUMNS,
    SearchFilters,
    Sort,
    candidates,
    cards,
    normalize_query,
    where_clause,
)
from tenants.models import Tenant


def _scope(tenant: Tenant | None) -> int | None:
    """WARNING: the tenant id every marketplace read is limited to (None: all). From the host, never a parameter."""
    return None if tenant is None or tenant.is_public else tenant.pk


def _live() -> Q:
    return Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())


@functools.lru_cache(maxsize=4096)
def _normalized(q: str) -> str:
    # A pure function of the text (for a given text search configuration): remembered per process.
    return normalize_query(q)


# --- search -------------------------------------------------------------------------------------------------------


def marketplace_search(
    *, tenant: Tenant, q: str, filters: SearchFilters, sort: str, page: int, limit: int, facets: bool
) -> dict:
    """One page of search results with pagination and (if asked) facets, as plain data (timed for /metrics)."""
    with timed(SEARCH_SECONDS, scope="marketplace" if tenant.is_public else "careers_site"):
        return _search(tenant=tenant, q=q, filters=filters, sort=sort, page=page, limit=limit, facets=facets)


def _search(
    *, tenant: Tenant, q: str, filters: SearchFilters, sort: str, page: int, limit: int, facets: bool
) -> dict:
    """One page of search results with pagination and (if asked) facets, as plain data.

    The search's candidate list and summary are cached for `MARKETPLACE_SEARCH_CACHE_SECONDS` under the
    scope's generation (see `marketplace.cache`), so that its other pages cost one query each."""
    tsquery = _normalized(q)
    filters = replace(filters, tenant_id=_scope(tenant), tsquery=tsquery)
    if sort == Sort.RELEVANCE and not tsquery:
        sort = Sort.NEWEST  # nothing to rank by
    offset = (page - 1) * limit
    window = settings.MARKETPLACE_SEARCH_WINDOW

    ttl = search_cache.ttl()
    found = None
    if ttl:
        scope = search_cache.scope_of(filters.tenant_id)
        key = search_cache.key(scope, search_cache.generation(scope), filters, sort)
        found = cache.get(key)
    if found is None:
        found = candidates(
            filters,
            sort=sort,
            count_cap=settings.MARKETPLACE_SEARCH_COUNT_CAP,
            pool=settings.MARKETPLACE_SEARCH_POOL,
            window=window,
        )
        if ttl:
            cache.set(key, found, timeout=ttl)
    ids = found.ids[offset : offset + limit]

    summary = found.summary
    return {
        "results": [card(row) for row in cards(ids)],
        "pagination": {
            "page": page,
            "limit": limit,
            "total": summary.total,
            "pages": math.ceil(min(summary.total, window) / limit),
            "total_is_estimate": summary.total_is_estimate,
        },
        "facets": summary.facets if facets else None,
    }


def card(row) -> dict:
    """A result card from an index row (a dict from search, or a `MarketplaceJob`)."""
    get = row.get if isinstance(row, dict) else functools.partial(getattr, row)
    has_salary = get("salary_min") is not None or get("salary_max") is not None
    return {
        "id": get("public_id"),
        "source": get("source"),
        "title": get("title"),
        "slug": get("slug"),
        "company": {
            "name": get("company_name"),
            "slug": get("company_slug"),
            "logo_url": get("company_logo_url"),
        },
        "department": get("department"),
        "job_type": get("job_type"),
        "remote": get("remote"),
        "location": {
            "city": get("city"),
            "region": get("region"),
            "country": get("country"),
            "text": get("location_text"),
        },
        "salary": {
            "min": get("salary_min"),
            "max": get("salary_max"),
            "currency": get("salary_currency"),
            "period": get("salary_period"),
        }
        if has_salary
        else None,
        "skills": get("skills"),
        "tags": get("tags"),
        "summary": get("summary"),
        "apply_url": get("apply_url"),
        "is_featured": get("is_featured"),
        "published_at": get("published_at"),
        "expires_at": get("expires_at"),
    }


# --- one job ------------------------------------------------------------------------------------------------------


def marketplace_job_get(*, public_id, tenant: Tenant | None = None) -> MarketplaceJob:
    """A live job by its public id, with its tenant (None for imported jobs) so that a caller can enter the
    employer's schema (`tenant_context(job.tenant)`) and find the posting by `job.posting_id`.

    `tenant`: the host's tenant; on an employer's domain, another employer's job is not found."""
    jobs = MarketplaceJob.objects.select_related("tenant").filter(
        _live(), public_id=parse_public_id(public_id)
    )
    scope = _scope(tenant)
    if scope is not None:
        jobs = jobs.filter(tenant_id=scope)
    job = jobs.first()
    if job is None:
        raise NotFound("No such job, or it is no longer open.", code="job_not_found")
    return job


def job_detail(job: MarketplaceJob) -> dict:
    return {
        **card(job),
        "source_name": job.source_name,
        "description_html": job.description_html,
        "requirements_html": job.requirements_html,
        "benefits_html": job.benefits_html,
        "applicant_countries": job.applicant_countries,
        "application_deadline": job.application_deadline,
        "screening_questions": job.screening_questions,
    }


# --- saved jobs ---------------------------------------------------------------------------------------------------


def saved_job_list(*, user, tenant: Tenant, page: int, limit: int) -> dict:
    """The seeker's saved jobs, newest first, each with the live listing when the job is still open."""
    saved = SavedJob.objects.filter(user=user)
    scope = _scope(tenant)
    if scope is not None:
        saved = saved.filter(tenant_id=scope)
    total = saved.count()
    rows = list(saved.order_by("-created_at", "-id")[(page - 1) * limit : page * limit])
    live = {
        job.public_id: job
        for job in MarketplaceJob.objects.filter(
            _live(), public_id__in=[row.job_public_id for row in rows]
        ).only(*CARD_COLUMNS)
    }
    results = []
    for row in rows:
        job = live.get(row.job_public_id)
        results.append(
            {
                "id": row.job_public_id,
                "title": job.title if job else row.title,
                "company_name": job.company_name if job else row.company_name,
                "saved_at": row.created_at,
                "available": job is not None,
                "job": card(job) if job else None,
            }
        )
    return {
        "results": results,
        "pagination": {
            "page": page,
            "limit": limit,
            "total": total,
            "pages": math.ceil(total / limit),
            "total_is_estimate": False,
        },
    }


# --- saved searches -----------------------------------------------------------------------------------------------


def saved_search_list(*, user) -> QuerySet[SavedSearch]:
    return SavedSearch.objects.filter(user=user).select_related("tenant").order_by("-created_at", "-id")


def saved_search_get(*, user, saved_search_id: int) -> SavedSearch:
    """The user's own saved search; anyone else's is not found."""
    saved_search = saved_search_list(user=user).filter(pk=saved_search_id).first()
    if saved_search is None:
        raise NotFound("No such saved search.", code="saved_search_not_found")
    return saved_search


def saved_search_new_matches(
    saved_search: SavedSearch, since: datetime, *, limit: int = 100
) -> list[MarketplaceJob]:
    """Live jobs matching the saved search that were published after `since`, newest first (at most `limit`).
    For alerts: pass the time of the previous alert (or the search's creation)."""
    where = where_clause(saved_search_filters(saved_search, published_after=since))
    sql = (
        f"SELECT mj.* FROM marketplace_job mj WHERE {where.render()} "  # noqa: S608 - only placeholders are interpolated
        "ORDER BY mj.published_at DESC, mj.id DESC LIMIT %s"
    )
    return list(MarketplaceJob.objects.raw(sql, [*where.params, limit]))


def saved_search_filters(saved_search: SavedSearch, **extra) -> SearchFilters:
    """The saved search as search filters. WARNING: its scope is the tenant it was saved on, never widened."""
    return replace(
        SearchFilterParams.model_validate(saved_search.filters).filters(),
        tenant_id=saved_search.tenant_id,
        tsquery=_normalized(saved_search.q),
        **extra,
    )


def saved_searches_matching_job(
    *, job: MarketplaceJob, frequency: str, chunk: int = 200
) -> list[SavedSearch]:
    """The saved searches of `frequency` that `job` matches, with their users: each distinct set of filters
    (`where_clause`, as search runs them; many seekers save the same search) tested once against this one row,
    `chunk` of them per query.

    Only searches whose scope can contain the job are candidates: the whole marketplace, or the job's employer."""
    scope = Q(tenant__isnull=True) | Q(tenant_id=job.tenant_id) if job.tenant_id else Q(tenant__isnull=True)
    searches = list(
        SavedSearch.objects.filter(scope, frequency=frequency, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    )
    # SearchFilters is hashable and carries the search's tenant scope, so equal filters are equal conditions.
    by_filters: dict[SearchFilters, list[SavedSearch]] = {}
    for saved_search in searches:
        by_filters.setdefault(saved_search_filters(saved_search), []).append(saved_search)
    distinct = list(by_filters)
    matched: list[SavedSearch] = []
    for start in range(0, len(distinct), chunk):
        parts, params = [], []
        for number, filters in enumerate(distinct[start : start + chunk], start=start):
            where = where_clause(filters)
            parts.append(
                f"SELECT %s::int AS n WHERE EXISTS (SELECT 1 FROM marketplace_job mj WHERE {where.render()} "  # noqa: S608
                "AND mj.id = %s)"
            )
            params.extend([number, *where.params, job.pk])
        with connection.cursor() as cursor:
            # Only placeholders are interpolated into the parts.
            cursor.execute(" UNION ALL ".join(parts), params)
            for (number,) in cursor.fetchall():
                matched.extend(by_filters[distinct[number]])
    return sorted(matched, key=lambda saved_search: saved_search.pk)


def saved_searches_due(*, frequency: str, every: timedelta, now: datetime) -> QuerySet[SavedSearch]:
    """Digest searches whose last alert (or creation, when never alerted) is at least `every` ago."""
    due_before = now - every
    return (
        SavedSearch.objects.filter(frequency=frequency, user__is_active=True)
        .filter(
            Q(last_alerted_at__lte=due_before) | Q(last_alerted_at__isnull=True, created_at__lte=due_before)
        )
        .order_by("pk")
    )


# --- syndication --------------------------------------------------------------------------------------------------


def marketplace_jobs_listed(*, tenant: Tenant) -> QuerySet[MarketplaceJob]:
    """Every live job of JobPilot employers in the host's scope, newest first: what feeds and sitemaps list.
    Imported jobs are not ours to syndicate. Iterate it (`.iterator()`): a marketplace feed is complete."""
    jobs = MarketplaceJob.objects.select_related("tenant").filter(_live(), tenant__isnull=False)
    scope = _scope(tenant)
    if scope is not None:
        jobs = jobs.filter(tenant_id=scope)
    return jobs.order_by("-published_at", "-id")


def employer_listings_of_companies(*, companies, limit: int = 500) -> dict[tuple, list[dict]]:
    """The listed employer postings of each company, newest first (up to `limit` each): what ingest compares an
    imported job with, so that an employer's own posting wins over the same job imported from its ATS board.
    A company is the tuple of the slugs its name may have; one query for all of them."""
    companies = [tuple(company) for company in companies]
    by_slug: dict[str, list[dict]] = {}
    rows = (
        MarketplaceJob.objects.filter(
            source=MarketplaceJob.Source.EMPLOYER,
            company_slug__in={slug for company in companies for slug in company},
        )
        .order_by("-published_at", "-id")
        .values(
            "company_slug", "public_id", "title", "city", "country", "remote", "apply_url", "published_at"
        )
    )
    for row in rows.iterator(chunk_size=2000):
        by_slug.setdefault(row["company_slug"], []).append(row)
    listings = {}
    for company in companies:
        merged = [row for slug in dict.fromkeys(company) for row in by_slug.get(slug, ())]
        merged.sort(key=lambda row: row["published_at"], reverse=True)
        listings[company] = merged[:limit]
    return listings


def saved_export_data(*, user) -> dict:
    """The seeker's saved jobs and saved searches (every host's) for the privacy export."""
    return {
        "saved_jobs": list(
            SavedJob.objects.filter(user=user)
            .values("job_public_id", "title", "company_name", "tenant__name", "created_at")
            .order_by("created_at", "pk")
        ),
        "saved_searches": list(
            SavedSearch.objects.filter(user=user)
            .values("name", "q", "filters", "frequency", "tenant__name", "last_alerted_at", "created_at")
            .order_by("created_at", "pk")
        ),
    }
