"""Drafts: `POST /api/v2/drafts/cover-letter/` and `POST /api/v2/drafts/interview-questions/` for a listed job and
the signed-in seeker's profile. A plan feature (402 with the upgrade link otherwise)."""

import uuid

from ninja import Router, Schema
from pydantic import ConfigDict

from jobpilot.accounts.auth import user_auth
from jobpilot.drafts import services

router = Router(auth=user_auth, tags=["drafts"])

_JOB_ID = "0b6f4c1e-7d43-4c7e-9a51-2f1d3c8e9a10"
_COMMON = {
    "job_id": _JOB_ID,
    "job_title": "Senior Backend Engineer",
    "company": "Parcelwise",
    "generator": "local",
    "matched_skills": ["Python", "PostgreSQL"],
    "missing_skills": ["Kubernetes"],
}


class DraftIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"job_id": _JOB_ID}]}, extra="forbid")

    job_id: uuid.UUID


class CoverLetterOut(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {**_COMMON, "cover_letter": "Dear Parcelwise hiring team,\n\nI am writing to apply ..."}
            ]
        }
    )

    job_id: uuid.UUID
    job_title: str
    company: str
    generator: str
    matched_skills: list[str]
    missing_skills: list[str]
    cover_letter: str


class InterviewQuestionsOut(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **_COMMON,
                    "interview_questions": [
                        "Why do you want to work as a Senior Backend Engineer at Parcelwise?",
                        "Tell us about a project where you used Python. What was hard, and what did you do?",
                    ],
                }
            ]
        }
    )

    job_id: uuid.UUID
    job_title: str
    company: str
    generator: str
    matched_skills: list[str]
    missing_skills: list[str]
    interview_questions: list[str]


@router.post("/cover-letter/", response=CoverLetterOut, summary="Draft a cover letter for a job")
def draft_cover_letter(request, payload: DraftIn):
    """From the job's understood skills and responsibilities and my profile. Nothing is stored."""
    return services.draft_make(
        seeker=request.auth, job_id=payload.job_id, kind="cover_letter", tenant=request.tenant
    )


@router.post(
    "/interview-questions/",
    response=InterviewQuestionsOut,
    summary="Interview-preparation questions for a job",
)
def draft_interview_questions(request, payload: DraftIn):
    return services.draft_make(
        seeker=request.auth, job_id=payload.job_id, kind="interview_questions", tenant=request.tenant
    )
