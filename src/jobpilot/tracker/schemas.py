"""Shapes of the tracker API; `ExternalApplicationIn` also validates each row of a CSV import."""

import uuid
from datetime import date, datetime, timedelta
from typing import Annotated, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils import timezone
from ninja import Field, FilterSchema, Schema
from ninja.filter_schema import FilterLookup
from pydantic import WithJsonSchema, field_validator, model_validator

from jobpilot.core.openapi import schema_example
from jobpilot.seekers.schemas import http_url
from jobpilot.tracker import examples
from jobpilot.tracker.models import PublicStatus, TrackedApplication, TrackedInterview

MAX_NOTES = 10_000
MAX_SALARY = 100_000_000

# These enums are written out in the OpenAPI document instead of being shared components: components are named by
# class name, and other apps have enums called Source, Kind and Status whose values would be shown instead.
ApplicationSource = Annotated[
    TrackedApplication.Source, WithJsonSchema({"type": "string", "enum": TrackedApplication.Source.values})
]
InterviewKind = Annotated[
    TrackedInterview.Kind, WithJsonSchema({"type": "string", "enum": TrackedInterview.Kind.values})
]
InterviewStatus = Annotated[
    TrackedInterview.Status, WithJsonSchema({"type": "string", "enum": TrackedInterview.Status.values})
]


class ContactSchema(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=32)
    role: str = Field("", max_length=100)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = value.strip()
        if value:
            try:
                validate_email(value)
            except DjangoValidationError as error:
                raise ValueError("must be an email address") from error
        return value


def _optional_url(value: str) -> str:
    return http_url(value) if value and value.strip() else ""


def _not_in_future(value: date | None) -> date | None:
    # One day of slack: the seeker's "today" may be tomorrow in UTC.
    if value is not None and value > timezone.localdate() + timedelta(days=1):
        raise ValueError("cannot be in the future")
    return value


class ExternalApplicationIn(Schema):
    model_config = schema_example(examples.EXTERNAL_APPLICATION_IN)

    company: str = Field(..., min_length=1, max_length=200)
    title: str = Field(..., min_length=1, max_length=200)
    job_url: str = Field("", max_length=500)
    location: str = Field("", max_length=200)
    status: PublicStatus = PublicStatus.APPLIED
    applied_on: date = Field(default_factory=timezone.localdate)
    deadline: date | None = None
    salary_min: int | None = Field(None, ge=0, le=MAX_SALARY)
    salary_max: int | None = Field(None, ge=0, le=MAX_SALARY)
    salary_currency: str = Field("", pattern=r"^([A-Z]{3})?$")
    notes: str = Field("", max_length=MAX_NOTES)
    contacts: list[ContactSchema] = Field(default_factory=list, max_length=20)

    _url = field_validator("job_url")(_optional_url)
    _applied_on = field_validator("applied_on")(_not_in_future)

    @field_validator("company", "title", "location")
    @classmethod
    def _strip(cls, value: str) -> str:
        return " ".join(value.split())

    @model_validator(mode="after")
    def _checks(self):
        if not self.company or not self.title:
            raise ValueError("company and title must not be blank")
        if self.salary_min is not None and self.salary_max is not None and self.salary_min > self.salary_max:
            raise ValueError("salary_min must not exceed salary_max")
        return self

    def model_fields_for_create(self) -> dict:
        data = self.model_dump()
        data["contacts"] = [contact.model_dump() for contact in self.contacts]
        return data


class TrackedApplicationPatch(Schema):
    """Only the fields sent change. On applications made through JobPilot only notes, contacts and deadline can
    be edited: the rest is what the employer published."""

    model_config = schema_example(examples.TRACKED_APPLICATION_PATCH)

    company: str = Field(None, min_length=1, max_length=200)
    title: str = Field(None, min_length=1, max_length=200)
    job_url: str = Field(None, max_length=500)
    location: str = Field(None, max_length=200)
    applied_on: date = None
    deadline: date | None = None
    salary_min: int | None = Field(None, ge=0, le=MAX_SALARY)
    salary_max: int | None = Field(None, ge=0, le=MAX_SALARY)
    salary_currency: str = Field(None, pattern=r"^([A-Z]{3})?$")
    notes: str = Field(None, max_length=MAX_NOTES)
    contacts: list[ContactSchema] = Field(None, max_length=20)

    _url = field_validator("job_url")(_optional_url)
    _applied_on = field_validator("applied_on")(_not_in_future)

    @field_validator("company", "title")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise ValueError("must not be blank")
        return value

    def changes(self) -> dict:
        changes = self.model_dump(exclude_unset=True, exclude={"contacts"})
        if (
            "contacts" in self.model_fields_set
        ):  # dumped whole: exclude_unset would drop each contact's defaults
            changes["contacts"] = [contact.model_dump() for contact in self.contacts]
        return changes


class StatusIn(Schema):
    model_config = schema_example({"status": "interviewing"})

    status: PublicStatus


class TrackedApplicationFilters(FilterSchema):
    status: Annotated[list[PublicStatus] | None, FilterLookup("status__in")] = None
    source: ApplicationSource | None = None
    q: Annotated[str | None, FilterLookup(["company__icontains", "title__icontains"])] = Field(
        None, max_length=100
    )
    applied_from: Annotated[date | None, FilterLookup("applied_on__gte")] = None
    applied_to: Annotated[date | None, FilterLookup("applied_on__lte")] = None


TrackerSort = Literal["-applied_on", "applied_on", "-updated_at", "company", "-status_changed_at"]


