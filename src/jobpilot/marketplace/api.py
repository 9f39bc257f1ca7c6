"""The marketplace API: search and job pages (public), saved jobs and saved searches (signed-in seekers).

On the public domain these cover every employer and imported jobs; on an employer's domain only that employer's
jobs (the scope is `request.tenant`, resolved from the host).
"""

import json

from django.http import HttpResponse
from ninja import Query, Router, Status
from ninja.responses import NinjaJSONEncoder

from jobpilot.accounts.auth import user_auth
from jobpilot.analytics import capture
from jobpilot.core.openapi import response_example
from jobpilot.jobs.selectors import parse_public_id
from jobpilot.jobs.services import job_posting_count_view_later
from jobpilot.marketplace import selectors, services
from jobpilot.marketplace.examples import (
    DETAIL_EXAMPLE,
    SAVED_SEARCH_CREATED_EXAMPLE,
    SEARCH_EXAMPLE,
    SUGGEST_EXAMPLE,
)
from jobpilot.marketplace.schemas import (
    JobDetailOut,
    JobSearchParams,
    PageParams,
    SavedJobListOut,
    SavedJobOut,
    SavedSearchIn,
    SavedSearchOut,
    SavedSearchPatch,
    SearchOut,
    SuggestOut,
    SuggestParams,
)

router = Router(tags=["marketplace"])


@router.get(
    "/jobs/",
    response=SearchOut,
    auth=None,
    summary="Search jobs",
    openapi_extra=response_example(SEARCH_EXAMPLE),
)
def search_jobs(request, params: Query[JobSearchParams]):
    """Full-text search (title > skills and tags > description > company and location; recent jobs a little
    higher) with filters, sorting and exact totals and facets. `page` reaches the first 10,000 results;
    `pagination.next_cursor` pages on to any depth."""
    found = selectors.marketplace_search(
        tenant=request.tenant,
        q=params.q,
        filters=params.filters(),
        sort=params.sort,
        page=params.page,
        limit=params.limit,
        facets=params.facets,
        cursor=params.cursor,
    )
    capture.record_impressions(jobs=found["results"], source="api", request=request)
    return trusted_json(found)


def trusted_json(data: dict) -> HttpResponse:
    """`data` rendered as ninja renders it, without validating it against the declared response model again:
    the selectors build exactly that model's fields (tests check each answer against it); the validation
    cost about 1.3 ms of a search page of 20 cards."""
    return HttpResponse(
        json.dumps(data, cls=NinjaJSONEncoder), content_type="application/json; charset=utf-8"
    )


@router.get(
    "/jobs/suggest/",
    response=SuggestOut,
    auth=None,
    summary="Complete a search",
    openapi_extra=response_example(SUGGEST_EXAMPLE),
)
def suggest_jobs(request, params: Query[SuggestParams]):
    """Titles, skills, companies and locations starting with `q` (whole values), most frequent first."""
    return selectors.marketplace_suggest(tenant=request.tenant, q=params.q, limit=params.limit)


@router.get(
    "/jobs/{job_id}/",
    response=JobDetailOut,
    auth=None,
    summary="A job's public page",
    openapi_extra=response_example(DETAIL_EXAMPLE),
)
def get_job(request, job_id: str):
    job = selectors.marketplace_job_get(public_id=job_id, tenant=request.tenant)
    if job.tenant_id:
        job_posting_count_view_later(tenant=job.tenant, posting_id=job.posting_id)
    capture.record_view(request, job, source="api")
    return selectors.job_detail(job)


@router.post(
    "/jobs/{job_id}/save/",
    response={200: SavedJobOut, 201: SavedJobOut},
    auth=user_auth,
    summary="Save a job",
)
def save_job(request, job_id: str):
    """Saving a job already saved answers 200 with the same bookmark."""
    job = selectors.marketplace_job_get(public_id=job_id, tenant=request.tenant)
    saved, created = services.saved_job_create(user=request.auth, job=job)
    capture.record("save", job=job, source="api", seeker=request.auth)
    body = {
        "id": job.public_id,
        "title": job.title,
        "company_name": job.company_name,
        "saved_at": saved.created_at,
        "available": True,
        "job": selectors.card(job),
    }
    return Status((201 if created else 200), body)


@router.delete("/jobs/{job_id}/save/", response={204: None}, auth=user_auth, summary="Unsave a job")
def unsave_job(request, job_id: str):
    services.saved_job_delete(user=request.auth, public_id=parse_public_id(job_id))
    return Status(204, None)


@router.get("/saved-jobs/", response=SavedJobListOut, auth=user_auth, summary="The seeker's saved jobs")
def list_saved_jobs(request, params: Query[PageParams]):
    return selectors.saved_job_list(
        user=request.auth, tenant=request.tenant, page=params.page, limit=params.limit
    )


def _saved_search_out(saved_search) -> dict:
    return {
        "id": saved_search.pk,
        "name": saved_search.name,
        "q": saved_search.q,
        "filters": saved_search.filters,
        "frequency": saved_search.frequency,
        "scope": saved_search.tenant.slug if saved_search.tenant_id else "marketplace",
        "last_alerted_at": saved_search.last_alerted_at,
        "created_at": saved_search.created_at,
        "updated_at": saved_search.updated_at,
    }


@router.get(
    "/saved-searches/", response=list[SavedSearchOut], auth=user_auth, summary="The seeker's saved searches"
)
def list_saved_searches(request):
    return [_saved_search_out(saved) for saved in selectors.saved_search_list(user=request.auth)]


@router.post(
    "/saved-searches/",
    response={201: SavedSearchOut},
    auth=user_auth,
    summary="Save a search",
    openapi_extra=response_example(SAVED_SEARCH_CREATED_EXAMPLE, status=201),
)
def create_saved_search(request, body: SavedSearchIn):
    """Saved on an employer's domain, the search covers only that employer's jobs."""
    saved = services.saved_search_create(
        user=request.auth,
        tenant=None if request.tenant.is_public else request.tenant,
        name=body.name,
        q=body.q,
        filters=body.filters.model_dump(mode="json", exclude_defaults=True),
        frequency=body.frequency,
    )
    return Status(201, _saved_search_out(saved))


@router.get(
    "/saved-searches/{saved_search_id}/", response=SavedSearchOut, auth=user_auth, summary="One saved search"
)
def get_saved_search(request, saved_search_id: int):
    return _saved_search_out(selectors.saved_search_get(user=request.auth, saved_search_id=saved_search_id))


@router.patch(
    "/saved-searches/{saved_search_id}/",
    response=SavedSearchOut,
    auth=user_auth,
    summary="Change a saved search",
)
def update_saved_search(request, saved_search_id: int, body: SavedSearchPatch):
    saved = selectors.saved_search_get(user=request.auth, saved_search_id=saved_search_id)
    changes = body.model_dump(exclude_unset=True, exclude_none=True)
    if body.filters is not None:
        changes["filters"] = body.filters.model_dump(mode="json", exclude_defaults=True)
    return _saved_search_out(services.saved_search_update(saved_search=saved, changes=changes))


@router.delete(
    "/saved-searches/{saved_search_id}/",
    response={204: None},
    auth=user_auth,
    summary="Delete a saved search",
)
def delete_saved_search(request, saved_search_id: int):
    services.saved_search_delete(
        saved_search=selectors.saved_search_get(user=request.auth, saved_search_id=saved_search_id)
    )
    return Status(204, None)
