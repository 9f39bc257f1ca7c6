"""Absolute addresses across hosts: the public site and each employer's domain, on the scheme and port the
browser is using (so `localhost:8000` leads to `acme.localhost:8000`)."""

import re

from django.conf import settings
from django.urls import reverse

from tenants.models import Tenant
from tenants.selectors import tenant_primary_domain

_PORT = re.compile(r":(\d+)$")


def _port_suffix(request) -> str:
    # From the Host header the browser sent, not SERVER_PORT: behind a proxy that is the proxy's inside port.
    match = _PORT.search(request.get_host())
    return match.group(0) if match else ""


def tenant_url(request, tenant: Tenant, path: str = "/") -> str:
    return f"{request.scheme}://{tenant_primary_domain(tenant)}{_port_suffix(request)}{path}"


def public_url(request, path: str = "/") -> str:
    return f"{request.scheme}://{settings.BASE_DOMAIN}{_port_suffix(request)}{path}"


def handoff_url(request, tenant: Tenant, token: str) -> str:
    path = reverse("portal:handoff", urlconf=settings.ROOT_URLCONF)
    return tenant_url(request, tenant, f"{path}?token={token}")


def is_local_path(path: str) -> bool:
    """A path on the same site ("/console/..."), never another origin ("//evil.example", "/\\evil", "https:...")."""
    return path.startswith("/") and not path.startswith("//") and "\\" not in path
