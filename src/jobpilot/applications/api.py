"""Applying (`POST /api/v1/jobs/{id}/apply/`, any host) and the employer's pipeline (`/api/v1/employer/...`, the
employer's own domain).

Pipeline endpoints start with `require_member`: viewers read, recruiters move, note, interview and score, admins and
owners configure stages. Non-members (and every caller on the public domain) get 404 before anything is read.
"""

from ninja import Query, Router, Status
from ninja.pagination import paginate

from jobpilot.accounts.auth import user_auth
from jobpilot.analytics import capture
from jobpilot.applications import examples, selectors, services
from jobpilot.applications.schemas import (
    ApplicationDetailOut,
    ApplicationFilters,
    ApplyIn,
    ApplyOut,
    BulkMoveIn,
    EmployerApplicationOut,
    EmployerDashboardOut,
    EmployerInterviewIn,
    EmployerInterviewOut,
    EmployerInterviewPatch,
    EmployerStageOut,
    HistoryOut,
    MovedOut,
    MoveIn,
    NoteIn,
    NoteOut,
    ScorecardIn,
    ScorecardOut,
    StageIn,
    StagePatch,
)
from jobpilot.core.openapi import response_example
from jobpilot.tracker.pagination import PageNumberResults
from tenants.models import Membership
from tenants.permissions import require_member

apply_router = Router(auth=user_auth, tags=["apply"])
router = Router(auth=user_auth, tags=["employer pipeline"])
Role = Membership.Role


@apply_router.post(
    "/jobs/{job_id}/apply/",
    response={201: ApplyOut, 200: ApplyOut},
    summary="Apply to a job",
    openapi_extra=response_example(examples.APPLIED_EXTERNALLY, status=200),
)
def apply(request, job_id: str, body: ApplyIn):
    """201 with the tracker row for an application made here; 200 with `apply_url` for a job that takes
    applications on the employer's site (the click is tracked). 402 past the monthly application limit, 409 when
    already applied or the job is closed, 422 for a missing required answer (naming the question)."""
    result = services.application_submit(
        seeker=request.auth,
        host_tenant=request.tenant,
        job_public_id=job_id,
        resume_id=body.resume_id,
        cover_letter=body.cover_letter,
        answers=body.answers,
    )
    capture.record_applied(request, result.tracked, source="api")
    out = {
        "tracked_application_id": result.tracked.pk,
        "status": result.tracked.status,
        "apply_url": result.apply_url or None,
    }
    return Status(200, out) if result.apply_url else Status(201, out)


# --- Stages -----------------------------------------------------------------------------------------------------------


@router.get(
    "/stages/",
    response=list[EmployerStageOut],
    summary="The pipeline's stages, in order",
    openapi_extra=response_example(examples.STAGES),
)
def list_stages(request):
    require_member(request, Role.VIEWER)
    return selectors.pipeline_stage_list()


@router.post(
    "/stages/",
    response={201: EmployerStageOut},
    summary="Add a stage",
    openapi_extra=response_example(examples.STAGE_CREATED, status=201),
)
def create_stage(request, body: StageIn):
    require_member(request, Role.ADMIN)
    return Status(201, services.pipeline_stage_create(actor=request.auth, fields=body.model_dump()))


@router.patch("/stages/{int:stage_id}/", response=EmployerStageOut, summary="Change a stage")
def update_stage(request, stage_id: int, body: StagePatch):
    require_member(request, Role.ADMIN)
    return services.pipeline_stage_update(actor=request.auth, stage_id=stage_id, changes=body.changes())


@router.delete("/stages/{int:stage_id}/", response={204: None}, summary="Delete a stage never used")
def delete_stage(request, stage_id: int):
    require_member(request, Role.ADMIN)
    services.pipeline_stage_delete(actor=request.auth, stage_id=stage_id)
    return Status(204, None)


# --- Applications -----------------------------------------------------------------------------------------------------


@router.get(
    "/applications/",
    response=list[EmployerApplicationOut],
    summary="Applications, priority candidates first, then newest",
    openapi_extra=response_example(examples.APPLICATION_PAGE),
)
@paginate(PageNumberResults)
def list_applications(request, filters: Query[ApplicationFilters]):
    require_member(request, Role.VIEWER)
    return selectors.application_list(
        job_id=filters.job,
        stage_id=filters.stage,
        q=filters.q,
        min_rating=filters.min_rating,
        include_withdrawn=filters.include_withdrawn,
    )


@router.post("/applications/move/", response=MovedOut, summary="Move several applications to a stage")
def move_many(request, body: BulkMoveIn):
    require_member(request, Role.RECRUITER)
    moved = services.applications_move(
        actor=request.auth, application_ids=body.application_ids, stage_id=body.stage_id, reason=body.reason
    )
    return {"moved": moved}


@router.get("/applications/{int:application_id}/", response=ApplicationDetailOut, summary="One application")
def get_application(request, application_id: int):
    require_member(request, Role.VIEWER)
    return selectors.application_get(application_id=application_id)


@router.get(
    "/applications/{int:application_id}/history/", response=list[HistoryOut], summary="Status history"
)
def get_history(request, application_id: int):
    require_member(request, Role.VIEWER)
    selectors.application_get(application_id=application_id)
    return selectors.application_history(application_id=application_id)


