"""API-customer fixtures: customers on API plans, keys made through the service, clients that send a key, and a
stand-in for Stripe's meter-events endpoint (localstripe has no meters) that records what the gateway sent."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from django.test import Client, override_settings

from billing.plans import Audience
from billing.selectors import billing_account_for_tenant, billing_account_for_user
from billing.services import billing_account_assign_plan
from jobpilot.api import services
from jobpilot.api.models import ApiKey
from tests.conftest import host_of
from tests.jobs.conftest import make_posting  # noqa: F401


@pytest.fixture
def api_customer(make_user, public_tenant):
    """`api_customer(plan="api_developer", **limits)`: a user on that API plan, with per-account limit overrides
    (`api_requests_per_minute=5`)."""

    def make(plan: str = "api_developer", **limits):
        user = make_user()
        account = billing_account_for_user(user, Audience.API)
        billing_account_assign_plan(actor="tests", account=account, plan_code=plan)
        if limits:
            account.limit_overrides = limits
            account.save(update_fields=["limit_overrides"])
        return user

    return make


@pytest.fixture
def key_for():
    """`key_for(user_or_tenant, scopes=("jobs:read",), **fields)` -> (ApiKey, secret)."""

    def make(owner, scopes=("jobs:read",), **fields) -> tuple[ApiKey, str]:
        from tenants.models import Tenant

        if isinstance(owner, Tenant):
            owner_of = {"tenant": owner}
            account = billing_account_for_tenant(owner)
        else:
            owner_of = {"user": owner}
            account = billing_account_for_user(owner, Audience.API)
        return services.api_key_create(
            actor=None, account=account, owner=owner_of, name="test key", scopes=list(scopes), **fields
        )

    return make


@pytest.fixture
def keyed_client(public_tenant):
    """`keyed_client(secret, tenant=None)`: a client that sends the key as `X-API-Key` to that tenant's domain."""

    def make(secret: str, tenant=None) -> Client:
        return Client(HTTP_HOST=host_of(tenant), HTTP_X_API_KEY=secret)

    return make


@pytest.fixture
def api_employer(tenant_a, tenant_b):
    """Both test employers on Enterprise, the employer plan with API access."""
    for tenant in (tenant_a, tenant_b):
        account = billing_account_for_tenant(tenant)
        billing_account_assign_plan(actor="tests", account=account, plan_code="employer_enterprise")


class FakeMeter:
    """Stripe's `POST /v1/billing/meter_events` as Stripe behaves: an identifier is counted once.
    `lose_answers = N`: the next N requests are counted but answered 500 (the answer lost on its way back)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.counted: dict[str, int] = {}
        self.lose_answers = 0
        self.lock = threading.Lock()


def _handler(meter: FakeMeter):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
            form = {k: v[0] for k, v in parse_qs(body).items()}
            with meter.lock:
                record = {
                    "path": self.path,
                    "identifier": form.get("identifier"),
                    "idempotency_key": self.headers.get("Idempotency-Key"),
                    "event_name": form.get("event_name"),
                    "customer": form.get("payload[stripe_customer_id]"),
                    "value": int(form.get("payload[value]", 0)),
                }
                meter.requests.append(record)
                meter.counted.setdefault(record["identifier"], record["value"])
                lose = meter.lose_answers > 0
                meter.lose_answers -= 1 if lose else 0
            status = 500 if lose else 200
            payload = json.dumps(
                {"object": "billing.meter_event", "identifier": record["identifier"]}
            ).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    return Handler


@pytest.fixture
def fake_meter():
    meter = FakeMeter()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(meter))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with override_settings(STRIPE_SECRET_KEY="sk_test_meter_suite", STRIPE_API_BASE=url):
            yield meter
    finally:
        server.shutdown()


@pytest.fixture(autouse=True)
def _fresh_rate_windows(settings):
    """Key ids restart with each test database; forget windows a previous run left in Redis."""
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    for name in client.scan_iter("apikey-rate:*"):
        client.delete(name)
