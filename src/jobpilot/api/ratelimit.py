"""Requests per minute per API key (and per address for keyless calls): an exact sliding window (a log of the last minute's request times).

With Redis (REDIS_URL set) the check-and-record is one Lua script, atomic across every web process; the clock is
Redis's own, so web nodes with skewed clocks agree. Without Redis an in-process window does the same for one
process (the quick start). A sorted set of at most `limit` members per key is small: 3,000 on the largest plan.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings

WINDOW_MS = 60_000

# KEYS[1] the key's log; ARGV: limit, window (ms), a unique member. Returns {allowed, remaining, reset_ms}:
# reset_ms is when the oldest request leaves the window (a slot frees up).
_SLIDING_WINDOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {1, limit - count - 1, tonumber(oldest[2]) + window - now}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {0, 0, tonumber(oldest[2]) + window - now}
"""


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int  # until a slot frees up (the Retry-After of a refused request)

    def headers(self) -> dict[str, str]:
        """The IETF draft's `RateLimit-Policy` and `RateLimit` fields, and the older `RateLimit-*` trio."""
        return {
            "RateLimit-Policy": f'"per-minute";q={self.limit};w=60',
            "RateLimit": f'"per-minute";r={self.remaining};t={self.reset_seconds}',
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset_seconds),
        }


def _seconds(ms: float) -> int:
    return max(1, math.ceil(ms / 1000))


@lru_cache(maxsize=1)
def redis_client():
    """One client per process (Django's cache builds a client object on every call, a measurable cost here)."""
    import redis

    return redis.Redis.from_url(settings.REDIS_URL)


@lru_cache(maxsize=1)
def _redis_script():
    return redis_client().register_script(_SLIDING_WINDOW)


class _LocalWindows:
    """The same sliding window for one process, when there is no Redis."""

    def __init__(self):
        self._lock = threading.Lock()
        self._logs: dict[str, deque] = {}

    def hit(self, name: str, limit: int) -> tuple[bool, int, float]:
        now = time.monotonic() * 1000
        with self._lock:
            log = self._logs.setdefault(name, deque())
            while log and log[0] <= now - WINDOW_MS:
                log.popleft()
            if len(log) < limit:
                log.append(now)
                return True, limit - len(log), log[0] + WINDOW_MS - now
            return False, 0, log[0] + WINDOW_MS - now


_local = _LocalWindows()


def rate_limit_hit(*, key_id: int, limit: int) -> Decision:
    """Count one request of API key `key_id` against `limit` requests per minute, unless it is over."""
    return _window_hit(f"apikey-rate:{key_id}", limit)


def anonymous_rate_limit_hit(*, client_ip: str, limit: int) -> Decision:
    """Count one keyless request from `client_ip` against `limit` requests per minute, unless it is over.
    The address is hashed: Redis never holds IPs in clear."""
    digest = hashlib.sha256(client_ip.encode()).hexdigest()[:32]
    return _window_hit(f"anon-rate:{digest}", limit)


def _window_hit(name: str, limit: int) -> Decision:
    if limit <= 0:
        return Decision(allowed=False, limit=0, remaining=0, reset_seconds=60)
    if settings.REDIS_URL:
        allowed, remaining, reset_ms = _redis_script()(keys=[name], args=[limit, WINDOW_MS, uuid.uuid4().hex])
    else:
        allowed, remaining, reset_ms = _local.hit(name, limit)
    return Decision(
        allowed=bool(allowed), limit=limit, remaining=int(remaining), reset_seconds=_seconds(reset_ms)
    )


def rate_limit_reset(*, key_id: int) -> None:
    """Forget a key's window (tests, and an operator lifting a block)."""
    name = f"apikey-rate:{key_id}"
    if settings.REDIS_URL:
        _redis_script().registered_client.delete(name)
    else:
        with _local._lock:
            _local._logs.pop(name, None)
