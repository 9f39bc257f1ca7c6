"""Prometheus metrics: django-prometheus' request metrics (latency by route, responses by status, exceptions)
plus JobPilot's own, defined here so every name is in one place. Served at `/metrics` (see `metrics_view`).

Each process keeps its own values. Several processes on one host (web and Celery workers) share them when
`PROMETHEUS_MULTIPROC_DIR` names a directory they all write to; `/metrics` then reports their sum.
"""

import contextlib
import ipaddress
import os
import secrets
import time
from contextlib import contextmanager

from celery.signals import task_postrun, task_prerun
from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import REGISTRY

from jobpilot.accounts.throttle import client_ip

SEARCH_SECONDS = Histogram(
    "jobpilot_search_seconds",
    "Time to answer one marketplace or careers-site search (cache hits included).",
    ["scope"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)
WEBSOCKET_CONNECTIONS = Gauge(
    "jobpilot_websocket_connections", "Open notification websockets.", multiprocess_mode="livesum"
)
WEBSOCKET_PUSHES = Counter("jobpilot_websocket_pushes_total", "Notifications delivered on websockets.")
LIMIT_REFUSALS = Counter(
    "jobpilot_limit_refusals_total", "Uses refused because a plan's limit was reached.", ["metric"]
)
TASK_SECONDS = Histogram(
    "jobpilot_celery_task_seconds",
    "Run time of Celery tasks.",
    ["task", "state"],
    buckets=(0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300),
)
STRIPE_WEBHOOK_LAG_SECONDS = Histogram(
    "jobpilot_stripe_webhook_lag_seconds",
    "From a Stripe event's creation to JobPilot applying it.",
    buckets=(0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600),
)


@contextmanager
def timed(histogram, **labels):
    started = time.perf_counter()
    try:
        yield
    finally:
        (histogram.labels(**labels) if labels else histogram).observe(time.perf_counter() - started)


class CeleryQueueDepth:
    """`jobpilot_celery_queue_depth{queue}`: tasks waiting in each queue, read from the Redis broker at scrape
    time (a gauge set from the workers would be stale exactly when they are stuck)."""

    def collect(self):
        family = GaugeMetricFamily(
            "jobpilot_celery_queue_depth", "Tasks waiting in a Celery queue.", labels=["queue"]
        )
        if settings.CELERY_BROKER_URL.startswith("redis"):
            import redis

            client = redis.Redis.from_url(
                settings.CELERY_BROKER_URL, socket_timeout=1, socket_connect_timeout=1
            )
            for queue in settings.METRICS_CELERY_QUEUES:
                with contextlib.suppress(
                    redis.RedisError
                ):  # the broker is down: no sample, the scrape answers
                    family.add_metric([queue], client.llen(queue))
            client.close()
        yield family


REGISTRY.register(CeleryQueueDepth())


class IngestSourceHealth:
    """`jobpilot_ingest_sources{healthy}` and `jobpilot_ingest_source_failures_max`: import sources by health, read
    from the database at scrape time (the ingest runs write `Source.healthy` and `consecutive_failures`)."""

    def describe(self):  # the registry asks at import time, before any database may be used
        yield GaugeMetricFamily("jobpilot_ingest_sources", "Enabled import sources.", labels=["healthy"])
        yield GaugeMetricFamily(
            "jobpilot_ingest_source_failures_max", "Most consecutive failed runs of any source."
        )

    def collect(self):
        from django.db import DatabaseError
        from django.db.models import Count, Max

        from jobpilot.ingest.models import Source

        sources = GaugeMetricFamily("jobpilot_ingest_sources", "Enabled import sources.", labels=["healthy"])
        failures = GaugeMetricFamily(
            "jobpilot_ingest_source_failures_max", "Most consecutive failed runs of any enabled source."
        )
        with contextlib.suppress(DatabaseError):  # the database is down: no sample, the scrape answers
            enabled = Source.objects.filter(enabled=True)
            counts = dict(enabled.values_list("healthy").annotate(n=Count("id")).values_list("healthy", "n"))
            for healthy in (True, False):
                sources.add_metric([str(healthy).lower()], counts.get(healthy, 0))
            failures.add_metric([], enabled.aggregate(m=Max("consecutive_failures"))["m"] or 0)
        yield sources
        yield failures


REGISTRY.register(IngestSourceHealth())

_task_started: dict[str, float] = {}


@task_prerun.connect
def _time_task(task_id=None, **kwargs):
    _task_started[task_id] = time.perf_counter()


@task_postrun.connect
def _observe_task(task_id=None, task=None, state=None, **kwargs):
    started = _task_started.pop(task_id, None)
    if started is not None and task is not None:
        TASK_SECONDS.labels(task=task.name, state=state or "UNKNOWN").observe(time.perf_counter() - started)


def _allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    if token:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and secrets.compare_digest(given.strip().encode(), token.encode()):
            return True
    networks = settings.METRICS_ALLOWED_NETWORKS
    if networks:
        try:
            address = ipaddress.ip_address(client_ip(request))
        except ValueError:
            return False
        return any(address in ipaddress.ip_network(network, strict=False) for network in networks)
    return False


@require_GET
def metrics_view(request):
    """Prometheus' text format, for a scraper holding `METRICS_TOKEN` (bearer) or calling from
    `METRICS_ALLOWED_NETWORKS`. With neither configured, or for anyone else, the page does not exist (404)."""
    if not _allowed(request):
        raise Http404
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(CeleryQueueDepth())
    else:
        registry = REGISTRY
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
