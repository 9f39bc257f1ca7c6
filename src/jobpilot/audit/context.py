"""Where a request came from, for the audit entries its services record: services get an `actor`, never the
request, so the middleware puts the caller's address, user agent and API key in a context variable."""

from contextvars import ContextVar
from dataclasses import dataclass

from jobpilot.accounts.throttle import client_ip


@dataclass(frozen=True)
class Origin:
    ip: str | None = None
    user_agent: str = ""
    api_key_id: int | None = None


_NOWHERE = Origin()  # beat tasks, commands, the shell
_origin: ContextVar[Origin | None] = ContextVar("audit_origin", default=None)


def current_origin() -> Origin:
    return _origin.get() or _NOWHERE


class AuditOriginMiddleware:
    """After the API key middleware (which sets `request.api_key`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ip = client_ip(request)
        key = getattr(request, "api_key", None)
        token = _origin.set(
            Origin(
                ip=None if ip == "unknown" else ip,
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
                api_key_id=key.pk if key is not None else None,
            )
        )
        try:
            return self.get_response(request)
        finally:
            _origin.reset(token)
