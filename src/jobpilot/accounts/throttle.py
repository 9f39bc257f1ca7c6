"""Brute-force protection for password checks: fixed-window attempt counters in the cache (Redis in production).

The counter is incremented *before* the password is checked (Redis INCR is atomic), so twenty concurrent guesses
cannot all slip under the limit; a correct password gives the attempt back. A throttled caller gets 429 with
`Retry-After` and the `RateLimit-*` headers.
"""

import contextlib
import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from jobpilot.core.errors import DomainError


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"
    detail = "Too many attempts. Try again later."

    def __init__(self, detail: str | None = None, *, limit: int, retry_after: int, **extra):
        super().__init__(detail, **extra)
        self.limit = limit
        self.retry_after = max(1, retry_after)

    def headers(self) -> dict[str, str]:
        return {
            "Retry-After": str(self.retry_after),
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": "0",
            "RateLimit-Reset": str(self.retry_after),
        }


@dataclass(frozen=True)
class Throttle:
    scope: str
    limit: int
    window_seconds: int

    def _key(self, subject: str, window_start: int) -> str:
        # Hashed: the cache never holds email addresses or IPs in clear.
        digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
        return f"throttle:{self.scope}:{digest}:{window_start}"

    def hit(self, subject: str) -> None:
        """Count one attempt for `subject`; raise RateLimited when it is over the limit in this window."""
        now = int(time.time())
        window_start = now - now % self.window_seconds
        key = self._key(subject, window_start)
        cache.add(key, 0, timeout=self.window_seconds + 5)
        try:
            count = cache.incr(key)
        except ValueError:  # the key expired between add and incr: this is the window's first attempt
            cache.add(key, 1, timeout=self.window_seconds + 5)
            count = 1
        if count > self.limit:
            raise RateLimited(limit=self.limit, retry_after=window_start + self.window_seconds - now)

    def give_back(self, subject: str) -> None:
        """Undo this window's count for `subject` after a successful attempt."""
        now = int(time.time())
        key = self._key(subject, now - now % self.window_seconds)
        with contextlib.suppress(ValueError):  # the window rolled over meanwhile: nothing to give back
            cache.decr(key)

    def reset(self, subject: str) -> None:
        now = int(time.time())
        cache.delete(self._key(subject, now - now % self.window_seconds))


def password_throttles() -> tuple[Throttle, Throttle]:
    """(per account, per client IP). Read at call time so tests and operators can change the settings."""
    window = settings.LOGIN_THROTTLE_WINDOW_SECONDS
    return (
        Throttle("password-email", settings.LOGIN_THROTTLE_PER_EMAIL, window),
        Throttle("password-ip", settings.LOGIN_THROTTLE_PER_IP, window),
    )


def registration_throttle() -> Throttle:
    return Throttle("register-ip", settings.REGISTER_THROTTLE_PER_IP, 3600)


def client_ip(request) -> str:
    """The caller's address. Behind `TRUSTED_PROXY_HOPS` proxies it is taken from X-Forwarded-For, counting from
    the right: entries further left were written by the client and can be forged."""
    hops = settings.TRUSTED_PROXY_HOPS
    if hops > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "") or "unknown"
