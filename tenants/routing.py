"""The cache behind `selectors.domain_for_hostname`: Host -> domain (with its tenant), per process.

Every request and websocket resolves its tenant from the Host header; the cache answers it without a query.
It holds a domain and its tenant only (never the billing account, which `tenant.billing_account` loads fresh
when a feature check needs it), pickled so that no two requests share one model instance.

Any change to a domain or a tenant empties it: in this process at once and again at commit (`forget`, wired
to the models' signals and called by the services that write with `.update()`); other processes see the change
within `TENANT_ROUTING_CACHE_SECONDS` (5 s by default; 0 turns the cache off). A flush or migration empties it
too (post_migrate). Unknown hosts are not cached: a domain that becomes routable routes at once.
"""

import pickle
import time

from django.conf import settings
from django.db import transaction

MAX_ENTRIES = 50_000  # ~10,000 employers with a few host names each; past it the cache starts over

_entries: dict[str, tuple[float, bytes]] = {}


def cached(hostname: str, load):
    """The domain for `hostname`: from the cache while fresh, else `load(hostname)` (cached unless None)."""
    seconds = settings.TENANT_ROUTING_CACHE_SECONDS
    if not seconds:
        return load(hostname)
    entry = _entries.get(hostname)
    if entry is not None and entry[0] > time.monotonic():
        return pickle.loads(entry[1])  # noqa: S301 - bytes this process pickled itself
    domain = load(hostname)
    if domain is not None:
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()
        _entries[hostname] = (time.monotonic() + seconds, pickle.dumps(domain))
    return domain


def forget(**_signal_arguments) -> None:
    """Empty the cache now and when the current transaction commits (a request that read the old rows in
    between could have cached them again)."""
    _entries.clear()
    transaction.on_commit(_entries.clear)
