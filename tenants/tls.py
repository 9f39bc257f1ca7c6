"""The question an edge proxy with on-demand TLS asks before it obtains a certificate for a host name (Caddy's
`on_demand_tls { ask <url> }`, see deploy/Caddyfile): yes (200) only for host names JobPilot serves, so nobody
can make the edge request certificates for arbitrary names pointed at it. Whether a name is served is no secret
(anyone can request it), so the answer needs no credentials."""

import re

from django.http import HttpResponse

from tenants.selectors import domain_for_hostname

TLS_ASK_PATH = "/_edge/tls-allowed"
_HOST_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$")


class TlsAskMiddleware:
    """Answers `GET /_edge/tls-allowed?domain=<host>` on any Host header: the edge asks by its own address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != TLS_ASK_PATH:
            return self.get_response(request)
        name = request.GET.get("domain", "").strip().lower().rstrip(".")
        served = bool(_HOST_NAME.match(name)) and domain_for_hostname(name) is not None
        return HttpResponse(
            "served" if served else "not served", status=200 if served else 404, content_type="text/plain"
        )
