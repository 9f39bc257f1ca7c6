"""The JSON API under /api/v2/ (django-ninja): the intelligent half (analytics, drafts; match scores, summaries and
recommendations) on a second API object with v1's authentication, body parsing and error handlers, so every error
still answers `{"detail", "code"}`. Each feature adds its router in `_mount_routers`, from its own module. API keys
are not read here: `ApiKeyMiddleware` covers /api/v1/ (the marketplace API customers buy)."""

from jobpilot.api_v1 import JobPilotAPI
from jobpilot.api_v1 import api as api_v1
from jobpilot.core.request_body import ApiParser

api = JobPilotAPI(
    title="JobPilot API v2",
    version="2.0.0",
    description='Analytics, matching and drafting. Same authentication and errors (`{"detail", "code"}`) as /api/v1/.',
    urls_namespace="api-v2",
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=ApiParser(),
)

# One error shape for both versions: v2 answers every error with v1's handlers (they are registered there once).
for _error_type, _handler in api_v1._exception_handlers.items():
    api.add_exception_handler(_error_type, _handler)


def _mount_routers() -> None:
    from jobpilot.analytics.api import router as analytics_router
    from jobpilot.drafts.api import router as drafts_router
    from jobpilot.matching.api import router as matching_router
    from jobpilot.matching.recommendations_api import router as recommendations_router

    api.add_router("/analytics/", analytics_router)
    api.add_router("/drafts/", drafts_router)
    api.add_router("/recommendations/", recommendations_router)
    api.add_router("/", matching_router)  # jobs/{id}/summary/, jobs/batch-summarize/, matching/score/


_mount_routers()
