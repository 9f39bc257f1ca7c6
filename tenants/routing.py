"""The cache behind `selectors.domain_for_hostname`: Host -> domain (with its tenant), per process.

Every request and websocket resolves its tenant from the Host header; the cache answers it without a query.
It holds a domain and its tenant only (never the billing account, which `tenant.billing_account` loads fresh
when a feature check needs it), pickled so that no two requests share one model instance.

Any change to a domain or a tenant (`forget`, wired to the models' signals and called by the services that write
with `.update()`; a flush or migration too, through post_migrate) empties this process's entries and replaces
the routing generation in the shared cache (Redis). Each lookup reads that generation (one cache GET, ~0.1 ms)
and trusts only entries made under it, so every process sees a suspension, a removed domain or a re-created
tenant at once, not only this one. Without a readable shared cache nothing is trusted: the database answers.
Entries also expire after `TENANT_ROUTING_CACHE_SECONDS` (0 turns the cache off). Unknown hosts are not cached:
a domain that becomes routable routes at once.
"""

import logging
import pickle
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)
MAX_ENTRIES = 50_000  # ~10,000 employers with a few host names each; past it the cache starts over
GENERATION_KEY = "tenants:routing-generation"

_entries: dict[str, tuple[float, str, bytes]] = {}


def cached(hostname: str, load):
    """The domain for `hostname`: from the cache while fresh, else `load(hostname)` (cached unless None)."""
    seconds = settings.TENANT_ROUTING_CACHE_SECONDS
    generation = _generation() if seconds else None
    if generation is None:
        return load(hostname)
    entry = _entries.get(hostname)
    if entry is not None and entry[0] > time.monotonic() and entry[1] == generation:
        return pickle.loads(entry[2])  # noqa: S301 - bytes this process pickled itself
    domain = load(hostname)
    if domain is not None:
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()
        _entries[hostname] = (time.monotonic() + seconds, generation, pickle.dumps(domain))
    return domain


def _generation() -> str | None:
    try:
        generation = cache.get(GENERATION_KEY)
        if generation is None:  # first use, or the cache was emptied: a new generation trusts no old entry
            cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
            generation = cache.get(GENERATION_KEY)
        return generation
    except Exception:  # noqa: BLE001 - the shared cache is down: route from the database
        logger.warning("Tenant routing cache unavailable; routing from the database", exc_info=True)
        return None


def _new_generation() -> None:
    _entries.clear()
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:  # noqa: BLE001 - lookups cannot read it either, so they use the database
        logger.warning("Could not renew the tenant routing generation", exc_info=True)


def forget(**_signal_arguments) -> None:
    """Forget every cached route, in every process: now and again when the current transaction commits (a
    request that read the old rows in between could have cached them again)."""
    _new_generation()
    transaction.on_commit(_new_generation)
