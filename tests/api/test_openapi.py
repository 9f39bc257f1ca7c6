"""The OpenAPI document is valid, and every endpoint has an example: each request body, each answer body and each
path parameter carries one, and each example passes the schema it illustrates (so the examples cannot drift from
the code)."""

import json

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from jobpilot.api_v1 import api

SPEC = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), default=str))
OPERATIONS = [
    pytest.param(path, method, operation, id=f"{method.upper()} {path}")
    for path, operations in SPEC["paths"].items()
    for method, operation in operations.items()
]


def _resolve(schema):
    while "$ref" in schema:
        schema = SPEC["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _examples(media: dict) -> list:
    """The examples of one body: on the media type, or on the schema (an array's items count for the array)."""
    if "example" in media:
        return [media["example"]]
    if "examples" in media:
        return [example["value"] for example in media["examples"].values()]
    schema = _resolve(media.get("schema", {}))
    if schema.get("examples"):
        return schema["examples"]
    if schema.get("type") == "array" and _resolve(schema.get("items", {})).get("examples"):
        return [[example] for example in _resolve(schema["items"])["examples"]]
    return []


def _bodies(operation: dict):
    for content_type, media in operation.get("requestBody", {}).get("content", {}).items():
        yield f"request {content_type}", media
    for status, answer in operation["responses"].items():
        if str(status).startswith("2"):
            for content_type, media in answer.get("content", {}).items():
                yield f"{status} {content_type}", media


@pytest.mark.django_db
def test_the_openapi_document_validates(public_client):
    spec = public_client.get("/api/v1/openapi.json").json()
    validate(spec)
    assert spec["paths"].keys() == SPEC["paths"].keys()


@pytest.mark.parametrize(("path", "method", "operation"), OPERATIONS)
def test_every_endpoint_has_examples_that_pass_their_schemas(path, method, operation):
    found = 0
    for name, media in _bodies(operation):
        examples = _examples(media)
        assert examples, f"the {name} body has no example"
        schema = {**media.get("schema", {"type": "string"}), "components": SPEC["components"]}
        for example in examples:
            errors = [error.message for error in Draft202012Validator(schema).iter_errors(example)]
            assert not errors, f"the {name} example does not pass its schema: {errors}"
        found += len(examples)
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path":
            assert "example" in parameter, f"path parameter {parameter['name']} has no example"
            assert Draft202012Validator(
                parameter["schema"], format_checker=Draft202012Validator.FORMAT_CHECKER
            ).is_valid(parameter["example"]), f"path parameter {parameter['name']}'s example is not its type"
            found += 1
    assert found, "the operation shows no example at all"


def test_no_two_schemas_or_enums_share_a_name():
    """The document names each schema and enum by its class name: a second class of the same name would silently
    document the first one's shape (or replace it)."""
    import enum
    import typing

    from ninja import Schema
    from pydantic import WithJsonSchema

    def subclasses(cls):
        for subclass in cls.__subclasses__():
            yield subclass
            yield from subclasses(subclass)

    def inlined(metadata) -> bool:  # WithJsonSchema writes the enum out in place: it gets no component
        return any(isinstance(item, WithJsonSchema) for item in metadata)

    def enums_in(annotation):
        if typing.get_origin(annotation) is typing.Annotated and inlined(annotation.__metadata__):
            return
        if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
            yield annotation
        for argument in typing.get_args(annotation):
            yield from enums_in(argument)

    ours = [
        cls for cls in subclasses(Schema) if cls.__module__.startswith(("jobpilot.", "tenants.", "billing."))
    ]
    named = set(ours)
    for cls in ours:
        for field in cls.model_fields.values():
            if not inlined(field.metadata):
                named.update(enums_in(field.annotation))
    modules_by_name = {}
    for cls in named:
        modules_by_name.setdefault(cls.__name__, set()).add(f"{cls.__module__}.{cls.__qualname__}")
    shared = {name: classes for name, classes in modules_by_name.items() if len(classes) > 1}
    assert not shared


def test_keyed_endpoints_document_the_key_header():
    schemes = SPEC["components"]["securitySchemes"]
    assert schemes["ApiKeyAuth"] == {"type": "apiKey", "in": "header", "name": "X-API-Key"}


@pytest.mark.django_db
def test_the_docs_page_loads_swagger_from_our_own_static_files(public_client):
    page = public_client.get("/api/v1/docs").content.decode()

    assert "cdn.jsdelivr.net" not in page
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert public_client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200


@pytest.mark.django_db
def test_the_document_is_built_once_per_process_and_served_from_then_on(client, monkeypatch):
    # Building it takes seconds (every schema of every operation); the docs page fetches it on every visit.
    from ninja import NinjaAPI

    builds = []
    build = NinjaAPI.get_openapi_schema

    def counting_build(self, **kwargs):
        builds.append(kwargs)
        return build(self, **kwargs)

    monkeypatch.setattr(NinjaAPI, "get_openapi_schema", counting_build)
    monkeypatch.setattr(api, "_openapi_schemas", {})
    first = client.get("/api/v1/openapi.json", HTTP_HOST="localhost")
    second = client.get("/api/v1/openapi.json", HTTP_HOST="localhost")

    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert len(builds) == 1
    assert first.json()["paths"] == SPEC["paths"]
