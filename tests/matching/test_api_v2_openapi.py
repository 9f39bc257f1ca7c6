"""/api/v2/'s OpenAPI document is valid and every body and path parameter has an example that passes its schema,
as tests/api/test_openapi.py requires of v1."""

import json

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from jobpilot.api_v2 import api

SPEC = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v2/"), default=str))
OPERATIONS = [
    pytest.param(operation, id=f"{method.upper()} {path}")
    for path, operations in SPEC["paths"].items()
    for method, operation in operations.items()
]


def test_the_v2_document_is_valid_openapi():
    validate(SPEC)
    assert {"/api/v2/matching/score/", "/api/v2/jobs/{job_id}/summary/"} <= set(SPEC["paths"])


@pytest.mark.parametrize("operation", OPERATIONS)
def test_every_v2_body_and_path_parameter_has_an_example_that_passes_its_schema(operation):
    medias = list(operation.get("requestBody", {}).get("content", {}).values())
    medias += [
        m
        for s, a in operation["responses"].items()
        if str(s).startswith("2")
        for m in a.get("content", {}).values()
    ]
    for media in medias:
        ref = media["schema"]["$ref"].rsplit("/", 1)[1]
        examples = SPEC["components"]["schemas"][ref].get("examples")
        assert examples, f"{ref} has no example"
        schema = {**media["schema"], "components": SPEC["components"]}
        for example in examples:
            assert not [e.message for e in Draft202012Validator(schema).iter_errors(example)]
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path":
            assert "example" in parameter, parameter["name"]
