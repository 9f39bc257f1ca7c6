"""The indexer of this host: a thread in every long-running process that reads the search index (web and worker
processes) keeps the host's index in step with the jobs change log.

The index lives on the host's disk, so the indexer must run on each host that searches: a task on a shared queue
would update whichever worker's disk picked it up. The change-log write notifies `api.models.JOB_CHANGES_CHANNEL` in its
transaction (PostgreSQL delivers a NOTIFY at commit, never for a rollback); each follower LISTENs and applies the
log at once, and also every `POLL_SECONDS` in case its connection missed a notification while it was down; it
also deletes the documents whose expiry passed, waking for the next one (so expiry needs no search condition). Of the
processes on one host, one writes at a time (tantivy's writer lock); the others find it busy (`IndexBusy`) and
only reload what it committed.
"""

import logging
import threading

import psycopg
from django.conf import settings
from django.db import close_old_connections, connection

from jobpilot.api.models import JOB_CHANGES_CHANNEL
from jobpilot.search import index
from jobpilot.search.backend import IndexBusy

logger = logging.getLogger(__name__)

POLL_SECONDS = 2.0
MIN_WAIT_SECONDS = 0.05
RECONNECT_SECONDS = 5.0

_started: threading.Event | None = None
_start_lock = threading.Lock()


def _listen() -> psycopg.Connection:
    params = connection.settings_dict
    conn = psycopg.connect(
        dbname=params["NAME"],
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        autocommit=True,
        application_name="jobpilot-search-follower",
    )
    conn.execute(f"LISTEN {JOB_CHANGES_CHANNEL}")
    return conn


def _apply() -> float:
    """Apply the log and drop the jobs whose expiry passed; returns how long to wait at most before the next
    round (sooner than `POLL_SECONDS` when a job expires sooner: a search never filters on expiry)."""
    try:
        index.sync()
        upcoming = index.backend().expire()
    except IndexBusy:
        index.backend().refresh()  # another process on this host writes; see what it committed
        return POLL_SECONDS
    return POLL_SECONDS if upcoming is None else min(POLL_SECONDS, max(upcoming, MIN_WAIT_SECONDS))


def follow(stop: threading.Event) -> None:
    """Apply the change log now, then on every notification and every `POLL_SECONDS`, until `stop` is set."""
    while not stop.is_set():
        try:
            with _listen() as listener:
                while not stop.is_set():
                    close_old_connections()  # a long-lived thread: recycle a broken or aged connection
                    wait = _apply()
                    for _notification in listener.notifies(timeout=wait, stop_after=1):
                        pass  # one wake-up; notifications that arrive while applying wake the next round
        except Exception:  # noqa: BLE001 - the follower outlives database restarts and index errors
            logger.exception("The search follower failed; it starts again in %s s", RECONNECT_SECONDS)
            stop.wait(RECONNECT_SECONDS)
    connection.close()


def start() -> threading.Event | None:
    """Start this process's follower once (no-op when `SEARCH_FOLLOW` is off, as in tests, which start their
    own). Returns the event that stops it."""
    global _started
    if not settings.SEARCH_FOLLOW:
        return None
    with _start_lock:
        if _started is None:
            _started = threading.Event()
            threading.Thread(target=follow, args=(_started,), name="search-follower", daemon=True).start()
    return _started
