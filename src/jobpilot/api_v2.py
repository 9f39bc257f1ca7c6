"""The JSON API under /api/v2/: the intelligent half (drafts; match scores, summaries and recommendations as they
land). Same auth, body parsing and error shape as /api/v1/ — each app adds its router in `_mount_routers`, from its
own module."""

from jobpilot.api_v1 import JobPilotAPI
from jobpilot.api_v1 import api as api_v1
from jobpilot.core.request_body import ApiParser

api = JobPilotAPI(
    title="JobPilot API v2",
    version="2.0.0",
    description='Matching and drafting for seekers. Errors are `{"detail", "code"}`, as in v1.',
    urls_namespace="api-v2",
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=ApiParser(),
)

# One error shape for both versions: v2 answers every error with v1's handlers (they are registered there once).
for _exception, _handler in api_v1._exception_handlers.items():
    api.add_exception_handler(_exception, _handler)


def _mount_routers() -> None:
    from jobpilot.drafts.api import router as drafts_router

    api.add_router("/drafts/", drafts_router)


_mount_routers()
