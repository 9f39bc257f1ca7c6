"""The seeker's tracker (`/api/v1/applications/`) and dashboard (`/api/v1/dashboard/`). Every route works on the
caller's own rows only: another seeker's id is a 404."""

import uuid

from django.http import HttpResponse
from django.utils import timezone
from ninja import File, Query, Router, Status, UploadedFile
from ninja.pagination import paginate

from jobpilot.accounts.auth import user_auth
from jobpilot.core.openapi import response_example
from jobpilot.tracker import csv_io, examples, selectors, services
from jobpilot.tracker.pagination import FeedCursorPagination, PageNumberResults
from jobpilot.tracker.schemas import (
    ActivityOut,
    DashboardStatsOut,
    ExternalApplicationIn,
    ImportResultOut,
    StatsParams,
    StatusIn,
    TrackedApplicationDetailOut,
    TrackedApplicationFilters,
    TrackedApplicationOut,
    TrackedApplicationPatch,
    TrackedInterviewIn,
    TrackedInterviewOut,
    TrackedInterviewPatch,
    TrackerSort,
    UpcomingOut,
    UpcomingParams,
)

router = Router(auth=user_auth, tags=["tracker"])
dashboard_router = Router(auth=user_auth, tags=["dashboard"])


_EXPORT_ANSWER = {
    "responses": {
        200: {
            "description": "UTF-8 CSV, as an attachment named after the day of the export.",
            "headers": {
                "Content-Disposition": {
                    "schema": {"type": "string"},
                    "example": 'attachment; filename="jobpilot-applications-2026-11-22.csv"',
                }
            },
            "content": {"text/csv": {"schema": {"type": "string"}, "example": examples.TRACKER_CSV}},
        }
    }
}


@router.get(
    "/",
    response=list[TrackedApplicationOut],
    summary="My tracked applications",
    openapi_extra=response_example(examples.APPLICATION_PAGE),
)
@paginate(PageNumberResults)
def application_list(
    request, filters: Query[TrackedApplicationFilters], sort: Query[TrackerSort] = "-applied_on"
):
    return selectors.tracked_application_list(seeker=request.auth, filters=filters, sort=sort)


@router.post(
    "/",
    response={201: TrackedApplicationOut},
    summary="Track an application made elsewhere",
    openapi_extra=response_example(examples.APPLICATION_CREATED, status=201),
)
def application_create(request, payload: ExternalApplicationIn):
    application = services.tracked_application_create_external(
        seeker=request.auth, fields=payload.model_fields_for_create()
    )
    return Status(201, application)


@router.get("/export/", summary="Export the tracker as CSV", openapi_extra=_EXPORT_ANSWER)
def application_export(request):
    """The columns the import reads: an export imports back unchanged."""
    content = csv_io.write_tracker_csv(selectors.tracker_export_queryset(seeker=request.auth))
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    filename = f"jobpilot-applications-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@router.post(
    "/import/",
    response=ImportResultOut,
    summary="Import applications from CSV",
    openapi_extra={"requestBody": {"content": {"multipart/form-data": {"example": examples.IMPORT_FORM}}}},
)
def application_import(request, file: File[UploadedFile]):
    """UTF-8 CSV with a header row naming at least `company` and `title` (the export's columns). All rows or none:
    a file with invalid rows answers 422 with `errors: [{row, field, message}]`."""
    content = file.read(csv_io.MAX_IMPORT_BYTES + 1)
    created, skipped = services.tracked_applications_import_csv(seeker=request.auth, content=content)
    return {"created": created, "skipped": skipped}


@router.get("/{uuid:application_id}/", response=TrackedApplicationDetailOut, summary="One application")
def application_detail(request, application_id: uuid.UUID):
    """With its status history and interviews."""
    return selectors.tracked_application_get(seeker=request.auth, application_id=application_id)


@router.patch("/{uuid:application_id}/", response=TrackedApplicationOut, summary="Edit an application")
def application_update(request, application_id: uuid.UUID, payload: TrackedApplicationPatch):
    return services.tracked_application_update(
        seeker=request.auth, application_id=application_id, changes=payload.changes()
    )


@router.delete("/{uuid:application_id}/", response={204: None}, summary="Delete an external application")
def application_delete(request, application_id: uuid.UUID):
    services.tracked_application_delete(seeker=request.auth, application_id=application_id)
    return Status(204, None)


@router.patch("/{uuid:application_id}/status/", response=TrackedApplicationOut, summary="Quick status update")
def application_set_status(request, application_id: uuid.UUID, payload: StatusIn):
    """For applications tracked by hand; the employer sets the status of those made through JobPilot."""
    return services.tracked_application_set_status(
        seeker=request.auth, application_id=application_id, status=payload.status
    )


@router.post(
    "/{uuid:application_id}/withdraw/",
    response=TrackedApplicationOut,
    summary="Withdraw",
    openapi_extra=response_example(examples.JOBPILOT_APPLICATION_WITHDRAWN),
)
def application_withdraw(request, application_id: uuid.UUID):
    return services.tracked_application_withdraw(seeker=request.auth, application_id=application_id)


@router.get("/{uuid:application_id}/interviews/", response=list[TrackedInterviewOut], summary="Interviews")
def interview_list(request, application_id: uuid.UUID):
    return selectors.tracked_interview_list(seeker=request.auth, application_id=application_id)


@router.post(
    "/{uuid:application_id}/interviews/",
    response={201: TrackedInterviewOut},
    summary="Add an interview (external)",
)
def interview_create(request, application_id: uuid.UUID, payload: TrackedInterviewIn):
    interview = services.tracked_interview_create(
        seeker=request.auth, application_id=application_id, fields=payload.model_dump()
    )
    return Status(201, interview)


@router.patch(
    "/{uuid:application_id}/interviews/{uuid:interview_id}/",
    response=TrackedInterviewOut,
    summary="Edit an interview",
    openapi_extra=response_example(examples.INTERVIEW_MOVED),
)
def interview_update(
    request, application_id: uuid.UUID, interview_id: uuid.UUID, payload: TrackedInterviewPatch
):
    return services.tracked_interview_update(
        seeker=request.auth,
        application_id=application_id,
        interview_id=interview_id,
        changes=payload.changes(),
    )


@router.delete(
    "/{uuid:application_id}/interviews/{uuid:interview_id}/",
    response={204: None},
    summary="Remove an interview",
)
def interview_delete(request, application_id: uuid.UUID, interview_id: uuid.UUID):
    services.tracked_interview_delete(
        seeker=request.auth, application_id=application_id, interview_id=interview_id
    )
    return Status(204, None)


# --- /api/v1/dashboard/ ---------------------------------------------------------------------------------------------


@dashboard_router.get("/stats/", response=DashboardStatsOut, summary="My application statistics")
def dashboard_stats(request, params: Query[StatsParams]):
    return selectors.dashboard_stats(seeker=request.auth, weeks=params.weeks)


@dashboard_router.get(
    "/recent-activity/",
    response=list[ActivityOut],
    summary="My recent tracker activity",
    openapi_extra=response_example(examples.ACTIVITY_PAGE),
)
@paginate(FeedCursorPagination, ordering=("-occurred_at", "-id"), page_size=20, max_page_size=100)
def dashboard_recent_activity(request):
    return selectors.recent_activity(seeker=request.auth)


@dashboard_router.get("/upcoming/", response=UpcomingOut, summary="Interviews and deadlines coming up")
def dashboard_upcoming(request, params: Query[UpcomingParams]):
    return {"days": params.days, "items": selectors.upcoming(seeker=request.auth, days=params.days)}
