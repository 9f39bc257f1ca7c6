"""Examples of the marketplace bodies for the OpenAPI document (shaped from real answers of the demo data), so
API customers see what a search, a job, a saved job and a saved search look like before their first call.

The card is the job of the path parameter examples: Globex Energy's posting that `jobpilot.jobs.examples` follows
on the employer's side."""

from jobpilot.jobs.examples import JOB_ID, SCREENING_QUESTIONS

_CARD = {
    "id": JOB_ID,
    "source": "employer",
    "title": "Battery Storage Engineer",
    "slug": "battery-storage-engineer",
    "company": {
        "name": "Globex Energy",
        "slug": "globex",
        "logo_url": "https://globex-energy.example/logo.png",
    },
    "department": "Engineering",
    "job_type": "full_time",
    "remote": "onsite",
    "location": {"city": "Madrid", "region": "Madrid", "country": "ES", "text": "Madrid, Madrid, ES"},
    "salary": {"min": 55000, "max": 75000, "currency": "EUR", "period": "year"},
    "skills": ["Battery systems", "SCADA", "Power electronics"],
    "tags": [],
    "summary": "Commission and optimise the battery systems next to our solar farms.",
    "apply_url": "",
    "is_featured": False,
    "published_at": "2026-11-22T09:01:07.397Z",
    "expires_at": "2027-01-21T09:01:07.397Z",
}

SEARCH_EXAMPLE = {
    "results": [_CARD],
    "pagination": {"page": 1, "limit": 1, "total": 18, "pages": 18, "total_is_estimate": False},
    "facets": {
        "job_type": [{"value": "full_time", "count": 14}, {"value": "internship", "count": 2}],
        "remote": [
            {"value": "hybrid", "count": 6},
            {"value": "onsite", "count": 6},
            {"value": "remote", "count": 6},
        ],
        "locations": [
            {"city": "Berlin", "country": "DE", "count": 4},
            {"city": "Madrid", "country": "ES", "count": 3},
        ],
        "companies": [{"slug": "acme", "name": "Acme Robotics", "count": 12}],
        "languages": [{"value": "en", "count": 13}, {"value": "de", "count": 3}],
        "is_estimate": False,
    },
}

DETAIL_EXAMPLE = {
    **_CARD,
    "description_html": "<p>Commission and optimise the battery systems next to our solar farms.</p>",
    "requirements_html": "<ul><li>Experience with Battery systems.</li><li>Experience with SCADA.</li></ul>",
    "benefits_html": "<ul><li>30 days of paid leave</li><li>Pension plan</li></ul>",
    "applicant_countries": [],
    "application_deadline": None,
    "screening_questions": SCREENING_QUESTIONS,
}


# Saving answers the bookmark with the job's card; once the job closes or expires, the bookmark stays (with the
# title and company it had) but has no card.
SAVED_JOB_EXAMPLE = {
    "id": _CARD["id"],
    "title": _CARD["title"],
    "company_name": _CARD["company"]["name"],
    "saved_at": "2026-11-23T19:04:51.230Z",
    "available": True,
    "job": _CARD,
}

SAVED_JOBS_EXAMPLE = {
    "results": [
        SAVED_JOB_EXAMPLE,
        {
            "id": "7c1e5a90-3b2d-4f6e-a8c4-9d0b1e2f3a4b",
            "title": "Embedded Firmware Engineer",
            "company_name": "Acme Robotics",
            "saved_at": "2026-11-21T12:37:05.914Z",
            "available": False,
            "job": None,
        },
    ],
    "pagination": {"page": 1, "limit": 20, "total": 2, "pages": 1, "total_is_estimate": False},
}

SAVED_SEARCH_IN_EXAMPLE = {
    "name": "Battery jobs in Spain",
    "q": "battery",
    "filters": {"location": "es", "remote": ["onsite", "hybrid"], "salary_min": 50000, "currency": "EUR"},
    "frequency": "weekly",
}

SAVED_SEARCH_PATCH_EXAMPLE = {"frequency": "daily"}

# As created from SAVED_SEARCH_IN_EXAMPLE: the filters keep only what differs from the defaults.
SAVED_SEARCH_CREATED_EXAMPLE = {
    "id": 4,  # the `saved_search_id` of the path parameter examples
    "name": "Battery jobs in Spain",
    "q": "battery",
    "filters": {"location": "es", "remote": ["onsite", "hybrid"], "salary_min": 50000, "currency": "EUR"},
    "frequency": "weekly",
    "scope": "marketplace",
    "last_alerted_at": None,
    "created_at": "2026-11-23T19:10:44.871Z",
    "updated_at": "2026-11-23T19:10:44.871Z",
}

# The same search later: changed by SAVED_SEARCH_PATCH_EXAMPLE, and alerted since.
SAVED_SEARCH_EXAMPLE = {
    **SAVED_SEARCH_CREATED_EXAMPLE,
    "frequency": "daily",
    "last_alerted_at": "2026-11-27T07:00:03.512Z",
    "updated_at": "2026-11-25T08:02:19.047Z",
}

SUGGEST_EXAMPLE = {
    "results": [
        {"text": "python", "kind": "skill", "count": 1204},
        {"text": "python developer", "kind": "title", "count": 311},
        {"text": "pytorch", "kind": "skill", "count": 96},
    ]
}
