"""The JSON API under /api/v2/ (django-ninja): a second API object with v1's authentication and error handlers,
so every error still answers `{"detail": ..., "code": ...}`. Each feature contributes its own router."""

from jobpilot.api_v1 import JobPilotAPI
from jobpilot.api_v1 import api as api_v1
from jobpilot.core.request_body import ApiParser

api = JobPilotAPI(
    title="JobPilot API v2",
    version="2.0.0",
    description='JobPilot API, version 2. Same authentication and errors (`{"detail", "code"}`) as /api/v1/.',
    urls_namespace="api-v2",
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=ApiParser(),
)

for _error_type, _handler in api_v1._exception_handlers.items():
    api.add_exception_handler(_error_type, _handler)


def _mount_routers() -> None:
    from jobpilot.analytics.api import router as analytics_router

    api.add_router("/analytics/", analytics_router)


_mount_routers()
