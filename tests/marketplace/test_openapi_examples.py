"""The marketplace examples in the OpenAPI document are valid for the models themselves, validators included (the
document's own test, tests/api/test_openapi.py, checks them against the JSON schemas only)."""

import pytest

from jobpilot.marketplace.examples import (
    DETAIL_EXAMPLE,
    SAVED_JOBS_EXAMPLE,
    SAVED_SEARCH_IN_EXAMPLE,
    SAVED_SEARCH_PATCH_EXAMPLE,
    SEARCH_EXAMPLE,
)
from jobpilot.marketplace.schemas import (
    JobDetailOut,
    SavedJobListOut,
    SavedSearchIn,
    SavedSearchPatch,
    SearchOut,
)


@pytest.mark.parametrize(
    ("model", "example"),
    [
        (SearchOut, SEARCH_EXAMPLE),
        (JobDetailOut, DETAIL_EXAMPLE),
        (SavedJobListOut, SAVED_JOBS_EXAMPLE),
        (SavedSearchIn, SAVED_SEARCH_IN_EXAMPLE),
        (SavedSearchPatch, SAVED_SEARCH_PATCH_EXAMPLE),
    ],
)
def test_the_examples_are_valid_for_their_models(model, example):
    model.model_validate(example)
