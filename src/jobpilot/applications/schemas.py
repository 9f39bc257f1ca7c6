"""Input and output shapes of the apply endpoint and the employer's pipeline API.

The OpenAPI document names a schema by its class name, and a second class of the same name elsewhere (the keyed
API's `ApplicationOut`, the tracker's `InterviewOut`...) silently replaces it there: shapes whose plain name another
app uses carry the `Employer` prefix."""

import uuid
from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StringConstraints, field_validator

from jobpilot.applications import examples
from jobpilot.applications.models import STAGE_PUBLIC_STATUSES, Interview, Scorecard
from jobpilot.core.openapi import schema_example

PublicStatusValue = Literal[tuple(value for value, _ in STAGE_PUBLIC_STATUSES)]  # type: ignore[valid-type]
Text = Annotated[str, StringConstraints(max_length=10_000, strip_whitespace=True)]
NoteBody = Annotated[str, StringConstraints(min_length=1, max_length=10_000, strip_whitespace=True)]
AnswerValue = str | bool | int | float | list[Annotated[str, StringConstraints(max_length=100)]]


# --- Apply ------------------------------------------------------------------------------------------------------------


class ApplyIn(Schema):
    model_config = schema_example(examples.APPLY_IN)

    resume_id: uuid.UUID | None = None  # the seeker's default resume when omitted
    cover_letter: Text = ""
    answers: dict[Annotated[str, StringConstraints(max_length=40)], AnswerValue] = Field(
        default_factory=dict, max_length=20
    )


class ApplyOut(Schema):
    model_config = schema_example(examples.APPLIED)

    tracked_application_id: uuid.UUID
    status: str
    apply_url: str | None = None


# --- Stages -----------------------------------------------------------------------------------------------------------

StageName = Annotated[str, StringConstraints(min_length=1, max_length=60, strip_whitespace=True)]
Reason = Annotated[str, StringConstraints(min_length=1, max_length=120, strip_whitespace=True)]


class StageIn(Schema):
    model_config = schema_example(examples.STAGE_IN)

    name: StageName
    public_status: PublicStatusValue
    position: int | None = Field(None, ge=0, le=1000)
    rejection_reasons: list[Reason] = Field(default_factory=list, max_length=30)


class StagePatch(Schema):
    model_config = schema_example(examples.STAGE_PATCH)

    name: StageName | None = None
    public_status: PublicStatusValue | None = None
    position: int | None = Field(None, ge=0, le=1000)
    rejection_reasons: list[Reason] | None = Field(None, max_length=30)
    is_initial: bool | None = None

    def changes(self) -> dict:
        return {key: value for key, value in self.model_dump(exclude_unset=True).items() if value is not None}


class EmployerStageOut(Schema):
    model_config = schema_example(examples.STAGE)

    id: int
    name: str
    position: int
    public_status: str
    is_initial: bool
    rejection_reasons: list[str]
    application_count: int = 0


# --- Applications -----------------------------------------------------------------------------------------------------


class ApplicationFilters(Schema):
    job: uuid.UUID | None = None
    stage: int | None = Field(None, ge=1)
    q: Annotated[str, StringConstraints(max_length=100, strip_whitespace=True)] = ""
    min_rating: float | None = Field(None, ge=1, le=5)
    include_withdrawn: bool = False


class StageRef(Schema):
    id: int
    name: str
    public_status: str


class EmployerApplicationOut(Schema):
    model_config = schema_example(examples.APPLICATION)

    id: int
    job_id: uuid.UUID = Field(..., alias="job.public_id")
    job_title: str = Field(..., alias="job.title")
    stage: StageRef
    stage_entered_at: datetime
    rejection_reason: str
    name: str
    email: str
    resume_id: uuid.UUID | None = Field(None, alias="resume_public_id")
    resume_filename: str
    source: str
    priority: bool = Field(
        ..., description="The seeker's plan shows them first to employers (when they applied)"
    )
    rating: float | None
    withdrawn_at: datetime | None
    anonymized_at: datetime | None
    created_at: datetime


class HistoryOut(Schema):
    model_config = schema_example(examples.HISTORY_ENTRY)

    kind: str
    from_stage: StageRef | None
    to_stage: StageRef | None
    reason: str
    actor_id: int | None
    occurred_at: datetime


class ApplicationDetailOut(EmployerApplicationOut):
    model_config = schema_example(examples.APPLICATION_DETAIL)

    cover_letter: str
    answers: list[dict]
    history: list[HistoryOut]
    resume_download_url: str | None

    @staticmethod
    def resolve_history(obj) -> list:
        return list(obj.history.select_related("from_stage", "to_stage"))

    @staticmethod
    def resolve_resume_download_url(obj) -> str | None:
        # The seekers' download rule decides: members of this tenant only, for a resume sent to it.
        return f"/api/v1/resumes/{obj.resume_public_id}/download/" if obj.resume_public_id else None


