"""HTTP for adapters: timeouts, retries with exponential backoff and jitter (timeouts, connection errors, 429
honouring Retry-After, 5xx), a per-host concurrency and rate limit, conditional requests and a size cap.

The host limits are per process (a worker's threads share them); beat spreads sources over time, and a source's
runs never overlap (its run lock), so one process's limit is what one host sees from one source.
"""

import email.utils
import json
import random
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx
from django.conf import settings

from jobpilot.ingest.records import FetchFailed

USER_AGENT = "JobPilotBot/1.0 (+job import; respects Retry-After)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class NotModified(Exception):
    """The source answered 304 to a conditional request: nothing changed since the last complete fetch."""


class _HostGate:
    """At most `concurrency` requests in flight to one host, and `interval` seconds between their starts."""

    def __init__(self, concurrency: int, interval: float):
        self.slots = threading.BoundedSemaphore(concurrency)
        self.interval = interval
        self.lock = threading.Lock()
        self.next_start = 0.0

    @contextmanager
    def hold(self):
        with self.slots:
            with self.lock:
                now = time.monotonic()
                wait = self.next_start - now
                self.next_start = max(now, self.next_start) + self.interval
            if wait > 0:
                time.sleep(wait)
            yield


_gates: dict[str, _HostGate] = {}
_gates_lock = threading.Lock()


def _gate(host: str) -> _HostGate:
    with _gates_lock:
        gate = _gates.get(host)
        if gate is None:
            gate = _gates[host] = _HostGate(
                settings.INGEST_HOST_CONCURRENCY, settings.INGEST_HOST_MIN_INTERVAL_SECONDS
            )
        return gate


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds (it is either a number of seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


@dataclass
class Http:
    """One source run's HTTP. `etag`/`last_modified` are the validators sent with `conditional=True` requests;
    after such a request they hold the answer's, for the run to store once it completed."""

    etag: str = ""
    last_modified: str = ""
    requests: int = 0
    encoding: str = "utf-8"
    retries: int = 0
    client: httpx.Client = field(default=None, repr=False)

    def __post_init__(self):
        if self.client is None:
            self.client = httpx.Client(
                timeout=httpx.Timeout(
                    settings.INGEST_FETCH_TIMEOUT_SECONDS, connect=settings.INGEST_CONNECT_TIMEOUT_SECONDS
                ),
                headers={"User-Agent": USER_AGENT},
                follow_redirects=True,
            )

    def close(self) -> None:
        self.client.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _fetch(self, url: str, params: dict | None, conditional: bool, sink) -> None:
        """Write a 2xx answer's body into `sink` (an object with `write` and `reset`), retrying timeouts,
        connection errors, 429 and 5xx (a body that breaks off midway is fetched again). Raises FetchFailed or
        NotModified."""
        headers = {}
        if conditional:
            if self.etag:
                headers["If-None-Match"] = self.etag
            if self.last_modified:
                headers["If-Modified-Since"] = self.last_modified
        attempts = settings.INGEST_FETCH_ATTEMPTS
        limit = settings.INGEST_MAX_RESPONSE_BYTES
        gate = _gate(urlsplit(url).netloc)
        for attempt in range(1, attempts + 1):
            wait = None
            try:
                with gate.hold(), self.client.stream("GET", url, params=params, headers=headers) as response:
                    self.requests += 1
                    status = response.status_code
                    if status == 304 and conditional:
                        raise NotModified()
                    if status < 300:
                        sink.reset()
                        size = 0
                        for chunk in response.iter_bytes():
                            size += len(chunk)
                            if size > limit:
                                raise FetchFailed(f"{url} is larger than {limit} bytes")
                            sink.write(chunk)
                        if conditional:
                            self.etag = response.headers.get("ETag", "")
                            self.last_modified = response.headers.get("Last-Modified", "")
                        self.encoding = response.encoding or "utf-8"
                        return
                    if status not in RETRY_STATUSES:
                        raise FetchFailed(f"{url} answered HTTP {status}")
                    problem = f"answered HTTP {status}"
                    wait = retry_after_seconds(response.headers.get("Retry-After"))
            except httpx.TimeoutException:
                problem = "timed out"
            except httpx.TransportError as error:
                problem = f"could not be read ({error.__class__.__name__})"
            if attempt == attempts:
                raise FetchFailed(f"{url} {problem} ({attempts} attempts)")
            if wait is None:
                base = settings.INGEST_BACKOFF_BASE_SECONDS * 2 ** (attempt - 1)
                wait = base + random.uniform(0, base)  # jitter: sources that failed together retry apart
            self.retries += 1
            time.sleep(min(wait, settings.INGEST_BACKOFF_MAX_SECONDS))

    def get_bytes(self, url: str, params: dict | None = None, *, conditional: bool = False) -> bytes:
        sink = _Chunks()
        self._fetch(url, params, conditional, sink)
        return b"".join(sink.chunks)

    def get_json(self, url: str, params: dict | None = None, *, conditional: bool = False):
        """The parsed JSON answer. JSON APIs answer one document, so it is read whole (up to the size cap)."""
        body = self.get_bytes(url, params, conditional=conditional)
        try:
            return json.loads(body)
        except ValueError as error:
            raise FetchFailed(f"{url} answered malformed JSON: {error}") from error

    def get_text(self, url: str, params: dict | None = None) -> str:
        body = self.get_bytes(url, params)
        return body.decode(self.encoding, errors="replace")

    @contextmanager
    def get_file(self, url: str, params: dict | None = None, *, conditional: bool = False):
        """The answer spooled to a temporary file (in memory only while small), for feeds parsed as a stream:
        memory stays bounded whatever the feed's size."""
        with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
            self._fetch(url, params, conditional, _Spool(spool))
            spool.seek(0)
            yield spool


class _Chunks:
    def __init__(self):
        self.chunks: list[bytes] = []

    def reset(self):
        self.chunks.clear()

    def write(self, chunk: bytes):
        self.chunks.append(chunk)


class _Spool:
    def __init__(self, file):
        self.file = file

    def reset(self):
        self.file.seek(0)
        self.file.truncate()

    def write(self, chunk: bytes):
        self.file.write(chunk)
