"""Billing fixtures: a localstripe server (a subprocess on a free loopback port, one per test session), the
settings that point the gateway at it, the catalogue synced into it, and helpers for signed webhooks."""

import hashlib
import hmac
import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings

from billing.plans import Audience
from billing.selectors import billing_account_for_user
from billing.services import billing_account_ensure_customer
from tenants.models import Membership
from tests.servers import free_port

STRIPE_KEY = "sk_test_jobpilot_suite"
WEBHOOK_SECRET = "whsec_jobpilot_suite_secret"
WEBHOOK_PATH = "/billing/stripe/webhook/"


class LocalStripe:
    def __init__(self, url: str):
        self.url = url

    def call(self, method: str, path: str, form: dict | None = None):
        data = urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(
            self.url + path, data=data, method=method, headers={"Authorization": f"Bearer {STRIPE_KEY}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def requests(self, method: str, path: str) -> list[dict]:
        """What the gateway sent: the recorded form of each `method path` request, oldest first."""
        return [
            r["form"]
            for r in self.call("GET", "/_test/requests")
            if (r["method"], r["path"]) == (method, path)
        ]

    def forget(self):
        self.call("DELETE", "/_test/requests")

    def complete_checkout(self, session_id: str) -> dict:
        """What a paying customer does on the Checkout page: the subscription starts."""
        return self.call("POST", f"/_test/checkout/{session_id}/complete", {})

    def register_webhook(self, name: str, url: str, events: list[str] | None = None):
        form = {"url": url, "secret": WEBHOOK_SECRET}
        form.update({f"events[{i}]": e for i, e in enumerate(events or [])})
        self.call("POST", f"/_config/webhooks/{name}", form)

    def deliveries(
        self, customer_id: str, *, types: set[str], object_id: str | None = None, timeout: float = 15
    ) -> list[dict]:
        """The signed webhook deliveries of this customer's events (or only those about `object_id`), waiting
        until every type in `types` has arrived (localstripe sends each event a second after it happens).
        Each is {"body", "signature", "event"}."""
        deadline = time.monotonic() + timeout
        while True:
            found = []
            for delivery in self.call("GET", "/_test/deliveries"):
                event = json.loads(delivery["body"])
                obj = event["data"]["object"]
                if customer_id in (obj.get("customer"), obj.get("id")) and object_id in (None, obj.get("id")):
                    found.append({**delivery, "event": event})
            if types <= {d["event"]["type"] for d in found} or time.monotonic() > deadline:
                return found
            time.sleep(0.2)


@pytest.fixture(scope="session")
def localstripe():
    port = free_port()
    server = Path(__file__).with_name("localstripe_server.py")
    process = subprocess.Popen(
        [sys.executable, str(server), str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"localstripe did not start: {process.stderr.read().decode()}") from None
            time.sleep(0.1)
    fake = LocalStripe(f"http://127.0.0.1:{port}")
    fake.register_webhook("sink", f"{fake.url}/_test/webhook-sink")
    try:
        yield fake
    finally:
        process.terminate()
        process.wait(timeout=10)


def _stripe_settings(localstripe):
    return override_settings(
        STRIPE_SECRET_KEY=STRIPE_KEY, STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET, STRIPE_API_BASE=localstripe.url
    )


@pytest.fixture(scope="session")
def _catalogue_in_localstripe(localstripe):
    cache.clear()  # price ids cached by an earlier run's localstripe are gone with it
    with _stripe_settings(localstripe):
        call_command("billing_sync_plans", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def stripe_on(localstripe, _catalogue_in_localstripe):
    """Billing with Stripe keys, talking to localstripe, with the catalogue's products and prices there."""
    localstripe.forget()
    with _stripe_settings(localstripe):
        yield localstripe


@pytest.fixture
def seeker(make_user):
    return make_user()


@pytest.fixture
def seeker_account(seeker):
    return billing_account_for_user(seeker, Audience.SEEKER)


@pytest.fixture
def seeker_client(public_client, seeker):
    public_client.force_login(seeker)
    return public_client


@pytest.fixture
def owner_client(client_for, tenant_a):
    client = client_for(tenant_a)
    client.force_login(tenant_a.memberships.get(role="owner").user)
    return client


def member_client(client_for, make_user, tenant, role):
    """A client signed in as a new member of `tenant` with `role`, on that tenant's domain."""
    user = make_user()
    Membership.objects.create(user=user, tenant=tenant, role=role)
    client = client_for(tenant)
    client.force_login(user)
    return client


@pytest.fixture
def paying_customer(stripe_on, seeker_account):
    """The seeker's Stripe customer, with a card that pays (`pm_card_visa`) as default payment method."""
    customer_id = billing_account_ensure_customer(account=seeker_account)
    use_card(stripe_on, customer_id, "pm_card_visa")
    return customer_id


def use_card(localstripe, customer_id: str, test_card: str) -> None:
    card = localstripe.call("GET", f"/v1/payment_methods/{test_card}")
    localstripe.call("POST", f"/v1/payment_methods/{card['id']}/attach", {"customer": customer_id})
    localstripe.call(
        "POST", f"/v1/customers/{customer_id}", {"invoice_settings[default_payment_method]": card["id"]}
    )


def sign(payload: str, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """A `Stripe-Signature` header made the way Stripe makes it."""
    timestamp = timestamp or int(time.time())
    digest = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def signed_event(event_type: str, obj: dict, *, event_id: str | None = None) -> tuple[str, str]:
    """An event Stripe sends but localstripe cannot (checkout, trial, action required), signed with the real
    webhook secret. Returns (body, signature)."""
    event = {
        "id": event_id or f"evt_suite_{time.monotonic_ns()}",
        "object": "event",
        "type": event_type,
        "created": int(time.time()),
        "data": {"object": obj},
        "livemode": False,
        "api_version": "2026-10-28.endive",
    }
    body = json.dumps(event)
    return body, sign(body)


def post_webhook(client, body: str, signature: str):
    return client.post(
        WEBHOOK_PATH, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    )
