"""Request and response shapes of the API-customer endpoints, each with an example for the OpenAPI document."""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from ninja import Field, Schema
from pydantic import ConfigDict, StringConstraints

from jobpilot.api.models import Scope


def _example(example: dict) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": [example]})


_KEY_EXAMPLE = {
    "id": 7,
    "name": "Nightly sync",
    "prefix": "jp_live_Q3xa",
    "scopes": ["jobs:read"],
    "created_at": "2026-11-22T08:00:00Z",
    "expires_at": None,
    "revoked_at": None,
    "last_used_at": "2026-11-22T09:12:00Z",
}


class ApiKeyIn(Schema):
    model_config = _example({"name": "Nightly sync", "scopes": ["jobs:read"], "expires_at": None})

    name: Annotated[str, StringConstraints(min_length=1, max_length=100, strip_whitespace=True)]
    scopes: list[Scope] = Field(default_factory=lambda: [Scope.JOBS_READ], min_length=1, max_length=3)
    expires_at: datetime | None = Field(None, description="Optional; the key stops working at this time.")


class ApiKeyOut(Schema):
    model_config = _example(_KEY_EXAMPLE)

    id: int
    name: str
    prefix: str = Field(description="The key's first characters, to tell keys apart.")
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None = Field(description="Updated at most once a minute.")


class ApiKeyCreatedOut(ApiKeyOut):
    model_config = _example({**_KEY_EXAMPLE, "secret": "jp_live_Q3xa" + "x" * 39})

    secret: str = Field(description="The key. Shown only in this answer: store it now.")


class ChangesParams(Schema):
    since: Annotated[str, StringConstraints(max_length=100)] = Field(
        "", description="The `next_cursor` of your last call; empty to start from the beginning."
    )
    limit: int = Field(100, ge=1, le=1000)


class JobChangeOut(Schema):
    id: UUID = Field(description="The job's id, as in `GET /api/v1/jobs/{id}/`.")
    change: str = Field(description="`created`, `updated` or `closed`.")
    changed_at: datetime


class JobChangesOut(Schema):
    model_config = _example(
        {
            "results": [
                {
                    "id": "5f0c2b1e-8f7a-4b7e-9a51-3c1d2e4f5a6b",
                    "change": "created",
                    "changed_at": "2026-11-22T08:00:00Z",
                },
                {
                    "id": "5f0c2b1e-8f7a-4b7e-9a51-3c1d2e4f5a6b",
                    "change": "closed",
                    "changed_at": "2026-11-22T09:00:00Z",
                },
            ],
            "next_cursor": "ODE5MjMuNDI",
            "has_more": False,
        }
    )

    results: list[JobChangeOut]
    next_cursor: str = Field(
        description="Pass as `since` next time (opaque; the same one when nothing is new)."
    )
    has_more: bool


class PostingsParams(Schema):
    status: Annotated[str, StringConstraints(max_length=16)] = Field(
        "", description="draft, published, closed…"
    )
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=100_000)


class PostingOut(Schema):
    id: UUID
    title: str
    status: str
    department: str
    job_type: str
    remote: str
    location: str
    published_at: datetime | None
    updated_at: datetime


class PostingsOut(Schema):
    model_config = _example(
        {
            "results": [
                {
                    "id": "5f0c2b1e-8f7a-4b7e-9a51-3c1d2e4f5a6b",
                    "title": "Backend Engineer",
                    "status": "published",
                    "department": "Engineering",
                    "job_type": "full_time",
                    "remote": "hybrid",
                    "location": "Berlin, DE",
                    "published_at": "2026-11-20T10:00:00Z",
                    "updated_at": "2026-11-21T10:00:00Z",
                }
            ],
            "total": 1,
        }
    )

    results: list[PostingOut]
    total: int


class ApplicationsParams(Schema):
    job_id: UUID | None = Field(None, description="Only applications to this posting (its public id).")
    stage_id: int | None = Field(None, ge=1, le=2**31 - 1, description="Only applications in this stage.")
    include_withdrawn: bool = Field(True, description="Also list applications the candidate withdrew.")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=100_000)


class CandidateOut(Schema):
    name: str
    email: str


class ApplicationJobOut(Schema):
    id: UUID
    name: str  # the posting's title, as Greenhouse names it


class StageOut(Schema):
    id: int
    name: str


class AnswerOut(Schema):
    question: str
    answer: str


class ApplicationOut(Schema):
    id: int
    candidate: CandidateOut
    jobs: list[ApplicationJobOut]
    current_stage: StageOut
    status: str = Field(
        description="The stage's public status (applied, reviewing, interviewing, offered, "
        "hired, rejected), or withdrawn."
    )
    rejection_reason: str
    source: str
    rating: float | None
    has_resume: bool
    answers: list[AnswerOut]
    applied_at: datetime
    last_activity_at: datetime
    withdrawn_at: datetime | None


class ApplicationsOut(Schema):
    model_config = _example(
        {
            "results": [
                {
                    "id": 412,
                    "candidate": {"name": "Ada Lovelace", "email": "ada@example.com"},
                    "jobs": [{"id": "5f0c2b1e-8f7a-4b7e-9a51-3c1d2e4f5a6b", "name": "Backend Engineer"}],
                    "current_stage": {"id": 3, "name": "Interview"},
                    "status": "interviewing",
                    "rejection_reason": "",
                    "source": "marketplace",
                    "rating": 4.5,
                    "has_resume": True,
                    "answers": [{"question": "Years of Python?", "answer": "7"}],
                    "applied_at": "2026-11-20T10:00:00Z",
                    "last_activity_at": "2026-11-21T15:30:00Z",
                    "withdrawn_at": None,
                }
            ],
            "total": 1,
        }
    )

    results: list[ApplicationOut]
    total: int


class UsageCountOut(Schema):
    requests: int
    throttled: int = Field(description="Requests refused with 429.")


class EndpointUsageOut(UsageCountOut):
    endpoint: str


class KeyUsageOut(UsageCountOut):
    key_id: int
    prefix: str


class QuotaOut(Schema):
    limit: int | None
    used: int
    overage_allowed: bool
    overage: int
    requests_per_minute: int | None


class ApiUsageOut(Schema):
    model_config = _example(
        {
            "day": "2026-11-22",
            "today": {"requests": 1200, "throttled": 3},
            "this_month": {"requests": 25400, "throttled": 17},
            "endpoints": [{"endpoint": "GET /api/v1/jobs/", "requests": 25000, "throttled": 17}],
            "keys": [{"key_id": 7, "prefix": "jp_live_Q3xa", "requests": 25400, "throttled": 17}],
            "quota": {
                "limit": 50000,
                "used": 1200,
                "overage_allowed": True,
                "overage": 0,
                "requests_per_minute": 600,
            },
        }
    )

    day: date
    today: UsageCountOut
    this_month: UsageCountOut
    endpoints: list[EndpointUsageOut]
    keys: list[KeyUsageOut]
    quota: QuotaOut | None = Field(description="The daily quota of an API plan; null for employer keys.")
