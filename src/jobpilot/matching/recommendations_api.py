"""Recommendations for the signed-in seeker (`/api/v2/recommendations/`): the list, and "not interested"."""

from ninja import Query, Router, Schema, Status
from pydantic import Field

from jobpilot.accounts.auth import user_auth
from jobpilot.analytics import capture
from jobpilot.analytics.models import Event
from jobpilot.core.openapi import schema_example
from jobpilot.jobs.examples import JOB_ID
from jobpilot.jobs.selectors import parse_public_id
from jobpilot.marketplace import selectors as market
from jobpilot.marketplace import services as market_services
from jobpilot.marketplace.examples import SEARCH_EXAMPLE
from jobpilot.marketplace.schemas import Answer, JobCardOut
from jobpilot.matching.recommendations import recommendation_list

router = Router(tags=["recommendations"], auth=user_auth)


class RecommendationParams(Schema):
    limit: int = Field(20, ge=1, le=50, description="How many jobs (1-50).")


_RECOMMENDATION = {
    "job": SEARCH_EXAMPLE["results"][0],
    "score": 0.61,
    "reason": "2 of the job's 3 skills match yours: Power electronics, SCADA",
    "reasons": ["2 of the job's 3 skills match yours: Power electronics, SCADA", "Right level for you (mid)"],
    "matched_skills": ["Power electronics", "SCADA"],
}


class RecommendationOut(Answer):
    model_config = schema_example(_RECOMMENDATION)
    job: JobCardOut
    score: float = Field(description="0-1; only the order means something.")
    reason: str = Field(description="The main reason, in words.")
    reasons: list[str]
    matched_skills: list[str]


class RecommendationListOut(Answer):
    model_config = schema_example({"results": [_RECOMMENDATION], "count": 1})
    results: list[RecommendationOut]
    count: int


class DismissedOut(Answer):
    model_config = schema_example({"job_id": JOB_ID, "dismissed": True})
    job_id: str
    dismissed: bool


@router.get("/", response=RecommendationListOut, summary="Jobs recommended for the seeker")
def list_recommendations(request, params: Query[RecommendationParams]):
    """Ranked from the profile, the resume and what the seeker saved, applied to, viewed and dismissed; never a
    job applied to or dismissed; at most three of one title and four of one company while others are left.
    A plan feature (402 `feature_not_in_plan` with the upgrade link)."""
    items = recommendation_list(seeker=request.auth, tenant=request.tenant, limit=params.limit)
    capture.record_impressions(
        jobs=[item.job for item in items], source=Event.Source.RECOMMENDATION, request=request
    )
    return {"results": [item.__dict__ for item in items], "count": len(items)}


@router.post("/{job_id}/dismiss/", response={200: DismissedOut, 201: DismissedOut}, summary="Not interested")
def dismiss_job(request, job_id: str):
    """The job leaves the seeker's recommendations (and ones like it rank lower). Again: 200, no change."""
    job = market.marketplace_job_get(public_id=job_id, tenant=request.tenant)
    _row, created = market_services.dismissed_job_create(user=request.auth, job=job)
    return Status(201 if created else 200, {"job_id": str(job.public_id), "dismissed": True})


@router.delete("/{job_id}/dismiss/", response={204: None}, summary="Undo not interested")
def undismiss_job(request, job_id: str):
    market_services.dismissed_job_delete(user=request.auth, public_id=parse_public_id(job_id))
    return Status(204, None)
