"""Examples of the marketplace answers for the OpenAPI document (taken from a real answer of the demo data), so
API customers see what a search and a job look like before their first call."""

_CARD = {
    "id": "a333111b-2e13-4e59-b3ce-8a6e429ea203",
    "source": "employer",
    "title": "Battery Storage Engineer",
    "slug": "battery-storage-engineer",
    "company": {"name": "Globex Energy", "slug": "globex", "logo_url": ""},
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
    "screening_questions": [],
}


def response_example(example: dict) -> dict:
    """`openapi_extra` for an operation whose 200 answer is `example`."""
    return {"responses": {200: {"content": {"application/json": {"example": example}}}}}
