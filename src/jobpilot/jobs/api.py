"""The employer console's API: an employer's postings and company profile, on the employer's own domain.

Every endpoint starts with `require_member`: viewers read, recruiters write drafts, admins and owners publish,
close, archive and delete. A caller who is not a member (or calls from the public domain) gets 404 before
anything is read, so no employer can even learn whether another's posting exists.
"""

import math

from ninja import File, Query, Router, Status, UploadedFile

from jobpilot.accounts.auth import user_auth
from jobpilot.core.openapi import response_example
from jobpilot.jobs import examples, selectors, services
from jobpilot.jobs.schemas import (
    CompanyProfileIn,
    CompanyProfileOut,
    ImportOut,
    JobPostingIn,
    JobPostingListOut,
    JobPostingListParams,
    JobPostingOut,
    JobPostingPatch,
)
from tenants.models import Membership
from tenants.permissions import require_member

router = Router(auth=user_auth, tags=["employer"])
Role = Membership.Role


@router.get("/jobs/", response=JobPostingListOut, summary="List the employer's postings")
def list_jobs(request, params: Query[JobPostingListParams]):
    require_member(request, Role.VIEWER)
    postings = selectors.job_posting_list(status=params.status, q=params.q, department=params.department)
    total = postings.count()
    offset = (params.page - 1) * params.limit
    return {
        "results": list(postings[offset : offset + params.limit]),
        "pagination": {
            "page": params.page,
            "limit": params.limit,
            "total": total,
            "pages": math.ceil(total / params.limit),
        },
    }


@router.post(
    "/jobs/",
    response={201: JobPostingOut},
    summary="Create a draft posting",
    openapi_extra=response_example(examples.CREATED_EXAMPLE, status=201),
)
def create_job(request, body: JobPostingIn):
    require_member(request, Role.RECRUITER)
    return Status(201, services.job_posting_create(actor=request.auth, data=body.model_dump()))


# Before `/jobs/{job_id}/`: Django tries URL patterns in order, and "import" would match a job id.
@router.post(
    "/jobs/import/",
    response={201: ImportOut},
    summary="Create drafts from a CSV file",
    openapi_extra={
        "requestBody": {"content": {"multipart/form-data": {"example": examples.IMPORT_REQUEST_EXAMPLE}}}
    },
)
def import_jobs(request, file: File[UploadedFile]):
    """Columns are `JobPostingIn` fields (`title` required; `tags`, `skills`, `applicant_countries` separated by
    `;`). All or nothing: any invalid row answers 422 with every error by row and field, and creates nothing.
    A UTF-8 file such as:

        title,department,remote,city,country,skills,salary_min,salary_max,salary_currency
        Wind Turbine Technician,Operations,onsite,Hamburg,DE,Wind turbines;High voltage,42000,52000,EUR
        Grid Data Analyst,Engineering,remote,,,SQL;Python;Forecasting,50000,65000,EUR
    """
    require_member(request, Role.RECRUITER)
    postings = services.job_postings_import_csv(actor=request.auth, content=file.read())
    return Status(201, {"created": len(postings), "jobs": postings})


@router.get("/jobs/{job_id}/", response=JobPostingOut, summary="One posting")
def get_job(request, job_id: str):
    require_member(request, Role.VIEWER)
    return selectors.job_posting_get(public_id=job_id)


@router.patch("/jobs/{job_id}/", response=JobPostingOut, summary="Change a posting")
def update_job(request, job_id: str, body: JobPostingPatch):
    require_member(request, Role.RECRUITER)
    posting = selectors.job_posting_get(public_id=job_id)
    return services.job_posting_update(actor=request.auth, posting=posting, changes=body.changes())


@router.delete("/jobs/{job_id}/", response={204: None}, summary="Delete a posting nobody applied to")
def delete_job(request, job_id: str):
    require_member(request, Role.ADMIN)
    services.job_posting_delete(actor=request.auth, posting=selectors.job_posting_get(public_id=job_id))
    return Status(204, None)


@router.post("/jobs/{job_id}/publish/", response=JobPostingOut, summary="Publish (or re-open) a posting")
def publish_job(request, job_id: str):
    require_member(request, Role.ADMIN)
    return services.job_posting_publish(
        actor=request.auth, posting=selectors.job_posting_get(public_id=job_id)
    )


@router.post(
    "/jobs/{job_id}/close/",
    response=JobPostingOut,
    summary="Close a published posting",
    openapi_extra=response_example(examples.CLOSED_EXAMPLE),
)
def close_job(request, job_id: str):
    require_member(request, Role.ADMIN)
    return services.job_posting_close(actor=request.auth, posting=selectors.job_posting_get(public_id=job_id))


@router.post(
    "/jobs/{job_id}/archive/",
    response=JobPostingOut,
    summary="Archive a posting",
    openapi_extra=response_example(examples.ARCHIVED_EXAMPLE),
)
def archive_job(request, job_id: str):
    require_member(request, Role.ADMIN)
    return services.job_posting_archive(
        actor=request.auth, posting=selectors.job_posting_get(public_id=job_id)
    )


@router.post(
    "/jobs/{job_id}/duplicate/",
    response={201: JobPostingOut},
    summary="Copy a posting into a new draft",
    openapi_extra=response_example(examples.DUPLICATED_EXAMPLE, status=201),
)
def duplicate_job(request, job_id: str):
    require_member(request, Role.RECRUITER)
    posting = selectors.job_posting_get(public_id=job_id)
    return Status(201, services.job_posting_duplicate(actor=request.auth, posting=posting))


@router.get("/company/", response=CompanyProfileOut, summary="The employer's company profile")
def get_company(request):
    require_member(request, Role.VIEWER)
    return selectors.company_profile_get()


@router.put("/company/", response=CompanyProfileOut, summary="Change the company profile")
def update_company(request, body: CompanyProfileIn):
    require_member(request, Role.ADMIN)
    return services.company_profile_update(actor=request.auth, data=body.model_dump())