@router.post(
    "/applications/{int:application_id}/move/", response=EmployerApplicationOut, summary="Move to a stage"
)
def move_one(request, application_id: int, body: MoveIn):
    require_member(request, Role.RECRUITER)
    (moved,) = services.applications_move(
        actor=request.auth, application_ids=[application_id], stage_id=body.stage_id, reason=body.reason
    )
    return moved


# --- Notes ------------------------------------------------------------------------------------------------------------


@router.get("/applications/{int:application_id}/notes/", response=list[NoteOut], summary="Internal notes")
def list_notes(request, application_id: int):
    require_member(request, Role.VIEWER)
    selectors.application_get(application_id=application_id)
    return selectors.note_list(application_id=application_id)


@router.post("/applications/{int:application_id}/notes/", response={201: NoteOut}, summary="Add a note")
def create_note(request, application_id: int, body: NoteIn):
    require_member(request, Role.RECRUITER)
    return Status(
        201, services.note_create(actor=request.auth, application_id=application_id, body=body.body)
    )


@router.patch(
    "/applications/{int:application_id}/notes/{int:note_id}/", response=NoteOut, summary="Edit your note"
)
def update_note(request, application_id: int, note_id: int, body: NoteIn):
    require_member(request, Role.RECRUITER)
    return services.note_update(
        actor=request.auth, application_id=application_id, note_id=note_id, body=body.body
    )


@router.delete(
    "/applications/{int:application_id}/notes/{int:note_id}/", response={204: None}, summary="Delete a note"
)
def delete_note(request, application_id: int, note_id: int):
    membership = require_member(request, Role.RECRUITER)
    services.note_delete(
        actor=request.auth,
        application_id=application_id,
        note_id=note_id,
        may_delete_others=membership.has_role(Role.ADMIN),
    )
    return Status(204, None)


# --- Interviews -------------------------------------------------------------------------------------------------------


@router.get(
    "/applications/{int:application_id}/interviews/",
    response=list[EmployerInterviewOut],
    summary="Interviews",
)
def list_interviews(request, application_id: int):
    require_member(request, Role.VIEWER)
    selectors.application_get(application_id=application_id)
    return selectors.interview_list(application_id=application_id)


@router.post(
    "/applications/{int:application_id}/interviews/",
    response={201: EmployerInterviewOut},
    summary="Schedule one",
)
def schedule_interview(request, application_id: int, body: EmployerInterviewIn):
    require_member(request, Role.RECRUITER)
    interview = services.interview_schedule(
        actor=request.auth, application_id=application_id, fields=body.model_dump()
    )
    return Status(201, interview)


@router.patch(
    "/applications/{int:application_id}/interviews/{int:interview_id}/",
    response=EmployerInterviewOut,
    summary="Move or edit an interview, or record feedback",
    openapi_extra=response_example(examples.INTERVIEW_MOVED),
)
def update_interview(request, application_id: int, interview_id: int, body: EmployerInterviewPatch):
    require_member(request, Role.RECRUITER)
    return services.interview_update(
        actor=request.auth, application_id=application_id, interview_id=interview_id, changes=body.changes()
    )


@router.post(
    "/applications/{int:application_id}/interviews/{int:interview_id}/cancel/",
    response=EmployerInterviewOut,
    summary="Cancel an interview",
    openapi_extra=response_example(examples.INTERVIEW_CANCELLED),
)
def cancel_interview(request, application_id: int, interview_id: int):
    require_member(request, Role.RECRUITER)
    return services.interview_cancel(
        actor=request.auth, application_id=application_id, interview_id=interview_id
    )


# --- Scorecards -------------------------------------------------------------------------------------------------------


@router.get(
    "/applications/{int:application_id}/scorecards/", response=list[ScorecardOut], summary="Scorecards"
)
def list_scorecards(request, application_id: int):
    require_member(request, Role.VIEWER)
    selectors.application_get(application_id=application_id)
    return selectors.scorecard_list(application_id=application_id)


@router.put(
    "/applications/{int:application_id}/scorecards/mine/",
    response=ScorecardOut,
    summary="Submit or replace your scorecard",
)
def submit_scorecard(request, application_id: int, body: ScorecardIn):
    require_member(request, Role.RECRUITER)
    return services.scorecard_submit(
        actor=request.auth, application_id=application_id, fields=body.model_dump()
    )


@router.delete(
    "/applications/{int:application_id}/scorecards/mine/",
    response={204: None},
    summary="Delete your scorecard",
)
def delete_scorecard(request, application_id: int):
    require_member(request, Role.RECRUITER)
    services.scorecard_delete(actor=request.auth, application_id=application_id)
    return Status(204, None)


# --- Dashboard --------------------------------------------------------------------------------------------------------


@router.get(
    "/dashboard/", response=EmployerDashboardOut, summary="Applications per job and stage, time in stage"
)
def dashboard(request):
    """Hiring analytics: on plans with analytics (Growth and up); 402 `feature_not_in_plan` on Starter."""
    require_member(request, Role.VIEWER)
    return selectors.employer_dashboard(tenant=request.tenant)
