"""Examples of the employer API's bodies for the OpenAPI document, shaped from real answers.

They follow one posting through its life: Globex Energy's "Battery Storage Engineer" (the job of the path
parameter examples, and the same job the marketplace examples show as a card), created as a draft, published,
closed, archived and duplicated."""

JOB_ID = (
    "0b6f4c1e-7d43-4c7e-9a51-2f1d3c8e9a10"  # the `job_id` of `jobpilot.core.openapi.PATH_PARAMETER_EXAMPLES`
)

COMPANY_EXAMPLE = {
    "name": "Globex Energy",
    "tagline": "Clean power for a million homes.",
    "logo_url": "https://globex-energy.example/logo.png",
    "website": "https://globex-energy.example",
    "about": "<p>Globex Energy builds and runs wind and solar farms and the software that balances them "
    "on the grid.</p>",
    "time_zone": "America/Chicago",
}

POSTING_IN_EXAMPLE = {
    "title": "Battery Storage Engineer",
    "description": "<p>Commission and optimise the battery systems next to our solar farms.</p>",
    "requirements": "<ul><li>Experience with Battery systems.</li><li>Experience with SCADA.</li></ul>",
    "benefits": "<ul><li>30 days of paid leave</li><li>Pension plan</li></ul>",
    "department": "Engineering",
    "job_type": "full_time",
    "skills": ["Battery systems", "SCADA", "Power electronics"],
    "city": "Madrid",
    "region": "Madrid",
    "country": "ES",
    "remote": "onsite",
    "salary_min": 55000,
    "salary_max": 70000,
    "salary_currency": "EUR",
    "salary_period": "year",
    "screening_questions": [
        {"question": "Do you hold a permit to work in the EU?", "kind": "yes_no", "required": True}
    ],
}

# Raises the top of the range and clears the application deadline (null empties a clearable field).
POSTING_PATCH_EXAMPLE = {"salary_max": 75000, "application_deadline": None}

# The posting's questions as stored (each with its id) and shown to applicants.
SCREENING_QUESTIONS = [
    {
        "id": "4f08744fba6d",
        "question": "Do you hold a permit to work in the EU?",
        "kind": "yes_no",
        "required": True,
        "choices": [],
    }
]

_DRAFT = {
    "id": JOB_ID,
    "slug": "battery-storage-engineer",
    "status": "draft",
    "closed_reason": "",
    "title": "Battery Storage Engineer",
    "description": POSTING_IN_EXAMPLE["description"],
    "requirements": POSTING_IN_EXAMPLE["requirements"],
    "benefits": POSTING_IN_EXAMPLE["benefits"],
    "department": "Engineering",
    "job_type": "full_time",
    "tags": [],
    "skills": ["Battery systems", "SCADA", "Power electronics"],
    "city": "Madrid",
    "region": "Madrid",
    "country": "ES",
    "remote": "onsite",
    "applicant_countries": [],
    "salary_min": 55000,
    "salary_max": 70000,
    "salary_currency": "EUR",
    "salary_period": "year",
    "application_deadline": None,
    "expires_at": None,
    "apply_url": "",
    "screening_questions": SCREENING_QUESTIONS,
    "is_featured": False,
    "view_count": 0,
    "application_count": 0,
    "published_at": None,
    "closed_at": None,
    "created_at": "2026-11-20T15:42:10.118Z",
    "updated_at": "2026-11-20T15:42:10.118Z",
}

# GET, PATCH (after POSTING_PATCH_EXAMPLE) and publish answer the posting as it is once published.
POSTING_EXAMPLE = {
    **_DRAFT,
    "status": "published",
    "salary_max": 75000,
    "expires_at": "2027-01-21T09:01:07.397Z",
    "view_count": 214,
    "application_count": 9,
    "published_at": "2026-11-22T09:01:07.397Z",
    "updated_at": "2026-11-22T09:01:07.402Z",
}

CREATED_EXAMPLE = _DRAFT

CLOSED_EXAMPLE = {
    **POSTING_EXAMPLE,
    "status": "closed",
    "closed_reason": "manual",
    "view_count": 388,
    "application_count": 17,
    "closed_at": "2026-11-29T17:30:12.840Z",
    "updated_at": "2026-11-29T17:30:12.840Z",
}

ARCHIVED_EXAMPLE = {**CLOSED_EXAMPLE, "status": "archived", "updated_at": "2026-11-30T08:15:03.226Z"}

# A new draft with the same content; a future expiry and the deadline are content, so they are copied.
DUPLICATED_EXAMPLE = {
    **POSTING_EXAMPLE,
    "id": "5d2e8a47-93c1-4f0b-8e6a-1b7c9d3f4e25",
    "slug": "battery-storage-engineer-37b29b",
    "status": "draft",
    "view_count": 0,
    "application_count": 0,
    "published_at": None,
    "created_at": "2026-11-30T08:20:41.502Z",
    "updated_at": "2026-11-30T08:20:41.502Z",
}

LIST_EXAMPLE = {
    "results": [POSTING_EXAMPLE],
    "pagination": {"page": 1, "limit": 20, "total": 1, "pages": 1},
}

IMPORT_REQUEST_EXAMPLE = {"file": "jobs.csv"}


def _imported(**fields) -> dict:
    return {
        **_DRAFT,
        "description": "",
        "requirements": "",
        "benefits": "",
        "region": "",
        "screening_questions": [],
        "created_at": "2026-11-24T10:12:31.604Z",
        "updated_at": "2026-11-24T10:12:31.604Z",
        **fields,
    }


# What the two-row file in the import operation's description creates.
IMPORT_EXAMPLE = {
    "created": 2,
    "jobs": [
        _imported(
            id="9a4f1c2d-6b3e-4d5a-8f70-2e1b3c4d5e6f",
            slug="wind-turbine-technician",
            title="Wind Turbine Technician",
            department="Operations",
            skills=["Wind turbines", "High voltage"],
            city="Hamburg",
            country="DE",
            salary_min=42000,
            salary_max=52000,
        ),
        _imported(
            id="3c8b7e21-0d4f-4a6b-9c5e-7f1a2b3c4d5e",
            slug="grid-data-analyst",
            title="Grid Data Analyst",
            department="Engineering",
            skills=["SQL", "Python", "Forecasting"],
            remote="remote",
            city="",
            country="",
            salary_min=50000,
            salary_max=65000,
        ),
    ],
}