class TrackedApplicationOut(Schema):
    model_config = schema_example(examples.APPLICATION)

    id: uuid.UUID
    source: ApplicationSource
    company: str
    title: str
    job_url: str
    location: str
    status: PublicStatus
    status_label: str
    applied_on: date
    deadline: date | None
    salary_min: int | None
    salary_max: int | None
    salary_currency: str
    notes: str
    contacts: list[ContactSchema]
    job_public_id: uuid.UUID | None
    resume_id: uuid.UUID | None
    status_changed_at: datetime
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_status_label(obj) -> str:
        return PublicStatus(obj.status).label


class HistoryEntryOut(Schema):
    kind: str
    actor: str
    from_status: PublicStatus | None
    to_status: PublicStatus | None
    occurred_at: datetime

    @staticmethod
    def resolve_from_status(obj):
        return obj.from_status or None

    @staticmethod
    def resolve_to_status(obj):
        return obj.to_status or None


class TrackedInterviewOut(Schema):
    model_config = schema_example(examples.INTERVIEW)

    id: uuid.UUID
    application_id: uuid.UUID
    kind: InterviewKind
    title: str
    starts_at: datetime
    duration_minutes: int
    location: str
    meeting_url: str
    status: InterviewStatus
    from_employer: bool


class JobSnapshotSalaryOut(Schema):
    min: int | float | None
    max: int | float | None
    currency: str
    period: str


class JobSnapshotOut(Schema):
    """The job as it was when the seeker applied: kept after the posting closes."""

    title: str
    company: str
    description_html: str
    salary: JobSnapshotSalaryOut | None
    location: str
    remote: str
    captured_at: datetime
    source: str


class TrackedApplicationDetailOut(TrackedApplicationOut):
    model_config = schema_example(examples.APPLICATION_DETAIL)

    history: list[HistoryEntryOut]
    interviews: list[TrackedInterviewOut]
    job_snapshot: JobSnapshotOut | None = None

    @staticmethod
    def resolve_job_snapshot(obj) -> dict | None:
        return obj.job_snapshot or None

    @staticmethod
    def resolve_history(obj) -> list:
        return list(obj.events.all())

    @staticmethod
    def resolve_interviews(obj) -> list:
        return list(obj.interviews.all())


def _aware_datetime(value: datetime | None) -> datetime | None:
    if value is not None and timezone.is_naive(value):
        raise ValueError("must include a time zone (e.g. 2025-05-01T14:00:00Z)")
    return value


class TrackedInterviewIn(Schema):
    model_config = schema_example(examples.INTERVIEW_IN)

    kind: InterviewKind = TrackedInterview.Kind.VIDEO
    title: str = Field("", max_length=200)
    starts_at: datetime
    duration_minutes: int = Field(60, ge=5, le=600)
    location: str = Field("", max_length=300)
    meeting_url: str = Field("", max_length=500)

    _url = field_validator("meeting_url")(_optional_url)
    _aware = field_validator("starts_at")(_aware_datetime)


class TrackedInterviewPatch(Schema):
    model_config = schema_example(examples.INTERVIEW_PATCH)

    kind: InterviewKind = None
    title: str = Field(None, max_length=200)
    starts_at: datetime = None
    duration_minutes: int = Field(None, ge=5, le=600)
    location: str = Field(None, max_length=300)
    meeting_url: str = Field(None, max_length=500)
    status: InterviewStatus = None

    _url = field_validator("meeting_url")(_optional_url)
    _aware = field_validator("starts_at")(_aware_datetime)

    def changes(self) -> dict:
        return self.model_dump(exclude_unset=True)


class ImportErrorOut(Schema):
    row: int  # line number in the file (the header is line 1)
    field: str | None
    message: str


class ImportResultOut(Schema):
    model_config = schema_example(examples.IMPORT_RESULT)

    created: int
    skipped: int  # rows whose id is already in the tracker (re-importing an export changes nothing)


# --- Dashboard ----------------------------------------------------------------------------------------------------


class StatsParams(Schema):
    weeks: int = Field(12, ge=1, le=52)


class UpcomingParams(Schema):
    days: int = Field(14, ge=1, le=60)


class FunnelOut(Schema):
    applied: int
    interviewing: int
    offer: int
    applied_to_interview_rate: float | None
    interview_to_offer_rate: float | None


class WeekCountOut(Schema):
    week_start: date
    count: int


class DashboardStatsOut(Schema):
    model_config = schema_example(examples.DASHBOARD_STATS)

    total: int
    active: int
    by_status: dict[str, int]
    funnel: FunnelOut
    response_rate: float | None
    average_days_to_first_response: float | None
    applications_per_week: list[WeekCountOut]


class ActivityOut(Schema):
    model_config = schema_example(examples.ACTIVITY)

    id: int
    kind: str
    actor: str
    application_id: uuid.UUID
    company: str
    title: str
    from_status: PublicStatus | None
    to_status: PublicStatus | None
    data: dict
    occurred_at: datetime

    @staticmethod
    def resolve_company(obj) -> str:
        return obj.application.company

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.application.title

    @staticmethod
    def resolve_from_status(obj):
        return obj.from_status or None

    @staticmethod
    def resolve_to_status(obj):
        return obj.to_status or None


class UpcomingItemOut(Schema):
    type: Literal["interview", "deadline"]
    at: datetime | None  # interviews
    on: date  # the day, for both
    application_id: uuid.UUID
    company: str
    title: str
    interview: TrackedInterviewOut | None


class UpcomingOut(Schema):
    model_config = schema_example(examples.UPCOMING)

    days: int
    items: list[UpcomingItemOut]
