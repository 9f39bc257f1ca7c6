"""Liveness and readiness. /health/ answers while the process is up; /health/ready/ checks each dependency and
answers 503 when one is down, so a load balancer stops sending traffic here."""

import time

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_GET

REDIS_TIMEOUT_SECONDS = 1.0


@require_GET
def liveness(request):
    return JsonResponse({"status": "ok"})


@require_GET
def readiness(request):
    checks = {
        "database": _timed(_check_database),
        "channel_layer": _timed(_check_channel_layer),
        "broker": _timed(_check_broker),
    }
    healthy = all(check["status"] == "ok" for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks}, status=200 if healthy else 503
    )


def _timed(check) -> dict:
    started = time.perf_counter()
    try:
        detail = check()
        status = "ok"
    except Exception as error:  # noqa: BLE001 - any failure of a dependency is "down", with its reason
        detail, status = f"{type(error).__name__}: {error}", "down"
    return {
        "status": status,
        "latency_ms": round((time.perf_counter() - started) * 1000, 2),
        "detail": detail,
    }


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return connection.vendor


def _ping_redis(url: str) -> str:
    import redis

    client = redis.Redis.from_url(
        url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS
    )
    try:
        client.ping()
    finally:
        client.close()
    return "redis"


def _check_channel_layer() -> str:
    if not settings.REDIS_URL:
        return "in-memory"
    return _ping_redis(
        settings.REDIS_URL
    )  # channels-redis holds no state of its own: Redis up means layer up


def _check_broker() -> str:
    if not settings.REDIS_URL:
        return "in-process"
    return _ping_redis(settings.CELERY_BROKER_URL)
