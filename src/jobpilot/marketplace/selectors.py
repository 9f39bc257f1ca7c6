"""Reads of the marketplace: search, a job's public page, saved jobs and saved searches.

The scope of every read is the host's tenant: the public marketplace sees every employer's (and imported) jobs,
an employer's domain only that employer's. It is passed in as the resolved `request.tenant`, never a parameter.
"""

import functools
import json
import math
from dataclasses import replace
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from jobpilot.core.errors import NotFound
from jobpilot.core.metrics import SEARCH_SECONDS, timed
from jobpilot.jobs.selectors import parse_public_id
from jobpilot.marketplace.models import MarketplaceJob, SavedJob, SavedSearch
from jobpilot.marketplace.schemas import SearchFilterParams, decode_cursor, encode_cursor
from jobpilot.search import index as search_index
from jobpilot.search.backend import Page, SearchFilters, Sort
from jobpilot.search.query import parse
from tenants.models import Tenant

# Card columns: what a result list shows. The job page reads the whole row instead.
CARD_COLUMNS = (
    "public_id",
    "source",
    "title",
    "slug",
    "company_name",
    "company_slug",
    "company_logo_url",
    "department",
    "job_type",
    "remote",
    "city",
    "region",
    "country",
    "location_text",
    "salary_min",
    "salary_max",
    "salary_currency",
    "salary_period",
    "skills",
    "tags",
    "summary",
    "apply_url",
    "is_featured",
    "published_at",
    "expires_at",
)


def _scope(tenant: Tenant | None) -> int | None:
    """WARNING: the tenant id every marketplace read is limited to (None: all). From the host, never a parameter."""
    return None if tenant is None or tenant.is_public else tenant.pk


def _live() -> Q:
    return Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())


# --- search -------------------------------------------------------------------------------------------------------


def marketplace_search(
    *,
    tenant: Tenant,
    q: str,
    filters: SearchFilters,
    sort: str,
    page: int,
    limit: int,
    facets: bool,
    cursor: str = "",
) -> dict:
    """One page of search results with pagination and (if asked) facets, as plain data (timed for /metrics)."""
    with timed(SEARCH_SECONDS, scope="marketplace" if tenant.is_public else "careers_site"):
        return _search(
            tenant=tenant,
            q=q,
            filters=filters,
            sort=sort,
            page=page,
            limit=limit,
            facets=facets,
            cursor=cursor,
        )


def engine_search(filters: SearchFilters, page: Page):
    """The engine's answer for `filters`, after applying any change its process can see it has not (see
    `search.index.catch_up`). What search and saved-search digests both run."""
    search_index.catch_up()
    return search_index.backend().search(filters, page)


def _search(
    *,
    tenant: Tenant,
    q: str,
    filters: SearchFilters,
    sort: str,
    page: int,
    limit: int,
    facets: bool,
    cursor: str,
) -> dict:
    """The engine finds the page's ids, the exact total and facets; the cards are read from the index table by id
    and re-checked for liveness, so a job closed a moment ago never shows."""
    filters = replace(filters, tenant_id=_scope(tenant), text=q)
    offset, after = (page - 1) * limit, None
    ranked = sort == Sort.RELEVANCE and not parse(q).is_empty  # else newest first, paged by search-after
    if cursor:
        _sort, position = decode_cursor(cursor)
        offset, after = (position, None) if ranked else (0, position)
    found = engine_search(filters, Page(sort=sort, limit=limit, offset=offset, after=after, facets=facets))
    next_cursor = None
    if found.next_after is not None:
        next_cursor = encode_cursor(sort, found.next_after)
    elif ranked and offset + limit < found.total:
        next_cursor = encode_cursor(sort, offset + limit)
    rows = cards(found.row_ids)
    snippets = search_snippets(q, [row["id"] for row in rows], found.languages)
    return {
        "results": [{**card(row), "snippet": snippets.get(row["id"])} for row in rows],
        "pagination": {
            "page": page,
            "limit": limit,
            "total": found.total,
            "pages": math.ceil(found.total / limit),
            "total_is_estimate": False,
            "next_cursor": next_cursor,
        },
        "facets": found.facets if facets else None,
    }


