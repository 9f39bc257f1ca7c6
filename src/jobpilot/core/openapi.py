"""Examples for the OpenAPI document. Every request and answer body of /api/v1/ carries one (tests/api/test_openapi.py
checks that each is present and passes the schema it illustrates), so a reader sees a real shape before a first call.

- A named schema carries its example: `model_config = schema_example({...})`.
- An answer that is not a named schema (a file, a CSV, an operation-specific shape) carries it on the operation:
  `@router.get(..., openapi_extra=response_example({...}))`.
- Path parameters take theirs from `PATH_PARAMETER_EXAMPLES`, by name, for every operation at once."""

from pydantic import ConfigDict

PATH_PARAMETER_EXAMPLES = {
    "application_id": 42,
    "domain_id": 3,
    "interview_id": 11,
    "job_id": "0b6f4c1e-7d43-4c7e-9a51-2f1d3c8e9a10",
    "key_id": 7,
    "membership_id": 5,
    "note_id": 19,
    "resume_id": 2,
    "saved_search_id": 4,
    "stage_id": 6,
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
                if parameter["in"] == "path" and parameter["name"] in PATH_PARAMETER_EXAMPLES:
                    parameter.setdefault("example", PATH_PARAMETER_EXAMPLES[parameter["name"]])
    return spec
