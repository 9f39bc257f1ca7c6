"""The JSON API under /api/v1/ (django-ninja). One API object serves the public domain and every tenant domain;
each app contributes a router. Every error answers `{"detail": ..., "code": ...}` with the right status."""

import logging
from functools import cached_property

from django.db import DataError
from django.http import Http404
from django.http.request import RawPostDataException
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from jobpilot.core.errors import DomainError
from jobpilot.core.openapi import add_path_parameter_examples
from jobpilot.core.request_body import ApiParser, BodyRejected, json_expected

logger = logging.getLogger(__name__)


class JobPilotAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        # The document depends only on the code and the mount point, so each process builds it once per prefix
        # (building it takes seconds: every schema of every operation); callers must not mutate it.
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        if path_prefix not in self._openapi_schemas:
            schema = super().get_openapi_schema(path_prefix=path_prefix)
            self._openapi_schemas[path_prefix] = add_path_parameter_examples(schema)
        return self._openapi_schemas[path_prefix]

    @cached_property
    def _openapi_schemas(self) -> dict:
        return {}


api = JobPilotAPI(
    title="JobPilot API",
    version="1.0.0",
    description=(
        'The JobPilot marketplace, employer and seeker API. Errors are `{"detail", "code"}`.\n\n'
        "**Get a key.** Job search and job details answer without a key, but only a few times a minute per "
        "address (429 past that, with `Retry-After` and `RateLimit-*` headers). Sign up, choose an API plan "
        "(Developer is free) and create a key with `POST /api/v1/api-keys/`; send it as `X-API-Key`."
    ),
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=ApiParser(),
)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(BodyRejected)
def body_rejected(request, exc: BodyRejected):
    return api.create_response(request, {"detail": exc.detail, "code": exc.code}, status=exc.status)


@api.exception_handler(RawPostDataException)
def form_body_on_json_endpoint(request, exc):
    return body_rejected(request, json_expected())


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    errors = [
        {
            "field": ".".join(str(part) for part in error.get("loc", ())[1:]) or None,
            "message": error.get("msg"),
        }
        for error in exc.errors
    ]
    fields = ", ".join(e["field"] for e in errors if e["field"])
    detail = f"Invalid input: {fields}." if fields else "Invalid input."
    return api.create_response(
        request, {"detail": detail, "code": "validation_error", "errors": errors}, status=422
    )


@api.exception_handler(AuthenticationError)
def authentication_error(request, exc):
    return api.create_response(
        request, {"detail": "Authentication required.", "code": "not_authenticated"}, status=401
    )


@api.exception_handler(AuthorizationError)
def authorization_error(request, exc):
    return api.create_response(request, {"detail": str(exc), "code": "permission_denied"}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found.", "code": "not_found"}, status=404)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, BodyRejected):  # ninja wraps what its parser raises in a plain 400
        return body_rejected(request, exc.__cause__)
    code = {
        400: "bad_request",
        401: "not_authenticated",
        403: "permission_denied",
        404: "not_found",
        405: "method_not_allowed",
        409: "conflict",
        429: "rate_limited",
    }.get(exc.status_code, "error")
    return api.create_response(request, {"detail": str(exc), "code": code}, status=exc.status_code)


@api.exception_handler(DataError)
def data_error(request, exc: DataError):
    # SQLSTATE class 22: the database refused a value (a time zone offset past ±15:59, a number past its column).
    # Validation should have caught it; it is the caller's value all the same, so a 422, and a warning to fix.
    logger.warning("Database refused a value in %s %s: %s", request.method, request.path, exc)
    return api.create_response(
        request, {"detail": "A value is outside what can be stored.", "code": "invalid_value"}, status=422
    )


@api.exception_handler(Exception)
def server_error(request, exc):
    # Bad input never lands here: it is a DomainError or a ValidationError. This is a bug; Sentry gets it.
    logger.exception("Unhandled error in %s %s", request.method, request.path)
    return api.create_response(
        request, {"detail": "Internal server error.", "code": "server_error"}, status=500
    )


def _mount_routers() -> None:
    from billing.api import router as billing_router
    from jobpilot.accounts.api import rate_limited
    from jobpilot.accounts.api import router as auth_router
    from jobpilot.accounts.throttle import RateLimited
    from jobpilot.api.api import router as api_customers_router
    from jobpilot.applications.api import apply_router
    from jobpilot.applications.api import router as pipeline_router
    from jobpilot.atsync.api import router as ats_router
    from jobpilot.audit.api import router as audit_router
    from jobpilot.calendars.api import router as calendar_router
    from jobpilot.core.api import router as core_router
    from jobpilot.inbox.api import router as inbox_router
    from jobpilot.jobs.api import router as employer_router
    from jobpilot.marketplace.api import router as marketplace_router
    from jobpilot.mfa.api import router as mfa_policy_router
    from jobpilot.notifications.api import router as notifications_router
    from jobpilot.seekers.api import router as resumes_router
    from jobpilot.seekers.parse_api import router as resume_parse_router
    from jobpilot.tracker.api import dashboard_router
    from jobpilot.tracker.api import router as tracker_router
    from jobpilot.webhooks.api import router as webhooks_router
    from tenants.api import (
        branding_router,
        domains_router,
        invitations_router,
        members_router,
        team_invitations_router,
    )

    api.add_exception_handler(RateLimited, rate_limited)  # 429 with Retry-After and RateLimit-* headers
    api.add_router("/", core_router)
    api.add_router("/auth/", auth_router)
    api.add_router("/resumes/", resumes_router)
    api.add_router("/resume/", resume_parse_router)
    api.add_router("/applications/", tracker_router)
    api.add_router("/dashboard/", dashboard_router)
    api.add_router("/billing/", billing_router)
    api.add_router("/employer/branding/", branding_router)
    api.add_router("/employer/members/", members_router)
    api.add_router("/employer/invitations/", team_invitations_router)
    api.add_router("/invitations/", invitations_router)
    api.add_router("/employer/domains/", domains_router)
    api.add_router("/employer/webhooks/", webhooks_router)
    api.add_router("/employer/ats/", ats_router)
    api.add_router("/employer/audit-log/", audit_router)
    api.add_router("/employer/mfa-policy/", mfa_policy_router)
    api.add_router("/notifications/", notifications_router)
    api.add_router("/calendar/", calendar_router)
    api.add_router("/inbox/", inbox_router)
    api.add_router("/employer/", pipeline_router)
    api.add_router("/employer/", employer_router)
    api.add_router("/", apply_router)
    api.add_router("/", api_customers_router)  # before the marketplace: /jobs/changes/ is not a job id
    api.add_router("/", marketplace_router)


_mount_routers()
