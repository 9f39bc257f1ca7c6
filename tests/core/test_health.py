import subprocess
import sys

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_readiness_reports_each_dependency(public_client):
    response = public_client.get("/health/ready/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "channel_layer", "broker"}
    assert all(check["status"] == "ok" and check["latency_ms"] >= 0 for check in body["checks"].values())


def test_readiness_is_503_when_redis_is_unreachable(public_client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = public_client.get("/health/ready/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["channel_layer"]["status"] == "down"
    assert body["checks"]["database"]["status"] == "ok"


def _import_settings(env: dict) -> subprocess.CompletedProcess:
    code = "import django; django.setup()"
    base = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "jobpilot.settings",
        "PYTHONPATH": f"{settings.BASE_DIR}/src",
        "DATABASE_URL": "postgres://unused@127.0.0.1/unused",
    }
    return subprocess.run([sys.executable, "-c", code], env={**base, **env}, capture_output=True, text=True)


def test_settings_refuse_to_start_with_debug_off_and_no_secret_key():
    result = _import_settings({"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_settings_start_with_debug_off_and_a_secret_key():
    assert _import_settings({"DEBUG": "0", "SECRET_KEY": "x" * 50}).returncode == 0
