"""Structured logs: every line of a request (ours, Django's, a library's) carries its request id, tenant, user and
route; production writes one JSON object per line. django-structlog binds `request_id` (from `X-Request-ID` when
the proxy sent one), `user_id` and `ip`; this module adds the tenant and the route, answers with the request id in
`X-Request-ID`, and tags Sentry events with the same values. Celery tasks sent during a request log the request's
id too (django-structlog's Celery signals carry it in the task headers)."""

import structlog
from django.dispatch import receiver
from django_structlog import signals


def processors() -> list:
    """What every log line goes through, structlog's own and the standard library's."""
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
    ]


def configure() -> None:
    structlog.configure(
        processors=[*processors(), structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def formatter(output: str) -> dict:
    """A `logging` formatter config: "json" (production) or "console" (development)."""
    renderer = (
        structlog.processors.JSONRenderer()
        if output == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    return {
        "()": structlog.stdlib.ProcessorFormatter,
        "processors": [structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
        "foreign_pre_chain": processors(),
    }


class RequestContextMiddleware:
    """After django-structlog's middleware: the tenant for every line, the route once the URL is resolved."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tenant = getattr(request, "tenant", None)
        if tenant is not None:
            structlog.contextvars.bind_contextvars(tenant=tenant.schema_name)
        _sentry_tags(
            request_id=structlog.contextvars.get_contextvars().get("request_id"),
            tenant=tenant and tenant.schema_name,
        )
        response = self.get_response(request)
        request_id = structlog.contextvars.get_contextvars().get("request_id")
        if request_id:
            response["X-Request-ID"] = request_id
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None:
            route = "/" + match.route
            structlog.contextvars.bind_contextvars(route=route)
            _sentry_tags(route=route)


def _sentry_tags(**tags) -> None:
    import sentry_sdk

    for name, value in tags.items():
        if value:
            sentry_sdk.set_tag(name, value)


@receiver(signals.bind_extra_request_metadata)
def _bind_user(request, logger, log_kwargs, **kwargs):
    # django-structlog binds the user id only when the session signed one in; API callers sign in per request.
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        structlog.contextvars.bind_contextvars(user_id=user.pk)
