"""`/api/v1/employer/webhooks/`: admins and owners of the host's employer only, writes on plans with webhooks,
clear 422s for bad input (a private address is refused: no SSRF), and one employer never sees another's."""

import pytest
from django_tenants.utils import tenant_context

from jobpilot.webhooks import services
from jobpilot.webhooks.models import WebhookDelivery
from tenants.models import Membership

pytestmark = pytest.mark.django_db
BASE = "/api/v1/employer/webhooks/"
Role = Membership.Role


@pytest.fixture
def admin_api(api_client_for, member, webhooks_plan):
    def make(tenant, role=Role.ADMIN):
        return api_client_for(member(tenant, role), tenant)

    return make


def _post(client, path, body=None):
    return client.post(path, body or {}, content_type="application/json")


def test_an_admin_creates_an_endpoint_and_sees_its_secret_once(admin_api, tenant_a, receiver):
    client = admin_api(tenant_a)
    response = _post(client, BASE, {"url": receiver.url, "event_types": ["job.published", "job.published"]})
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["secret"].startswith("whsec_")
    assert created["event_types"] == ["job.published"]
    assert created["secret_hint"] == f"…{created['secret'][-4:]}"
    listed = client.get(BASE).json()
    assert [e["id"] for e in listed] == [created["id"]]
    assert "secret" not in listed[0]
    assert "secret" not in client.get(f"{BASE}{created['id']}/").json()


def test_update_rotate_ping_log_and_redeliver_through_the_api(
    admin_api, tenant_a, receiver, django_capture_on_commit_callbacks
):
    client = admin_api(tenant_a)
    endpoint = _post(client, BASE, {"url": receiver.url, "event_types": ["job.published"]}).json()
    path = f"{BASE}{endpoint['id']}/"

    changed = client.patch(path, {"description": "HRIS", "is_active": True}, content_type="application/json")
    assert changed.status_code == 200
    assert changed.json()["description"] == "HRIS"

    rotated = _post(client, f"{path}rotate-secret/", {"previous_secret_valid_hours": 2})
    assert rotated.status_code == 200
    assert rotated.json()["secret"] != endpoint["secret"]
    assert rotated.json()["previous_secret_expires_at"]

    with django_capture_on_commit_callbacks(execute=True):
        pinged = _post(client, f"{path}ping/")
    assert pinged.status_code == 202
    assert pinged.json()["event_type"] == "webhook.ping"

    log = client.get(f"{path}deliveries/").json()
    assert log["pagination"]["total"] == 1
    (row,) = log["results"]
    assert row["status"] == "succeeded"
    assert row["last_response_status"] == 200
    assert client.get(f"{path}deliveries/?status=failed").json()["pagination"]["total"] == 0

    with django_capture_on_commit_callbacks(execute=True):
        again = _post(client, f"{BASE}deliveries/{row['id']}/redeliver/")
    assert again.status_code == 202
    detail = client.get(f"{BASE}deliveries/{row['id']}/").json()
    assert [(a["number"], a["reason"], a["response_status"]) for a in detail["attempts"]] == [
        (1, "first", 200),
        (2, "redeliver", 200),
    ]
    assert '"webhook.ping"' in detail["body"]
    assert len(receiver.requests) == 2

    assert client.delete(path).status_code == 204
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://10.0.0.5/hook", "url_not_public"),
        ("http://169.254.169.254/latest/meta-data/", "url_not_public"),
        ("http://192.168.1.1/", "url_not_public"),
        ("http://[::ffff:10.0.0.1]/", "url_not_public"),
        ("http://100.64.0.1/", "url_not_public"),
        ("ftp://example.com/hook", "invalid_url"),
        ("not a url", "invalid_url"),
        ("http://user:pw@127.0.0.1/hook", "invalid_url"),
        ("http://127.0.0.1:99999/hook", "invalid_url"),
        ("https://nonexistent.invalid/hook", "url_not_public"),
    ],
)
def test_bad_or_private_urls_are_refused_with_a_clear_422(admin_api, tenant_a, url, code):
    response = _post(admin_api(tenant_a), BASE, {"url": url, "event_types": ["job.published"]})
    assert response.status_code == 422, response.json()
    assert response.json()["code"] == code
    assert response.json()["field"] == "url"


def test_loopback_is_refused_when_the_setting_does_not_allow_it(admin_api, tenant_a, receiver, settings):
    settings.WEBHOOKS_ALLOWED_PRIVATE_NETWORKS = []  # production
    response = _post(admin_api(tenant_a), BASE, {"url": receiver.url, "event_types": ["job.published"]})
    assert response.status_code == 422
    assert response.json()["code"] == "url_not_public"


def test_http_is_refused_when_the_setting_does_not_allow_it(admin_api, tenant_a, receiver, settings):
    settings.WEBHOOKS_ALLOW_HTTP = False  # production
    response = _post(admin_api(tenant_a), BASE, {"url": receiver.url, "event_types": ["job.published"]})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_url"


