from datetime import date, datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import StringConstraints, model_validator

from jobpilot.core.openapi import schema_example
from jobpilot.jobs.schemas import PageOut

LIST_EXAMPLE = {
    "results": [
        {
            "id": 41,
            "created_at": "2026-12-07T08:54:58Z",
            "actor_user_id": 6,
            "actor_email": "dana@acme.example",
            "api_key_id": None,
            "action": "member.role_change",
            "target_type": "membership",
            "target_id": "12",
            "before": {"role": "recruiter"},
            "after": {"role": "admin"},
            "ip": "203.0.113.7",
            "user_agent": "Mozilla/5.0",
        }
    ],
    "pagination": {"page": 1, "limit": 50, "total": 1, "pages": 1},
}


class AuditFilters(Schema):
    """Bad dates (or `since` after `until`) are a 422, never a 500."""

    actor: Annotated[str, StringConstraints(max_length=254, strip_whitespace=True)] = ""
    action: Annotated[str, StringConstraints(max_length=64, strip_whitespace=True)] = ""
    since: date | None = None
    until: date | None = None

    @model_validator(mode="after")
    def _ordered(self):
        if self.since and self.until and self.since > self.until:
            raise ValueError("`since` must not be after `until`.")
        return self


class AuditListParams(AuditFilters):
    page: int = Field(1, ge=1, le=10_000)
    limit: int = Field(50, ge=1, le=200)


class AuditEntryOut(Schema):
    id: int
    created_at: datetime
    actor_user_id: int | None
    actor_email: str
    api_key_id: int | None
    action: str
    target_type: str
    target_id: str
    before: dict
    after: dict
    ip: str | None
    user_agent: str


class AuditEntryListOut(Schema):
    model_config = schema_example(LIST_EXAMPLE)

    results: list[AuditEntryOut]
    pagination: PageOut
