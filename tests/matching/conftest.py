from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from bench.matching_eval.dataset import build
from jobpilot.marketplace.services import marketplace_imported_jobs_upsert
from jobpilot.search import index
from jobpilot.seekers.services import seeker_profile_update
from tests.jobs.conftest import make_posting  # noqa: F401

OCCUPATIONS = ("nursing", "software", "sales", "hospitality")


def listing_for(job) -> dict:
    return {
        "title": job.title,
        "company_name": job.company,
        "department": "",
        "job_type": "full_time",
        "remote": job.remote,
        "city": job.city,
        "region": "",
        "country": job.country,
        "location_text": job.city,
        "applicant_countries": [],
        "salary_min": None,
        "salary_max": None,
        "salary_period": "",
        "salary_currency": "",
        "tags": job.skills,
        "description_html": f"<p>{job.description}</p>",
        "apply_url": "https://jobs.example.com/apply",
        "posted_at": timezone.now() - timedelta(days=job.id % 20),
    }


@pytest.fixture
def listed_jobs(db):
    """Evaluation jobs of four occupations listed as imported jobs and indexed: {row public id: eval job}."""
    data = build()
    jobs = {str(job.id): job for job in data.jobs if job.occupation in OCCUPATIONS}
    with transaction.atomic():
        outcome = marketplace_imported_jobs_upsert(
            source_name="eval", items=[(ref, listing_for(job), None) for ref, job in jobs.items()]
        )
    listed = {public_id: jobs[ref] for ref, (public_id, _kind) in outcome.items()}
    index.rebuild()
    return listed


@pytest.fixture
def seeker_like(make_user, on_plan):
    """`seeker_like(eval resume, plan="seeker_pro")`: a seeker whose profile says what the resume says."""

    def make(resume, plan="seeker_pro"):
        user = make_user()
        if plan:
            on_plan(user, plan)
        seeker_profile_update(
            seeker=user,
            changes={"headline": resume.headline, "experience_years": resume.years},
            skills=[{"name": s, "level": "intermediate"} for s in resume.skills],
        )
        return user

    return make
