"""The marketplace answers API customers buy carry an example in the OpenAPI document, and the example is a
valid answer: it passes the response schema it illustrates."""

import pytest

from jobpilot.api_v1 import api
from jobpilot.marketplace.examples import DETAIL_EXAMPLE, SEARCH_EXAMPLE
from jobpilot.marketplace.schemas import JobDetailOut, SearchOut


@pytest.mark.parametrize(
    ("path", "example"), [("/api/v1/jobs/", SEARCH_EXAMPLE), ("/api/v1/jobs/{job_id}/", DETAIL_EXAMPLE)]
)
def test_the_search_and_job_answers_have_an_example_in_the_openapi_document(path, example):
    operation = api.get_openapi_schema()["paths"][path]["get"]
    assert operation["responses"][200]["content"]["application/json"]["example"] == example


def test_the_examples_are_valid_answers():
    SearchOut.model_validate(SEARCH_EXAMPLE)
    JobDetailOut.model_validate(DETAIL_EXAMPLE)