class MoveIn(Schema):
    model_config = schema_example(examples.MOVE_IN)

    stage_id: int = Field(..., ge=1)
    reason: Annotated[str, StringConstraints(max_length=120, strip_whitespace=True)] = ""


class BulkMoveIn(MoveIn):
    model_config = schema_example(examples.BULK_MOVE_IN)

    application_ids: list[Annotated[int, Field(ge=1)]] = Field(..., min_length=1, max_length=200)


class MovedOut(Schema):
    model_config = schema_example(examples.MOVED)

    moved: list[EmployerApplicationOut]


# --- Notes, interviews, scorecards ------------------------------------------------------------------------------------


class NoteIn(Schema):
    model_config = schema_example(examples.NOTE_IN)

    body: NoteBody


class NoteOut(Schema):
    model_config = schema_example(examples.NOTE)

    id: int
    author_id: int | None
    body: str
    created_at: datetime
    updated_at: datetime


class EmployerInterviewIn(Schema):
    model_config = schema_example(examples.INTERVIEW_IN)

    starts_at: datetime
    duration_minutes: int = Field(60, ge=5, le=8 * 60)
    kind: Interview.Kind = Interview.Kind.VIDEO
    title: Annotated[str, StringConstraints(max_length=200, strip_whitespace=True)] = ""
    interviewers: list[Annotated[str, StringConstraints(min_length=1, max_length=200)]] = Field(
        default_factory=list, max_length=20
    )
    location: Annotated[str, StringConstraints(max_length=300, strip_whitespace=True)] = ""
    meeting_url: Annotated[str, StringConstraints(max_length=500, pattern=r"^(https?://\S+)?$")] = ""

    @field_validator("starts_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("give a time zone (e.g. 2026-01-31T14:00:00Z)")
        return value


InterviewIn = EmployerInterviewIn  # the portal's pipeline views import it by this name


class EmployerInterviewPatch(EmployerInterviewIn):
    model_config = schema_example(examples.INTERVIEW_PATCH)

    starts_at: datetime | None = None
    duration_minutes: int | None = Field(None, ge=5, le=8 * 60)
    kind: Interview.Kind | None = None
    title: Annotated[str, StringConstraints(max_length=200, strip_whitespace=True)] | None = None
    interviewers: list[Annotated[str, StringConstraints(min_length=1, max_length=200)]] | None = Field(
        None, max_length=20
    )
    location: Annotated[str, StringConstraints(max_length=300, strip_whitespace=True)] | None = None
    meeting_url: Annotated[str, StringConstraints(max_length=500, pattern=r"^(https?://\S+)?$")] | None = None
    feedback: Annotated[str, StringConstraints(max_length=10_000)] | None = None

    @field_validator("starts_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("give a time zone (e.g. 2026-01-31T14:00:00Z)")
        return value

    def changes(self) -> dict:
        return {key: value for key, value in self.model_dump(exclude_unset=True).items() if value is not None}


class EmployerInterviewOut(Schema):
    model_config = schema_example(examples.INTERVIEW)

    id: int
    starts_at: datetime
    duration_minutes: int
    kind: str
    title: str
    interviewers: list[str]
    location: str
    meeting_url: str
    feedback: str
    status: str


Rating = Annotated[int, Field(ge=1, le=5)]


class ScorecardIn(Schema):
    model_config = schema_example(examples.SCORECARD_IN)

    overall: Rating
    ratings: dict[Annotated[str, StringConstraints(min_length=1, max_length=60)], Rating] = Field(
        default_factory=dict, max_length=20
    )
    recommendation: Scorecard.Recommendation | Literal[""] = ""
    comments: Annotated[str, StringConstraints(max_length=10_000)] = ""


class ScorecardOut(Schema):
    model_config = schema_example(examples.SCORECARD)

    id: int
    author_id: int
    overall: int
    ratings: dict
    recommendation: str
    comments: str
    created_at: datetime
    updated_at: datetime


# --- Dashboard --------------------------------------------------------------------------------------------------------


class DashboardStageOut(Schema):
    id: int
    name: str
    position: int
    public_status: str
    applications: int
    stays: int
    average_hours_in_stage: float | None
    longest_hours_in_stage: float | None


class StageCount(Schema):
    stage_id: int
    count: int


class DashboardJobOut(Schema):
    job_id: uuid.UUID
    title: str
    status: str
    total: int
    by_stage: list[StageCount]


class EmployerDashboardOut(Schema):
    model_config = schema_example(examples.DASHBOARD)

    total: int
    stages: list[DashboardStageOut]
    jobs: list[DashboardJobOut]
