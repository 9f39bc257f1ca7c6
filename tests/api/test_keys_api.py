"""Keys: created, listed and revoked by their owner; shown once; 401 when revoked, expired or unknown; 403
without the scope; an employer's keys only on its own domain."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from jobpilot.api.keys import key_hash
from jobpilot.api.models import ApiKey
from jobpilot.api.selectors import api_key_forget

pytestmark = pytest.mark.django_db


def _post(client, path, body):
    return client.post(path, data=json.dumps(body), content_type="application/json")


def test_api_customer_creates_a_key_that_is_shown_once_and_stored_as_a_hash(api_customer, api_client_for):
    customer = api_customer()
    client = api_client_for(customer)
    response = _post(client, "/api/v1/api-keys/", {"name": "Nightly sync"})
    assert response.status_code == 201
    body = response.json()
    assert body["secret"].startswith("jp_test_") and len(body["secret"]) > 40
    assert body["prefix"] == body["secret"][:12] and body["scopes"] == ["jobs:read"]
    stored = ApiKey.objects.get(pk=body["id"])
    assert stored.secret_hash == key_hash(body["secret"]) and body["secret"] not in str(stored.__dict__)
    listed = client.get("/api/v1/api-keys/").json()
    assert [k["id"] for k in listed] == [body["id"]] and "secret" not in listed[0]


def test_a_key_answers_search_with_rate_limit_headers_and_keyless_search_gets_the_keyless_limit(
    api_customer, key_for, keyed_client, public_client
):
    _, secret = key_for(api_customer())
    keyed = keyed_client(secret).get("/api/v1/jobs/")
    assert keyed.status_code == 200
    assert keyed["RateLimit-Limit"] == "60" and keyed["RateLimit-Remaining"] == "59"
    assert keyed["RateLimit-Policy"] == '"per-minute";q=60;w=60' and keyed["RateLimit"].startswith(
        '"per-minute";r=59'
    )
    anonymous = public_client.get("/api/v1/jobs/")
    assert anonymous.status_code == 200 and anonymous["RateLimit-Limit"] == "30"


def test_a_key_is_accepted_as_a_bearer_token(api_customer, key_for, public_client):
    _, secret = key_for(api_customer())
    response = public_client.get("/api/v1/jobs/changes/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200


def test_revoked_key_is_refused_with_401(api_customer, api_client_for, key_for, keyed_client):
    customer = api_customer()
    key, secret = key_for(customer)
    assert api_client_for(customer).delete(f"/api/v1/api-keys/{key.pk}/").json()["revoked_at"]
    response = keyed_client(secret).get("/api/v1/jobs/")
    assert response.status_code == 401 and response.json()["code"] == "invalid_api_key"


def test_expired_key_is_refused_with_401(api_customer, key_for, keyed_client):
    key, secret = key_for(api_customer(), expires_at=timezone.now() + timedelta(hours=1))
    ApiKey.objects.filter(pk=key.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert keyed_client(secret).get("/api/v1/jobs/changes/").status_code == 401


def test_unknown_key_is_refused_with_401(keyed_client):
    response = keyed_client("jp_live_" + "x" * 43).get("/api/v1/jobs/")
    assert response.status_code == 401 and response.json() == {
        "detail": "The API key is not valid, revoked or expired.",
        "code": "invalid_api_key",
    }


def test_changes_feed_needs_a_key(public_client, api_client_for, api_customer):
    assert public_client.get("/api/v1/jobs/changes/").status_code == 401
    # A signed-in user is not a key either.
    assert api_client_for(api_customer()).get("/api/v1/jobs/changes/").status_code == 401


def test_key_without_the_scope_is_refused_with_403(api_employer, tenant_a, key_for, keyed_client):
    _, secret = key_for(tenant_a, scopes=["applications:read"])
    response = keyed_client(secret, tenant_a).get("/api/v1/jobs/changes/")
    assert response.status_code == 403 and response.json()["code"] == "scope_missing"


def test_customer_key_cannot_read_an_employers_postings(api_customer, key_for, keyed_client):
    _, secret = key_for(api_customer())
    response = keyed_client(secret).get("/api/v1/employer-api/postings/")
    assert response.status_code == 403 and response.json()["code"] == "tenant_key_required"


def test_customers_see_and_revoke_only_their_own_keys(api_customer, api_client_for, key_for):
    alice, bob = api_customer(), api_customer()
    alice_key, _ = key_for(alice)
    key_for(bob)
    bob_client = api_client_for(bob)
    assert alice_key.pk not in [k["id"] for k in bob_client.get("/api/v1/api-keys/").json()]
    assert bob_client.delete(f"/api/v1/api-keys/{alice_key.pk}/").status_code == 404
    alice_key.refresh_from_db()
    assert alice_key.revoked_at is None


@pytest.mark.parametrize(
    "body",
    [{"name": ""}, {"name": "x" * 101}, {"name": "k", "scopes": ["admin"]}, {"name": "k", "scopes": []}, {}],
)
def test_bad_key_input_is_422(api_customer, api_client_for, body):
    response = _post(api_client_for(api_customer()), "/api/v1/api-keys/", body)
    assert response.status_code == 422 and response.json()["code"] == "validation_error"


def test_a_customer_key_cannot_hold_employer_scopes(api_customer, api_client_for):
    response = _post(
        api_client_for(api_customer()), "/api/v1/api-keys/", {"name": "k", "scopes": ["applications:read"]}
    )
    assert response.status_code == 422 and response.json()["code"] == "scope_not_allowed"


def test_an_expiry_in_the_past_is_refused(api_customer, api_client_for):
    past = (timezone.now() - timedelta(minutes=1)).isoformat()
    response = _post(api_client_for(api_customer()), "/api/v1/api-keys/", {"name": "k", "expires_at": past})
    assert response.status_code == 422 and response.json()["code"] == "expiry_in_past"


def test_key_management_needs_sign_in(public_client):
    assert public_client.get("/api/v1/api-keys/").status_code == 401


# --- employers' keys ---------------------------------------------------------------------------------------------


def test_employer_admin_creates_a_tenant_key_on_its_domain(
    api_employer, tenant_a, api_client_for, make_member
):
    admin = make_member(tenant_a, "admin")
    response = _post(
        api_client_for(admin, tenant_a),
        "/api/v1/api-keys/",
        {"name": "ATS sync", "scopes": ["jobs:read", "applications:read"]},
    )
    assert response.status_code == 201
    assert ApiKey.objects.get(pk=response.json()["id"]).tenant_id == tenant_a.pk


def test_recruiter_cannot_manage_the_employers_keys(api_employer, tenant_a, api_client_for, make_member):
    recruiter = make_member(tenant_a, "recruiter")
    response = _post(api_client_for(recruiter, tenant_a), "/api/v1/api-keys/", {"name": "mine"})
    assert response.status_code == 403


def test_employer_without_api_access_gets_402(tenant_a, api_client_for, make_member, on_plan):
    on_plan(tenant_a, "employer_growth")
    admin = make_member(tenant_a, "admin")
    response = _post(api_client_for(admin, tenant_a), "/api/v1/api-keys/", {"name": "sync"})
    assert response.status_code == 402 and response.json()["code"] == "feature_not_in_plan"


def test_another_employers_admin_does_not_see_the_keys(
    api_employer, tenant_a, tenant_b, key_for, api_client_for, make_member
):
    key, _ = key_for(tenant_a)
    other_admin = make_member(tenant_b, "admin")
    listed = api_client_for(other_admin, tenant_b).get("/api/v1/api-keys/").json()
    assert key.pk not in [k["id"] for k in listed]
    assert api_client_for(other_admin, tenant_a).get("/api/v1/api-keys/").status_code == 404


def test_tenant_key_sees_only_its_own_tenant(
    api_employer, tenant_a, tenant_b, key_for, keyed_client, make_posting
):
    own = make_posting(tenant_a, title="Own role", status="draft")
    other = make_posting(tenant_b, title="Other role")
    _, secret = key_for(tenant_a)
    listed = keyed_client(secret, tenant_a).get("/api/v1/employer-api/postings/").json()
    ids = {row["id"] for row in listed["results"]}
    assert str(own.public_id) in ids and str(other.public_id) not in ids
    # Elsewhere the key is not valid at all: not on another employer's domain, not on the marketplace.
    for tenant in (tenant_b, None):
        response = keyed_client(secret, tenant).get("/api/v1/jobs/")
        assert response.status_code == 401 and response.json()["code"] == "api_key_wrong_site"


def test_tenant_postings_bad_input_is_422(api_employer, tenant_a, key_for, keyed_client):
    _, secret = key_for(tenant_a)
    response = keyed_client(secret, tenant_a).get("/api/v1/employer-api/postings/?limit=0")
    assert response.status_code == 422


def test_last_used_is_written_at_most_once_a_minute(api_customer, key_for, keyed_client):
    key, secret = key_for(api_customer())
    client = keyed_client(secret)
    client.get("/api/v1/jobs/")
    key.refresh_from_db()
    first = key.last_used_at
    assert first is not None
    client.get("/api/v1/jobs/")
    key.refresh_from_db()
    assert key.last_used_at == first
    # Two minutes later (the cached copy has expired by then):
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=first - timedelta(minutes=2))
    api_key_forget(key=key)
    client.get("/api/v1/jobs/")
    key.refresh_from_db()
    assert key.last_used_at > first


def test_revoking_a_key_used_a_moment_ago_takes_effect_at_once(
    api_customer, api_client_for, key_for, keyed_client, django_capture_on_commit_callbacks
):
    customer = api_customer()
    key, secret = key_for(customer)
    client = keyed_client(secret)
    assert client.get("/api/v1/jobs/").status_code == 200  # the key is now cached
    with django_capture_on_commit_callbacks(execute=True):
        api_client_for(customer).delete(f"/api/v1/api-keys/{key.pk}/")
    assert client.get("/api/v1/jobs/").status_code == 401


def test_without_redis_keys_are_cached_and_limited_in_process(
    settings, api_customer, api_client_for, key_for, keyed_client, django_capture_on_commit_callbacks
):
    settings.REDIS_URL = ""
    customer = api_customer("api_developer", api_requests_per_minute=2)
    key, secret = key_for(customer)
    client = keyed_client(secret)
    assert [client.get("/api/v1/jobs/").status_code for _ in range(3)] == [200, 200, 429]
    with django_capture_on_commit_callbacks(execute=True):
        api_client_for(customer).delete(f"/api/v1/api-keys/{key.pk}/")
    assert client.get("/api/v1/jobs/").status_code == 401