def search_snippets(q: str, row_ids: list[int], languages: dict[int, str]) -> dict[int, dict]:
    """Per shown row, a passage of its description with the query's words (none without words), analysed in
    the row's language (`SearchResult.languages`). The text is read here for the page's rows only: the engine
    stores none."""
    if parse(q).is_empty or not row_ids:
        return {}
    bodies = dict(MarketplaceJob.objects.filter(pk__in=row_ids).values_list("id", "body_text"))
    found = search_index.backend().snippets(q, bodies, languages)
    return {row_id: {"text": s.text, "highlights": list(s.highlights)} for row_id, s in found.items()}


def marketplace_suggest(*, tenant: Tenant, q: str, limit: int) -> dict:
    """Completions of what a searcher is typing: whole titles, skills, companies and locations of live jobs in the
    host's scope, most frequent first."""
    search_index.catch_up()
    found = search_index.backend().suggest(q, limit, tenant_id=_scope(tenant))
    return {"results": [{"text": s.text, "kind": s.kind, "count": s.count} for s in found]}


def cards(row_ids: list[int]) -> list[dict]:
    """Result cards for index rows `row_ids`, in that order; rows gone or expired since the engine saw them are
    left out."""
    if not row_ids:
        return []
    rows = {
        row["id"]: row
        for row in MarketplaceJob.objects.filter(_live(), pk__in=row_ids).values("id", *CARD_COLUMNS)
    }
    return [rows[row_id] for row_id in row_ids if row_id in rows]


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
    """Live jobs matching the saved search that were published after `since`, newest first (at most `limit`):
    the engine's answer to the search itself, so a digest lists exactly what the search shows.
    For alerts: pass the time of the previous alert (or the search's creation)."""
    found = engine_search(
        saved_search_filters(saved_search, published_after=since), Page(sort=Sort.NEWEST, limit=limit)
    )
    rows = MarketplaceJob.objects.filter(_live(), pk__in=found.row_ids).in_bulk()
    return [rows[row_id] for row_id in found.row_ids if row_id in rows]


def saved_search_filters(saved_search: SavedSearch, **extra) -> SearchFilters:
    """The saved search as search filters. WARNING: its scope is the tenant it was saved on, never widened."""
    return replace(
        SearchFilterParams.model_validate(saved_search.filters).filters(),
        tenant_id=saved_search.tenant_id,
        text=saved_search.q,
        **extra,
    )


def saved_searches_matching_job(*, job: MarketplaceJob, frequency: str) -> list[SavedSearch]:
    """The saved searches of `frequency` that `job` matches, with their users: each distinct set of filters (many
    seekers save the same search) run once by the engine's own query against this one job (`matching`).

    Only searches whose scope can contain the job are candidates: the whole marketplace, or the job's employer."""
    scope = Q(tenant__isnull=True) | Q(tenant_id=job.tenant_id) if job.tenant_id else Q(tenant__isnull=True)
    candidates = SavedSearch.objects.filter(scope, frequency=frequency, user__is_active=True)
    # Matching needs only what a search is (whole rows and users are read for the matches only). SearchFilters is
    # hashable and carries the search's tenant scope, so equal filters are equal queries; each distinct stored
    # search is validated once (validating thousands of repeats cost more than matching them).
    by_filters: dict[SearchFilters, list[int]] = {}
    validated: dict[tuple, SearchFilters] = {}
    for pk, tenant_id, q, filters in candidates.values_list("pk", "tenant_id", "q", "filters"):
        stored = (tenant_id, q, json.dumps(filters, sort_keys=True))
        if stored not in validated:
            validated[stored] = saved_search_filters(SavedSearch(tenant_id=tenant_id, q=q, filters=filters))
        by_filters.setdefault(validated[stored], []).append(pk)
    distinct = list(by_filters)
    matched = [
        pk
        for number in search_index.backend().matching(search_index.document_for(job), distinct)
        for pk in by_filters[distinct[number]]
    ]
    return list(SavedSearch.objects.filter(pk__in=matched).select_related("user").order_by("pk"))


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
