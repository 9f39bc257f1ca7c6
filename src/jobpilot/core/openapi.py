"""Examples for the OpenAPI document. Every request and answer body of /api/v1/ carries one (tests/api/test_openapi.py
checks that each is present and passes the schema it illustrates), so a reader sees a real shape before a first call.

- A named schema carries its example: `model_config = schema_example({...})`.
- An answer that is not a named schema (a file, a CSV, an operation-specific shape) carries it on the operation:
  `@router.get(..., openapi_extra=response_example({...}))`.
- Path parameters take theirs from `PATH_PARAMETER_EXAMPLES`, by name and type, for every operation at once."""

from pydantic import ConfigDict

# By (name, kind): the seeker's tracker numbers its applications with UUIDs, the employer's pipeline with integers.
PATH_PARAMETER_EXAMPLES = {
    ("application_id", "integer"): 42,
    ("application_id", "uuid"): "3f9a2c4e-1b7d-4e8a-9c61-5d2e8f7a0b13",
    ("batch_id", "uuid"): "9a4c2e1f-5b7d-4f3a-8c6e-1d2b3a4c5e6f",
    ("connection_id", "integer"): 2,
    ("delivery_id", "integer"): 812,
    ("domain_id", "integer"): 3,
    ("endpoint_id", "integer"): 3,
    ("interview_id", "integer"): 11,
    ("interview_id", "uuid"): "c4e1a7d2-9b3f-4e6a-8d15-7f2b9c0e4a61",
    ("job_id", "string"): "0b6f4c1e-7d43-4c7e-9a51-2f1d3c8e9a10",
    ("key_id", "integer"): 7,
    ("membership_id", "integer"): 5,
    ("message_id", "uuid"): "8d1e2f4a-6b3c-4d5e-9f70-1a2b3c4d5e6f",
    ("invitation_id", "integer"): 14,
    ("note_id", "integer"): 19,
    ("parse_id", "uuid"): "6f1c2a4e-8d1b-4c1e-9a55-2f7b9c0d1e23",
    ("resume_id", "uuid"): "5b7e2d9a-3c1f-4a8e-b6d4-2e9f1c7a8b30",
    ("saved_search_id", "integer"): 4,
    ("stage_id", "integer"): 6,
}


def schema_example(example: dict, **config) -> ConfigDict:
    """`model_config` of a schema whose example is `example` (other ConfigDict keys may be passed along)."""
    return ConfigDict(json_schema_extra={"examples": [example]}, **config)


def response_example(example, status: int = 200, content_type: str = "application/json") -> dict:
    """`openapi_extra` of an operation whose `status` answer is `example`."""
    return {"responses": {status: {"content": {content_type: {"example": example}}}}}


def add_path_parameter_examples(spec: dict) -> dict:
    for operations in spec["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                kind = "uuid" if schema.get("format") == "uuid" else schema.get("type")
                example = PATH_PARAMETER_EXAMPLES.get((parameter["name"], kind))
                if parameter["in"] == "path" and example is not None:
                    parameter.setdefault("example", example)
    return spec