def test_an_address_that_becomes_private_after_the_check_is_not_sent_to(
    tenant_a, receiver, endpoint_for, settings, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(tenant_a, receiver.url)
    settings.WEBHOOKS_ALLOWED_PRIVATE_NETWORKS = []  # what DNS rebinding looks like to the sender
    with django_capture_on_commit_callbacks(execute=True), tenant_context(tenant_a):
        delivery = services.webhook_endpoint_ping(actor=None, endpoint_id=endpoint.pk)
    assert receiver.requests == []
    with tenant_context(tenant_a):
        attempt = WebhookDelivery.objects.get(pk=delivery.pk).attempts.get()
    assert "not a public address" in attempt.error


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"url": "https://hooks.example.com/", "event_types": ["job.nope"]}, "unknown_event_type"),
        ({"url": "https://hooks.example.com/", "event_types": ["webhook.ping"]}, "unknown_event_type"),
        ({"url": "https://hooks.example.com/", "event_types": []}, "validation_error"),
        ({"url": "https://hooks.example.com/"}, "validation_error"),
        ({"event_types": ["job.published"]}, "validation_error"),
        (
            {"url": "https://hooks.example.com/" + "a" * 500, "event_types": ["job.published"]},
            "validation_error",
        ),
    ],
)
def test_bad_bodies_are_a_clear_422(admin_api, tenant_a, body, code):
    response = _post(admin_api(tenant_a), BASE, body)
    assert response.status_code == 422, response.json()
    assert response.json()["code"] == code


def test_a_rotation_overlap_out_of_range_is_a_422(admin_api, tenant_a, receiver, endpoint_for):
    endpoint = endpoint_for(tenant_a, receiver.url)
    response = _post(
        admin_api(tenant_a), f"{BASE}{endpoint.pk}/rotate-secret/", {"previous_secret_valid_hours": 999}
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_secret_overlap"


def test_unknown_ids_are_404(admin_api, tenant_a):
    client = admin_api(tenant_a)
    assert client.get(f"{BASE}999999/").json()["code"] == "webhook_endpoint_not_found"
    assert client.get(f"{BASE}999999/deliveries/").status_code == 404
    assert client.get(f"{BASE}deliveries/999999/").json()["code"] == "webhook_delivery_not_found"
    assert _post(client, f"{BASE}deliveries/999999/redeliver/").status_code == 404
    assert client.get(f"{BASE}not-a-number/").status_code == 404


@pytest.mark.parametrize("role", [Role.VIEWER, Role.RECRUITER])
def test_members_below_admin_get_403(api_client_for, member, webhooks_plan, tenant_a, role):
    client = api_client_for(member(tenant_a, role), tenant_a)
    assert client.get(BASE).status_code == 403
    response = _post(client, BASE, {"url": "https://hooks.example.com/", "event_types": ["job.published"]})
    assert response.status_code == 403
    assert response.json()["code"] == "role_required"


def test_strangers_and_the_public_domain_get_404_and_anonymous_401(
    api_client_for, make_user, tenant_a, client_for
):
    stranger = make_user()
    assert api_client_for(stranger, tenant_a).get(BASE).status_code == 404
    assert api_client_for(stranger).get(BASE).status_code == 404
    assert client_for(tenant_a).get(BASE).status_code == 401


def test_without_the_plan_writes_are_402_and_reads_still_work(
    api_client_for, member, tenant_a, on_plan, receiver, endpoint_for
):
    endpoint = endpoint_for(tenant_a, receiver.url)
    on_plan(tenant_a, "employer_starter")
    client = api_client_for(member(tenant_a, Role.OWNER), tenant_a)
    response = _post(client, BASE, {"url": receiver.url, "event_types": ["job.published"]})
    assert response.status_code == 402
    assert response.json()["code"] == "feature_not_in_plan"
    assert response.json()["feature"] == "webhooks"
    assert _post(client, f"{BASE}{endpoint.pk}/ping/").status_code == 402
    assert client.get(BASE).status_code == 200  # what was made is kept
    assert client.delete(f"{BASE}{endpoint.pk}/").status_code == 204  # and can be removed


def test_one_employer_never_sees_or_touches_anothers_webhooks(
    admin_api,
    api_client_for,
    member,
    tenant_a,
    tenant_b,
    receiver,
    endpoint_for,
    django_capture_on_commit_callbacks,
):
    endpoint_a = endpoint_for(tenant_a, receiver.url)
    member(tenant_a, Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True), tenant_context(tenant_a):
        delivery_a = services.webhook_endpoint_ping(actor=None, endpoint_id=endpoint_a.pk)
    client_b = admin_api(tenant_b)
    assert client_b.get(BASE).json() == []
    for path in (
        f"{BASE}{endpoint_a.pk}/",
        f"{BASE}{endpoint_a.pk}/deliveries/",
        f"{BASE}deliveries/{delivery_a.pk}/",
    ):
        assert client_b.get(path).status_code == 404, path
    assert (
        client_b.patch(
            f"{BASE}{endpoint_a.pk}/", {"is_active": False}, content_type="application/json"
        ).status_code
        == 404
    )
    assert _post(client_b, f"{BASE}{endpoint_a.pk}/rotate-secret/").status_code == 404
    assert _post(client_b, f"{BASE}{endpoint_a.pk}/ping/").status_code == 404
    assert _post(client_b, f"{BASE}deliveries/{delivery_a.pk}/redeliver/").status_code == 404
    assert client_b.delete(f"{BASE}{endpoint_a.pk}/").status_code == 404
    # tenant_a's own admin, on tenant_b's host, is a stranger there
    admin_a = Membership.objects.filter(tenant=tenant_a, role=Role.ADMIN).latest("pk").user
    assert api_client_for(admin_a, tenant_b).get(f"{BASE}{endpoint_a.pk}/").status_code == 404
    with tenant_context(tenant_a):
        assert WebhookDelivery.objects.filter(pk=delivery_a.pk).exists()


def test_event_types_are_listed(admin_api, tenant_a):
    types = [row["type"] for row in admin_api(tenant_a).get(f"{BASE}event-types/").json()]
    assert "interview.scheduled" in types
    assert "webhook.ping" not in types
