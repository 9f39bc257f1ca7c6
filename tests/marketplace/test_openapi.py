"""The API's OpenAPI document is valid and describes the marketplace and employer endpoints."""

import pytest
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


def test_the_openapi_document_is_valid_and_lists_the_job_endpoints(public_client):
    spec = public_client.get("/api/v1/openapi.json").json()
    validate(spec)
    assert {
        "/api/v1/jobs/",
        "/api/v1/jobs/{job_id}/",
        "/api/v1/jobs/{job_id}/save/",
        "/api/v1/saved-jobs/",
        "/api/v1/saved-searches/",
        "/api/v1/saved-searches/{saved_search_id}/",
        "/api/v1/employer/jobs/",
        "/api/v1/employer/jobs/import/",
        "/api/v1/employer/jobs/{job_id}/publish/",
        "/api/v1/employer/company/",
    } <= set(spec["paths"])
    search_parameters = {
        parameter["name"] for parameter in spec["paths"]["/api/v1/jobs/"]["get"]["parameters"]
    }
    assert {
        "q",
        "location",
        "job_type",
        "remote",
        "salary_min",
        "salary_max",
        "posted_within",
        "company",
        "skills",
        "sort",
        "page",
        "limit",
    } <= search_parameters
