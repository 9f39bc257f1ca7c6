"""Where a webhook may be sent: the endpoint URL check (no SSRF) and the address a delivery connects to.

WARNING: SSRF. An employer names the URL; the platform makes the request from inside its network. A URL is
accepted only when every address its host resolves to is public (or in `WEBHOOKS_ALLOWED_PRIVATE_NETWORKS`,
which production leaves empty), and a delivery resolves again and connects to the address it checked, so a DNS
answer that changes after the check (rebinding) cannot reach an internal service either. Redirects are never
followed.
"""

import ipaddress
import socket
from functools import cache
from urllib.parse import urlsplit

from django.conf import settings

from jobpilot.core.errors import Invalid

MAX_URL_LENGTH = 500


class AddressNotAllowed(Exception):
    """The host resolves to an address deliveries may not reach (or to none)."""


@cache
def _allowed_networks(spec: tuple[str, ...]):
    return [ipaddress.ip_network(network, strict=False) for network in spec]


def _is_allowed(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if any(
        address in network for network in _allowed_networks(tuple(settings.WEBHOOKS_ALLOWED_PRIVATE_NETWORKS))
    ):
        return True
    # `is_global` is False for private, loopback, link-local (cloud metadata), shared (CGNAT), reserved and
    # documentation ranges; multicast is never a web server.
    return address.is_global and not address.is_multicast


def resolve_allowed_address(host: str, port: int) -> str:
    """The first address of `host` to connect to. AddressNotAllowed when it has none, or when any address it
    resolves to is not allowed (a host that mixes public and private answers is refused as a whole)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise AddressNotAllowed(f"{host} does not resolve.") from error
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise AddressNotAllowed(f"{host} does not resolve.")
    for address in addresses:
        if not _is_allowed(ipaddress.ip_address(address.split("%", 1)[0])):
            raise AddressNotAllowed(f"{host} resolves to {address}, which is not a public address.")
    return addresses[0]


def endpoint_url_check(url: str) -> str:
    """The URL, stripped, when webhooks may be sent to it; otherwise 422 naming the field `url`."""
    url = url.strip()

    def refuse(detail: str, code: str = "invalid_url"):
        return Invalid(detail, code=code, field="url")

    if len(url) > MAX_URL_LENGTH:
        raise refuse(f"The URL is longer than {MAX_URL_LENGTH} characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise refuse("This is not a valid URL.") from error
    schemes = ("https", "http") if settings.WEBHOOKS_ALLOW_HTTP else ("https",)
    if parts.scheme not in schemes:
        raise refuse("The URL must start with https://.")
    if not parts.hostname:
        raise refuse("The URL needs a host name.")
    if parts.username or parts.password:
        raise refuse("Put credentials in the receiver's checks, not in the URL.")
    if parts.fragment:
        raise refuse("The URL cannot have a #fragment.")
    try:
        resolve_allowed_address(parts.hostname, port or (443 if parts.scheme == "https" else 80))
    except AddressNotAllowed as error:
        raise refuse(f"Webhooks go to public addresses only: {error}", code="url_not_public") from error
    return url
