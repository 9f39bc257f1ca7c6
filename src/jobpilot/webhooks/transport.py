"""One signed POST to an endpoint, with urllib3: connected to the address checked by `addresses`, no redirects,
no retries (the delivery schedule retries), bounded connect and read times, at most 1,000 characters of the
answer kept."""

import hashlib
import hmac
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import urllib3
from django.conf import settings

from jobpilot.webhooks.addresses import AddressNotAllowed, resolve_allowed_address

SIGNATURE_HEADER = "JobPilot-Signature"
USER_AGENT = "JobPilot-Webhooks/1.0"
KEPT_RESPONSE_CHARACTERS = 1000


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """Hex HMAC-SHA256 of `"<timestamp>.<body>"` keyed with the secret (as UTF-8)."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secrets: list[str], timestamp: int, body: bytes) -> str:
    """`t=<unix seconds>,v1=<hex>[,v1=<hex>]`: one v1 per valid secret, the current secret first."""
    return ",".join([f"t={timestamp}", *(f"v1={signature(secret, timestamp, body)}" for secret in secrets)])


def signature_verify(
    *, secret: str, header: str, body: bytes, tolerance_seconds: int = 300, now=None
) -> bool:
    """What a receiver does (the documented check, used by the tests): the timestamp is recent and one of the v1
    signatures matches, compared in constant time."""
    items = [item.split("=", 1) for item in header.split(",") if "=" in item]
    timestamps = [value for key, value in items if key == "t"]
    if len(timestamps) != 1 or not timestamps[0].isdigit():
        return False
    timestamp = int(timestamps[0])
    if abs((now or time.time()) - timestamp) > tolerance_seconds:
        return False
    expected = signature(secret, timestamp, body)
    return any(hmac.compare_digest(expected, value) for key, value in items if key == "v1")


@dataclass(frozen=True)
class Outcome:
    duration_ms: int
    status: int | None = None
    body: str = ""
    error: str = ""

    @property
    def succeeded(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def post(*, url: str, body: bytes, headers: dict[str, str], secrets: list[str]) -> Outcome:
    """POST `body` to `url`, signed now. Never raises for what the network or the receiver does: the outcome
    says it (status and body, or an error)."""
    started = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    parts = urlsplit(url)
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    try:
        address = resolve_allowed_address(parts.hostname or "", port)
    except AddressNotAllowed as error:
        return Outcome(duration_ms=elapsed(), error=str(error)[:300])
    timestamp = int(time.time())
    headers = {
        **headers,
        "Host": parts.netloc.rsplit("@", 1)[-1],
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: signature_header(secrets, timestamp, body),
    }
    timeout = urllib3.Timeout(
        connect=settings.WEBHOOKS_CONNECT_TIMEOUT_SECONDS, read=settings.WEBHOOKS_READ_TIMEOUT_SECONDS
    )
    if https:
        pool = urllib3.HTTPSConnectionPool(
            address,
            port,
            timeout=timeout,
            retries=False,
            server_hostname=parts.hostname,
            assert_hostname=parts.hostname,
            cert_reqs="CERT_REQUIRED",
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        response = pool.urlopen(
            "POST",
            path,
            body=body,
            headers=headers,
            redirect=False,
            preload_content=False,
            assert_same_host=False,
        )
        try:
            excerpt = response.read(KEPT_RESPONSE_CHARACTERS * 4).decode("utf-8", "replace")
        finally:
            response.release_conn()
        return Outcome(duration_ms=elapsed(), status=response.status, body=excerpt[:KEPT_RESPONSE_CHARACTERS])
    except urllib3.exceptions.ReadTimeoutError:
        return Outcome(duration_ms=elapsed(), error="Timed out waiting for the answer.")
    except urllib3.exceptions.NewConnectionError as error:  # before its base class, ConnectTimeoutError
        return Outcome(
            duration_ms=elapsed(), error=f"Could not connect: {str(error).split('): ', 1)[-1]}"[:300]
        )
    except urllib3.exceptions.ConnectTimeoutError:
        return Outcome(duration_ms=elapsed(), error="Timed out connecting.")
    except urllib3.exceptions.HTTPError as error:
        return Outcome(duration_ms=elapsed(), error=f"{type(error).__name__}: {error}"[:300])
    finally:
        pool.close()
