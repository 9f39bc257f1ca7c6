"""Demo data for the seeker: a filled-in profile and a tracker with applications found elsewhere (seed_demo)."""

from datetime import timedelta

from django.utils import timezone

from jobpilot.seekers.services import seeker_profile_update
from jobpilot.tracker.services import (
    tracked_application_create_external,
    tracked_application_set_status,
    tracked_interview_create,
)

DEMO_APPLICATIONS = [
    # (company, title, days ago, status path, deadline in days)
    ("Initech", "Backend Engineer", 40, ["in_review", "not_selected"], None),
    ("Hooli", "Platform Engineer", 21, ["in_review", "interviewing"], None),
    ("Pied Piper", "Senior Python Developer", 12, ["in_review"], 5),
    ("Umbrella Labs", "Data Engineer", 6, [], 10),
    ("Vandelay Industries", "Site Reliability Engineer", 2, [], None),
]


def seed_seeker_demo(*, employers, seeker) -> None:
    """Idempotent: does nothing once the demo seeker tracks anything."""
    if seeker.tracked_applications.exists():
        return
    seeker_profile_update(
        seeker=seeker,
        changes={
            "headline": "Python developer looking for a remote backend role",
            "location": "Lisbon, Portugal",
            "desired_job_types": ["full_time", "contract"],
            "work_arrangements": ["remote", "hybrid"],
            "salary_expectation": 70000,
            "salary_currency": "EUR",
            "experience_years": 6,
            "education_level": "bachelor",
        },
        skills=[
            {"name": "Python", "level": "expert"},
            {"name": "Django", "level": "advanced"},
            {"name": "PostgreSQL", "level": "advanced"},
        ],
    )
    today = timezone.localdate()
    for company, title, days_ago, path, deadline_in in DEMO_APPLICATIONS:
        application = tracked_application_create_external(
            seeker=seeker,
            fields={
                "company": company,
                "title": title,
                "applied_on": today - timedelta(days=days_ago),
                "deadline": today + timedelta(days=deadline_in) if deadline_in else None,
            },
        )
        for status in path:
            tracked_application_set_status(seeker=seeker, application_id=application.id, status=status)
        if "interviewing" in path:
            tracked_interview_create(
                seeker=seeker,
                application_id=application.id,
                fields={
                    "starts_at": timezone.now() + timedelta(days=3),
                    "kind": "video",
                    "title": "Technical interview",
                },
            )
