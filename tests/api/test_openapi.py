"""The OpenAPI document is valid, and every API-customer endpoint documents an example answer."""

import pytest
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db

API_CUSTOMER_PATHS = {
    "/api/v1/api-keys/",
    "/api/v1/api-keys/{key_id}/",
    "/api/v1/usage/",
    "/api/v1/jobs/changes/",
    "/api/v1/employer-api/postings/",
    "/api/v1/employer-api/applications/",
}


def _resolve(spec, schema):
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def test_the_openapi_document_validates(public_client):
    spec = public_client.get("/api/v1/openapi.json").json()
    validate(spec)


def test_every_api_customer_endpoint_has_an_example(public_client):
    spec = public_client.get("/api/v1/openapi.json").json()
    assert set(spec["paths"]) >= API_CUSTOMER_PATHS
    for path in API_CUSTOMER_PATHS:
        for method, operation in spec["paths"][path].items():
            success = next(r for code, r in operation["responses"].items() if code.startswith("2"))
            schema = _resolve(spec, success["content"]["application/json"]["schema"])
            if schema.get("type") == "array":
                schema = _resolve(spec, schema["items"])
            assert schema.get("examples"), f"{method.upper()} {path} has no example"


def test_keyed_endpoints_document_the_key_header(public_client):
    spec = public_client.get("/api/v1/openapi.json").json()
    schemes = spec["components"]["securitySchemes"]
    assert schemes["ApiKeyAuth"] == {"type": "apiKey", "in": "header", "name": "X-API-Key"}
