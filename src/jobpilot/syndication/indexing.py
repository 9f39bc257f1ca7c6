"""Google Indexing API notifications (https://developers.google.com/search/apis/indexing-api/v3/using-api),
off by default (`GOOGLE_INDEXING_ENABLED`).

Services call `indexing_notify(...)` in the transaction of a change: it upserts the URL's one pending row. The beat
task sends pending rows in order of priority (new jobs and removals first, then edits) and age, never more than
`GOOGLE_INDEXING_DAILY_QUOTA` in a UTC day (Google's default quota is 200 publish requests a day), stops at the
first 429, and gives a row up after `MAX_ATTEMPTS` failures. Authentication: a service account's JSON key, signed
into a JWT (RS256) and exchanged for an access token, which is cached for its lifetime."""

import json
import logging
import time
from datetime import datetime
from datetime import time as clock_time

import jwt
import urllib3
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from jobpilot.syndication.models import IndexingNotification

logger = logging.getLogger(__name__)

Kind = IndexingNotification.Kind
Priority = IndexingNotification.Priority
SCOPE = "https://www.googleapis.com/auth/indexing"
MAX_ATTEMPTS = 5
TOKEN_CACHE_KEY = "syndication:google-indexing-token"
_http = urllib3.PoolManager(timeout=urllib3.Timeout(connect=5, read=15), retries=False)


def indexing_notify(*, url: str, kind: str, priority: int) -> None:
    """Queue a notification for `url` (replacing an unsent one). A no-op unless indexing is on."""
    if not settings.GOOGLE_INDEXING_ENABLED:
        return
    pending = IndexingNotification.objects.filter(url=url, sent_at__isnull=True, gave_up_at__isnull=True)
    values = {"kind": kind, "priority": priority, "enqueued_at": timezone.now(), "attempts": 0}
    if pending.update(**values):
        return
    try:
        with transaction.atomic():
            IndexingNotification.objects.create(url=url, **values)
    except IntegrityError:  # queued concurrently: the later word wins
        pending.update(**values)


def _access_token() -> str:
    token = cache.get(TOKEN_CACHE_KEY)
    if token:
        return token
    with open(settings.GOOGLE_INDEXING_SERVICE_ACCOUNT_FILE) as file:
        account = json.load(file)
    now = int(time.time())
    token_uri = account.get("token_uri") or "https://oauth2.googleapis.com/token"
    assertion = jwt.encode(
        {"iss": account["client_email"], "scope": SCOPE, "aud": token_uri, "iat": now, "exp": now + 3600},
        account["private_key"],
        algorithm="RS256",
        headers={"kid": account.get("private_key_id", "")},
    )
    response = _http.request(
        "POST",
        token_uri,
        fields={"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": assertion},
        encode_multipart=False,
    )
    if response.status != 200:
        raise RuntimeError(f"Google token endpoint answered {response.status}")
    answer = json.loads(response.data)
    cache.set(TOKEN_CACHE_KEY, answer["access_token"], max(60, int(answer.get("expires_in", 3600)) - 60))
    return answer["access_token"]


def _sent_today(now: datetime) -> int:
    start = datetime.combine(now.date(), clock_time.min, tzinfo=now.tzinfo)
    return IndexingNotification.objects.filter(sent_at__gte=start).count()


def indexing_notifications_send(*, now: datetime | None = None) -> int:
    """Send what today's quota allows, first things first. Returns how many were sent."""
    if not settings.GOOGLE_INDEXING_ENABLED:
        return 0
    now = now or timezone.now()
    room = settings.GOOGLE_INDEXING_DAILY_QUOTA - _sent_today(now)
    sent = 0
    while room > 0:
        with transaction.atomic():
            row = (
                IndexingNotification.objects.select_for_update(skip_locked=True)
                .filter(sent_at__isnull=True, gave_up_at__isnull=True)
                .order_by("priority", "enqueued_at", "pk")
                .first()
            )
            if row is None:
                break
            try:
                response = _http.request(
                    "POST",
                    settings.GOOGLE_INDEXING_ENDPOINT,
                    body=json.dumps({"url": row.url, "type": row.kind}).encode(),
                    headers={
                        "Content-Type": "application/json",
                        "Authorization": f"Bearer {_access_token()}",
                    },
                )
                status, error = (
                    response.status,
                    "" if response.status < 300 else response.data[:300].decode("utf-8", "replace"),
                )
            except (urllib3.exceptions.HTTPError, RuntimeError, OSError) as exc:
                status, error = None, f"{type(exc).__name__}: {exc}"[:300]
            if status == 429:  # over Google's quota: not this row's failure; the rest waits for the next run
                logger.warning("Google Indexing API quota reached; %s notifications wait", room)
                row.last_status, row.last_error = status, error
                row.save()
                break
            row.attempts += 1
            row.last_status, row.last_error = status, error
            if status is not None and 200 <= status < 300:
                row.sent_at = timezone.now()
                sent += 1
                room -= 1
            elif row.attempts >= MAX_ATTEMPTS:
                row.gave_up_at = timezone.now()
            row.save()
        if status is None or status >= 500:
            break  # Google or the network is down: try again next run
    return sent


def job_indexing_notify(posting, *, removed: bool = False, new: bool = False) -> None:
    """Queue the posting's careers-page URL: URL_DELETED when it left the listing, URL_UPDATED otherwise; new jobs
    and removals first. Call in the posting's schema, in the change's transaction."""
    if not settings.GOOGLE_INDEXING_ENABLED:
        return
    from jobpilot.jobs.selectors import current_tenant
    from jobpilot.syndication.canonical import job_path
    from tenants.selectors import tenant_site_origin

    indexing_notify(
        url=f"{tenant_site_origin(current_tenant())}{job_path(posting.public_id, posting.slug)}",
        kind=Kind.URL_DELETED if removed else Kind.URL_UPDATED,
        priority=Priority.FIRST if removed or new else Priority.LATER,
    )
