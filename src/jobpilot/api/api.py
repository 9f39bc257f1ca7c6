"""API customers' endpoints: their keys and usage (signed in as a user), the changes feed and an employer's own
postings and applicants (with a key). Search and job pages are the marketplace's `GET /api/v1/jobs/` and
`/jobs/{id}/`, which accept a key too (see `middleware.py`)."""

from ninja import Query, Router, Status

from jobpilot.accounts.auth import user_auth
from jobpilot.api import selectors, services
from jobpilot.api.auth import ApiKeyAuth
from jobpilot.api.models import Scope
from jobpilot.api.schemas import (
    ApiKeyCreatedOut,
    ApiKeyIn,
    ApiKeyOut,
    ApiUsageOut,
    ApplicationsOut,
    ApplicationsParams,
    ChangesParams,
    JobChangesOut,
    PostingsOut,
    PostingsParams,
)

router = Router(tags=["api customers"])


@router.get("/api-keys/", response=list[ApiKeyOut], auth=user_auth, summary="Your API keys")
def list_keys(request):
    """On the public domain: your keys as an API customer. On an employer's domain: the employer's keys
    (admins and owners)."""
    owner, _ = selectors.access_key_owner(request)
    return list(selectors.api_key_list(owner=owner))


@router.post("/api-keys/", response={201: ApiKeyCreatedOut}, auth=user_auth, summary="Create an API key")
def create_key(request, body: ApiKeyIn):
    """The answer holds the key (`secret`) once; only a hash is kept."""
    owner, account = selectors.access_key_owner(request)
    key, secret = services.api_key_create(
        actor=request.auth,
        account=account,
        owner=owner,
        name=body.name,
        scopes=[str(scope) for scope in body.scopes],
        expires_at=body.expires_at,
    )
    return Status(201, {**ApiKeyOut.from_orm(key).dict(), "secret": secret})


@router.delete("/api-keys/{key_id}/", response=ApiKeyOut, auth=user_auth, summary="Revoke an API key")
def revoke_key(request, key_id: int):
    owner, _ = selectors.access_key_owner(request)
    return services.api_key_revoke(key=selectors.api_key_get(owner=owner, key_id=key_id), actor=request.auth)


@router.get("/usage/", response=ApiUsageOut, auth=user_auth, summary="API usage")
def usage(request):
    """Requests today and this month, per endpoint and per key, with 429 counts and the plan's daily quota."""
    owner, account = selectors.access_key_owner(request)
    return selectors.api_usage_report(owner=owner, account=account)


@router.get(
    "/jobs/changes/", response=JobChangesOut, auth=ApiKeyAuth(Scope.JOBS_READ), summary="Changes feed"
)
def job_changes(request, params: Query[ChangesParams]):
    """Jobs listed (`created`), changed (`updated`) or taken down (`closed`) since your cursor, oldest first.
    Keep `next_cursor` and call again; fetch a job's details with `GET /api/v1/jobs/{id}/`. On an employer's
    domain only that employer's jobs."""
    tenant = request.tenant
    return selectors.job_changes(
        tenant_id=None if tenant.is_public else tenant.pk, since=params.since, limit=params.limit
    )


@router.get(
    "/employer-api/postings/",
    response=PostingsOut,
    auth=ApiKeyAuth(Scope.JOBS_READ, tenant_key=True),
    summary="The employer's own postings",
)
def tenant_postings(request, params: Query[PostingsParams]):
    """Every posting of the key's employer, drafts and closed ones too. Only with an employer's key, on its domain."""
    # WARNING: the key's tenant, which the middleware has checked is this host's tenant.
    return selectors.tenant_postings(
        tenant=request.auth.tenant, status=params.status or None, limit=params.limit, offset=params.offset
    )


@router.get(
    "/employer-api/applications/",
    response=ApplicationsOut,
    auth=ApiKeyAuth(Scope.APPLICATIONS_READ, tenant_key=True),
    summary="The employer's applicants",
)
def tenant_applications(request, params: Query[ApplicationsParams]):
    """Applications to the key's employer, newest first, with the candidate, stage and screening answers (never
    internal notes or scorecards). Needs the `applications:read` scope; only on the employer's own domain."""
    # WARNING: the key's tenant, which the middleware has checked is this host's tenant.
    return selectors.tenant_applications(
        tenant=request.auth.tenant,
        job_id=str(params.job_id) if params.job_id else None,
        stage_id=params.stage_id,
        include_withdrawn=params.include_withdrawn,
        limit=params.limit,
        offset=params.offset,
    )
