"""The JSON API under /api/v2/: the matching half (ADR 0024). A second Ninja API object, as DESIGN plans, with the
same authentication classes and the very same error handlers as /api/v1/ (so errors keep the
`{"detail", "code"}` shape). API keys are not read here yet: `ApiKeyMiddleware` covers /api/v1/ only."""

from jobpilot.api_v1 import JobPilotAPI
from jobpilot.api_v1 import api as api_v1
from jobpilot.core.request_body import ApiParser

api = JobPilotAPI(
    title="JobPilot API v2",
    version="2.0.0",
    description='Job summaries, match scores and recommendations. Errors are `{"detail", "code"}`.',
    urls_namespace="api-v2",
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=ApiParser(),
)

for _error, _handler in api_v1._exception_handlers.items():
    api.add_exception_handler(_error, _handler)


def _mount_routers() -> None:
    from jobpilot.matching.api import router as matching_router
    from jobpilot.matching.recommendations_api import router as recommendations_router

    api.add_router("/recommendations/", recommendations_router)
    api.add_router("/", matching_router)


_mount_routers()
