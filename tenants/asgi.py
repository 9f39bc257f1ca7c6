"""Tenant context for websockets. django-tenants resolves tenants only for HTTP (its issues #767 and #1168), so
this middleware resolves the Host header for Channels and `database_sync_to_async_in_tenant` runs a consumer's
database work in that tenant's schema."""

from channels.db import database_sync_to_async
from django_tenants.utils import remove_www, schema_context

from tenants.selectors import domain_for_hostname, domain_in_plan


class TenantWebsocketMiddleware:
    """Puts `scope["tenant"]` on every websocket; an unknown host, a suspended tenant or a custom domain
    the plan no longer includes is refused at the handshake (daphne answers 403 before the socket opens)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        hostname = remove_www(_host_from_scope(scope))
        domain = await database_sync_to_async(_served_domain)(hostname)
        if domain is None or not domain.tenant.is_active:
            await send({"type": "websocket.close", "code": 4404})
            return None
        return await self.app({**scope, "tenant": domain.tenant}, receive, send)


def database_sync_to_async_in_tenant(tenant, func, *args, **kwargs):
    """Run `func` in a worker thread, in `tenant`'s schema. Always use this from consumers: the thread's
    connection is shared with other sockets, so the schema must be set for each call, never assumed."""

    def run():
        with schema_context(tenant.schema_name):
            return func(*args, **kwargs)

    return database_sync_to_async(run)()


def _served_domain(hostname: str):
    domain = domain_for_hostname(hostname)
    return domain if domain is not None and domain_in_plan(domain) else None


def _host_from_scope(scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"host":
            return value.decode("latin-1").rsplit(":", 1)[0] if not value.startswith(b"[") else ""
    return ""
