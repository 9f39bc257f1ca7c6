"""Short-lived caching of whole search answers, invalidated when the index changes.

Every cache key carries the current *generation* of its scope (the whole marketplace, or one employer's jobs).
A change to the index sets a new generation after its transaction commits, so later searches miss and read the
new state; entries of old generations simply expire. Invalidating after commit (not before) matters: a search
that read the old rows during the transaction stored them under the old generation, which nobody asks for again.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

ALL = "all"


def _generation_key(scope: str) -> str:
    return f"marketplace:generation:{scope}"


def scope_of(tenant_id: int | None) -> str:
    return ALL if tenant_id is None else f"tenant:{tenant_id}"


def ttl() -> int:
    return settings.MARKETPLACE_SEARCH_CACHE_SECONDS


def generation(scope: str) -> str:
    return str(cache.get(_generation_key(scope)) or 0)


def key(scope: str, generation_value: str, *parts) -> str:
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
    return f"marketplace:search:{scope}:{generation_value}:{digest}"


def invalidate(*, tenant_id: int | None) -> None:
    """New generations for the whole marketplace and (for an employer's job) that employer's own scope."""
    stamp = time.time_ns()
    scopes = [ALL] if tenant_id is None else [ALL, scope_of(tenant_id)]
    cache.set_many({_generation_key(scope): stamp for scope in scopes}, timeout=None)
