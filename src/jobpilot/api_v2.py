"""The JSON API under /api/v2/: the matching endpoints (issue 14). Same error shape, parser and handlers as
/api/v1/ (copied from that API object once its routers are mounted), its own OpenAPI document."""

from jobpilot.api_v1 import JobPilotAPI
from jobpilot.api_v1 import api as api_v1
from jobpilot.core.request_body import ApiParser

api = JobPilotAPI(
    title="JobPilot API v2",
    version="2.0.0",
    description='Matching: recommendations for seekers. Errors are `{"detail", "code"}` as in /api/v1/.',
    urls_namespace="api-v2",
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=ApiParser(),
)
api._exception_handlers.update(api_v1._exception_handlers)  # one set of handlers, one error shape


def _mount_routers() -> None:
    from jobpilot.matching.recommendations_api import router as recommendations_router

    api.add_router("/recommendations/", recommendations_router)


_mount_routers()
