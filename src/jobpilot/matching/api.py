"""`/api/v2/`: job summaries and match scores (ADR 0024). Summaries are public like the job page; batches and
scores are the signed-in user's; a score is a seeker plan feature (402 `feature_not_in_plan` with `upgrade_url`)."""

import uuid
from datetime import datetime

from ninja import Field, Router, Schema, Status

from jobpilot.accounts.auth import user_auth
from jobpilot.core.openapi import schema_example
from jobpilot.matching import selectors, services

router = Router(tags=["matching"])

_SKILL = {"id": "python", "label": "Python"}
_SUMMARY_EXAMPLE = {
    "id": "0b6f4c1e-7d43-4c7e-9a51-2f1d3c8e9a10",
    "title": "Senior backend engineer",
    "required_skills": [_SKILL, {"id": "postgresql", "label": "PostgreSQL"}],
    "nice_to_have_skills": [{"id": "kubernetes", "label": "Kubernetes"}],
    "seniority": "senior",
    "summary": {
        "responsibilities": ["You will build and run our payments API."],
        "requirements": ["5+ years of experience with Python and PostgreSQL."],
        "benefits": ["Health insurance and 25 days of paid time off."],
        "pay": ["The salary is $120,000 - $150,000 per year."],
    },
    "understood_at": "2026-12-07T10:15:00Z",
}


class SkillOut(Schema):
    model_config = schema_example(_SKILL)

    id: str
    label: str


class JobSummaryOut(Schema):
    model_config = schema_example(_SUMMARY_EXAMPLE)

    id: uuid.UUID
    title: str
    required_skills: list[SkillOut]
    nice_to_have_skills: list[SkillOut]
    seniority: str
    summary: dict[str, list[str]]
    understood_at: datetime


class BatchSummarizeIn(Schema):
    model_config = schema_example({"ids": ["0b6f4c1e-7d43-4c7e-9a51-2f1d3c8e9a10"]}, extra="forbid")

    ids: list[uuid.UUID] = Field(..., min_length=1, max_length=100)


_BATCH_EXAMPLE = {
    "batch_id": "9a4c2e1f-5b7d-4f3a-8c6e-1d2b3a4c5e6f",
    "status": "pending",
    "done": 16,
    "total": 40,
    "results": [_SUMMARY_EXAMPLE],
    "not_found": [],
}


class BatchOut(Schema):
    model_config = schema_example(_BATCH_EXAMPLE)

    batch_id: uuid.UUID | None = Field(
        description="Poll `GET /api/v2/jobs/batch-summarize/{batch_id}/`; "
        "null when everything was answered at once."
    )
    status: str = Field(description="`done` or `pending`.")
    done: int
    total: int
    results: list[JobSummaryOut]
    not_found: list[uuid.UUID] = Field(description="Ids that are no job listed here (or no longer open).")


class MatchScoreIn(Schema):
    model_config = schema_example(
        {
            "job_id": "0b6f4c1e-7d43-4c7e-9a51-2f1d3c8e9a10",
            "resume_id": "5b7e2d9a-3c1f-4a8e-b6d4-2e9f1c7a8b30",
        },
        extra="forbid",
    )

    job_id: uuid.UUID
    resume_id: uuid.UUID | None = Field(
        None, description="One of your resumes; default: your default resume."
    )


_MATCH_EXAMPLE = {
    "job_id": "0b6f4c1e-7d43-4c7e-9a51-2f1d3c8e9a10",
    "resume_id": None,
    "score": 82,
    "skills": {
        "matched": [{"id": "python", "label": "Python", "required": True}],
        "missing": [{"id": "kubernetes", "label": "Kubernetes", "required": False}],
        "matched_count": 1,
        "total": 2,
        "score": 0.667,
        "weight": 40,
    },
    "semantic": {"similarity": 0.61, "score": 0.92, "weight": 25},
    "seniority": {
        "job": "senior",
        "seeker": "senior",
        "years": 6,
        "fit": "match",
        "score": 1.0,
        "weight": 15,
    },
    "location": {"fit": "remote", "job": "remote", "score": 1.0, "weight": 10},
    "salary": {
        "job_annual_max": 150000,
        "expected_annual": 130000,
        "currency": "USD",
        "fit": "meets",
        "score": 1.0,
        "weight": 10,
    },
}


class MatchScoreOut(Schema):
    model_config = schema_example(_MATCH_EXAMPLE)

    job_id: uuid.UUID
    resume_id: uuid.UUID | None
    score: int = Field(ge=0, le=100)
    skills: dict
    semantic: dict
    seniority: dict
    location: dict
    salary: dict


@router.get(
    "/jobs/{job_id}/summary/", response=JobSummaryOut, auth=None, summary="What a job asks for, in brief"
)
def job_summary(request, job_id: str):
    return selectors.job_summary_get(public_id=job_id, tenant=request.tenant)


@router.post(
    "/jobs/batch-summarize/",
    response={200: BatchOut, 202: BatchOut},
    auth=user_auth,
    summary="Summaries of many jobs (202 and a batch to poll when some are not ready)",
)
def batch_summarize(request, body: BatchSummarizeIn):
    batch = services.job_summaries_batch_start(user=request.auth, public_ids=body.ids, tenant=request.tenant)
    return Status(202 if batch["batch_id"] else 200, batch)  # 202: a batch was started, poll it


@router.get(
    "/jobs/batch-summarize/{batch_id}/", response=BatchOut, auth=user_auth, summary="A batch's progress"
)
def batch_summarize_progress(request, batch_id: uuid.UUID):
    return selectors.batch_progress(user=request.auth, batch_id=batch_id, tenant=request.tenant)


@router.post("/matching/score/", response=MatchScoreOut, auth=user_auth, summary="How well you match a job")
def match_score(request, body: MatchScoreIn):
    return selectors.match_score_get(
        seeker=request.auth, job_id=body.job_id, resume_id=body.resume_id, tenant=request.tenant
    )
