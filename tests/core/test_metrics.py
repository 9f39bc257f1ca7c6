"""/metrics: Prometheus' format for an authorised scraper only, with request latency by route and JobPilot's own
metrics (search latency, limit refusals, websockets, Celery)."""

import pytest

pytestmark = pytest.mark.django_db
TOKEN = "metrics-test-token-0123456789"


@pytest.fixture
def metrics_on(settings):
    settings.METRICS_TOKEN = TOKEN


def scrape(client, token=TOKEN, **extra):
    return client.get("/metrics", HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {token}", **extra)


def sample(text: str, name: str, **labels) -> float:
    """The value of one sample in Prometheus' text format (0 when absent)."""
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))  # the format sorts them
    for line in text.splitlines():
        metric, _, value = line.rpartition(" ")
        if metric == (f"{name}{{{wanted}}}" if labels else name):
            return float(value)
    return 0.0


def test_metrics_do_not_exist_unless_configured(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = []
    assert scrape(client).status_code == 404


def test_a_wrong_token_is_a_404(client, metrics_on):
    assert scrape(client, token="guess").status_code == 404
    assert client.get("/metrics", HTTP_HOST="localhost").status_code == 404


def test_an_allowed_network_needs_no_token(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    assert client.get("/metrics", HTTP_HOST="localhost", REMOTE_ADDR="127.0.0.1").status_code == 200
    assert client.get("/metrics", HTTP_HOST="localhost", REMOTE_ADDR="10.1.2.3").status_code == 404


def test_requests_are_timed_by_route_and_searches_by_scope(client, metrics_on, public_tenant):
    before = scrape(client).content.decode()
    client.get("/api/v1/jobs/?q=welder", HTTP_HOST="localhost")
    after = scrape(client)
    assert after.status_code == 200 and after["Content-Type"].startswith("text/plain")
    text = after.content.decode()
    assert "django_http_requests_latency_seconds_by_view_method_bucket" in text
    name = "jobpilot_search_seconds_count"
    assert sample(text, name, scope="marketplace") == sample(before, name, scope="marketplace") + 1
    assert "jobpilot_celery_queue_depth" in text  # read from the broker at scrape time


def test_a_refused_use_is_counted_by_metric(client, metrics_on, tenant_a):
    from billing.entitlements import consume
    from billing.errors import LimitReached
    from billing.plans import Metric
    from billing.selectors import billing_account_for_tenant

    before = sample(scrape(client).content.decode(), "jobpilot_limit_refusals_total", metric="seats")
    with pytest.raises(LimitReached):
        for _ in range(5):  # the free plan's seats are few
            consume(billing_account_for_tenant(tenant_a), Metric.SEATS)
    after = sample(scrape(client).content.decode(), "jobpilot_limit_refusals_total", metric="seats")
    assert after == before + 1


def test_celery_tasks_are_timed(client, metrics_on):
    from jobpilot.celery import app

    @app.task(name="tests.metrics.noop")
    def noop():
        return 1

    noop.delay()
    text = scrape(client).content.decode()
    assert sample(text, "jobpilot_celery_task_seconds_count", task="tests.metrics.noop", state="SUCCESS") >= 1


def test_every_dashboard_panel_reads_a_metric_we_export(client, metrics_on, public_tenant):
    import json
    import re
    from pathlib import Path

    client.get("/health/", HTTP_HOST="localhost")  # so the request metrics have samples
    exposed = scrape(client).content.decode()
    names = set(re.findall(r"^# TYPE (\S+) ", exposed, re.M))
    names |= {f"{n}_{suffix}" for n in names for suffix in ("bucket", "count", "sum", "total")}
    dashboard = json.loads((Path(__file__).parents[2] / "deploy" / "grafana-dashboard.json").read_text())
    for panel in dashboard["panels"]:
        for target in panel["targets"]:
            used = {m for m in re.findall(r"\b(?:django|jobpilot)_[a-z_]+", target["expr"])}
            assert used and used <= names, (panel["title"], used - names)


def test_ingest_source_health_is_read_at_scrape_time(client, metrics_on, public_tenant):
    body = scrape(client).content.decode()
    assert 'jobpilot_ingest_sources{healthy="true"}' in body
    assert "jobpilot_ingest_source_failures_max" in body
