"""API keys on every `/api/v1/` request that carries one: recognise the key, apply its per-minute rate limit
and its daily quota, count the request, and put the rate-limit headers on the answer.

A middleware rather than a Ninja auth class, because keys must also work on endpoints whose auth is optional
(`GET /api/v1/jobs/` answers anonymous browsers too): Ninja runs no auth on those, and a header must go on every
keyed answer, including errors raised before any view runs.

Requests without a key to the endpoints that API plans sell (`KEYLESS_METERED`: search and job detail) get a small
per-address sliding window (`API_ANONYMOUS_REQUESTS_PER_MINUTE`) with the same headers and 429; the web's own
pages render search on the server and never call these. Other keyless requests pass through untouched.
Endpoints that need a key (and a scope) use `jobpilot.api.auth.api_key_auth`, which reads `request.api_key`.
See docs/adr/0008-api-customers-keys-rate-limits-quotas.md.
"""

from functools import lru_cache

from django.conf import settings
from django.http import JsonResponse
from django.urls import Resolver404, resolve

from billing.entitlements import limit_for
from billing.errors import LimitReached
from billing.plans import Metric
from jobpilot.accounts.throttle import RateLimited, client_ip
from jobpilot.api import selectors, services
from jobpilot.api.keys import key_from_request
from jobpilot.api.ratelimit import Decision, anonymous_rate_limit_hit, rate_limit_hit

API_PREFIX = "/api/v1/"
# The marketplace data API plans sell. Without a key they answer, but only a few times a minute per address.
KEYLESS_METERED = frozenset({"GET /api/v1/jobs/", "GET /api/v1/jobs/<job_id>/"})
GET_A_KEY = (
    "Calls without an API key are limited to {limit} a minute per address. Get a free key for more: "
    "sign up, choose an API plan and create a key (see /api/v1/docs and docs/api.md)."
)


def _error(status: int, body: dict, headers: dict | None = None) -> JsonResponse:
    return JsonResponse(body, status=status, headers=headers)


def _endpoint(request) -> str:
    """`GET /api/v1/jobs/<job_id>/`: the route, so that usage groups by endpoint, not by URL."""
    return f"{request.method} {_route(getattr(request, 'urlconf', None), request.path_info)}"


@lru_cache(maxsize=4096)
def _route(urlconf: str | None, path: str) -> str:
    # Resolving walks every API pattern (about 0.8 ms); the same paths come again and again.
    try:
        return "/" + resolve(path, urlconf=urlconf).route
    except Resolver404:
        return "unknown"


def requests_per_minute(key) -> int:
    """The key's rate limit: its API plan's; employer keys get `API_TENANT_KEY_REQUESTS_PER_MINUTE`."""
    if key.tenant_id is not None:
        return settings.API_TENANT_KEY_REQUESTS_PER_MINUTE
    return limit_for(key.account, Metric.API_REQUESTS_PER_MINUTE) or 0


class ApiKeyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.api_key = None
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        secret = key_from_request(request)
        if secret is None:
            return self._keyless(request)

        key = selectors.api_key_for_secret(secret)
        if key is None:
            return _error(
                401,
                {"detail": "The API key is not valid, revoked or expired.", "code": "invalid_api_key"},
                {"WWW-Authenticate": 'Bearer realm="api"'},
            )
        # WARNING: an employer's key reads that employer's private data: it is valid only on its own domains,
        # so everything downstream that scopes by `request.tenant` scopes by the key's tenant.
        if key.tenant_id is not None and key.tenant_id != request.tenant.pk:
            return _error(
                401,
                {"detail": "This key belongs to another site.", "code": "api_key_wrong_site"},
                {"WWW-Authenticate": 'Bearer realm="api"'},
            )

        decision = rate_limit_hit(key_id=key.pk, limit=requests_per_minute(key))
        if not decision.allowed:
            services.api_usage_record(key=key, endpoint=_endpoint(request), throttled=True)
            refused = RateLimited(
                "Rate limit exceeded for this API key.",
                limit=decision.limit,
                retry_after=decision.reset_seconds,
            )
            return _error(429, refused.as_dict(), {**refused.headers(), **decision.headers()})
        try:
            services.api_request_consume(key=key, endpoint=_endpoint(request))
        except LimitReached as error:
            return _error(error.status, error.as_dict(), decision.headers())

        request.api_key = key
        response = self.get_response(request)
        services.api_key_touch(key=key)
        _set_headers(response, decision)
        return response

    def _keyless(self, request):
        if _endpoint(request) not in KEYLESS_METERED:
            return self.get_response(request)
        limit = settings.API_ANONYMOUS_REQUESTS_PER_MINUTE
        decision = anonymous_rate_limit_hit(client_ip=client_ip(request), limit=limit)
        if not decision.allowed:
            refused = RateLimited(
                GET_A_KEY.format(limit=limit),
                limit=limit,
                retry_after=decision.reset_seconds,
                docs_url="/api/v1/docs",
            )
            return _error(429, refused.as_dict(), {**refused.headers(), **decision.headers()})
        response = self.get_response(request)
        _set_headers(response, decision)
        return response


def _set_headers(response, decision: Decision) -> None:
    for name, value in decision.headers().items():
        response[name] = value
