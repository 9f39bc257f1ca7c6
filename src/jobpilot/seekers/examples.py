"""Examples of the seeker's profile and resumes for the OpenAPI document: the shapes the endpoints answer, for one
seeker (Dana Reyes) whose tracker and account examples (tracker/examples.py, accounts/api.py) tell the same story."""

from jobpilot.core.openapi import PATH_PARAMETER_EXAMPLES

RESUME_ID = PATH_PARAMETER_EXAMPLES[("resume_id", "uuid")]

SEEKER_PROFILE = {
    "headline": "Backend engineer (Python, PostgreSQL)",
    "location": "Berlin, DE",
    "bio": "Six years building APIs and data pipelines for logistics and fintech teams.",
    "phone": "+49 30 1234567",
    "links": [{"label": "GitHub", "url": "https://github.com/danareyes"}],
    "desired_job_types": ["full_time"],
    "desired_locations": ["Berlin, DE", "Hamburg, DE"],
    "work_arrangements": ["hybrid", "remote"],
    "salary_expectation": 85000,
    "salary_currency": "EUR",
    "salary_period": "year",
    "experience_years": 6,
    "education_level": "bachelor",
    "skills": [
        {"name": "Python", "level": "expert"},
        {"name": "PostgreSQL", "level": "advanced"},
        {"name": "Django", "level": "advanced"},
    ],
    "notify_application_updates": True,
    "notify_interview_reminders": True,
    "notify_job_recommendations": True,
    "notify_product_news": False,
    "profile_visibility": "employers_applied",
    "share_contact_details": True,
}

SEEKER_PROFILE_PATCH = {
    "headline": "Backend engineer (Python, PostgreSQL)",
    "work_arrangements": ["hybrid", "remote"],
    "salary_expectation": 85000,
    "salary_currency": "EUR",
    "skills": [
        {"name": "Python", "level": "expert"},
        {"name": "PostgreSQL", "level": "advanced"},
        {"name": "Django", "level": "advanced"},
    ],
}

RESUME = {
    "id": RESUME_ID,
    "title": "Dana Reyes CV",
    "original_filename": "Dana Reyes CV.pdf",
    "kind": "pdf",
    "size": 48213,
    "is_default": True,
    "text_status": "ready",
    "created_at": "2026-11-03T10:12:44.201Z",
    "download_url": f"/api/v1/resumes/{RESUME_ID}/download/",
}

RESUME_DETAIL = {
    **RESUME,
    "text": "Dana Reyes\nBackend engineer, Berlin\n\nExperience\nSenior Backend Engineer, Parcelwise (2022-2026)\n"
    "Python, Django, PostgreSQL, Celery",
}

# What the upload answers at once: the text is extracted in the background afterwards.
RESUME_UPLOADED = {**RESUME, "text_status": "pending"}

RESUME_UPLOAD_FORM = {"file": "Dana Reyes CV.pdf", "title": "Dana Reyes CV", "make_default": True}
