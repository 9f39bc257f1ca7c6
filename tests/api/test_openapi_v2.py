"""The /api/v2/ OpenAPI document is valid, and each of its request and answer bodies (and path parameters) has an
example that passes its schema (the same rule as v1's, tests/api/test_openapi.py)."""

import json

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from jobpilot.api_v2 import api

SPEC = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v2/"), default=str))


def _examples(media: dict) -> list:
    schema = media.get("schema", {})
    while "$ref" in schema:
        schema = SPEC["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema.get("examples", [])


@pytest.mark.django_db
def test_the_v2_document_validates_and_is_served(public_client):
    spec = public_client.get("/api/v2/openapi.json").json()
    validate(spec)
    assert {
        "/api/v2/drafts/cover-letter/",
        "/api/v2/drafts/interview-questions/",
        "/api/v2/matching/score/",
        "/api/v2/jobs/{job_id}/summary/",
        "/api/v2/analytics/job-performance/",
    } <= spec["paths"].keys()


@pytest.mark.parametrize(
    ("path", "method"), [(path, method) for path, ops in SPEC["paths"].items() for method in ops]
)
def test_every_v2_body_has_an_example_that_passes_its_schema(path, method):
    operation = SPEC["paths"][path][method]
    bodies = list(operation.get("requestBody", {}).get("content", {}).values())
    bodies += [
        media
        for status, answer in operation["responses"].items()
        if str(status).startswith("2")
        for media in answer.get("content", {}).values()
    ]
    no_content = all(str(status) == "204" for status in operation["responses"] if str(status).startswith("2"))
    assert bodies or no_content, f"{method.upper()} {path}: no body"
    for media in bodies:
        examples = _examples(media)
        assert examples, f"{method.upper()} {path}: a body has no example"
        schema = {**media["schema"], "components": SPEC["components"]}
        for example in examples:
            assert not list(Draft202012Validator(schema).iter_errors(example))
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path":
            assert "example" in parameter, f"{method.upper()} {path}: path parameter {parameter['name']}"
