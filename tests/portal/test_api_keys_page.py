"""The API customer's page: keys shown once, per-key usage, revoke; another user's key is not found."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from jobpilot.api.models import ApiKey

pytestmark = pytest.mark.django_db
PAGE = "/account/api/"


@pytest.fixture
def customer(make_user, on_plan):
    from billing.plans import Audience

    user = make_user()
    on_plan(user, "api_developer", Audience.API)
    return user


def signed_in(user) -> Client:
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def test_a_customer_creates_a_key_sees_it_once_and_uses_it(public_tenant, customer):
    client = signed_in(customer)
    created = client.post(PAGE, {"name": "Nightly sync", "scopes": "jobs:read"})
    assert created.status_code == 200
    secret = created.context["created_secret"]
    assert secret.startswith("jp_") and secret in created.content.decode()
    assert secret not in client.get(PAGE).content.decode()  # shown once

    assert Client(HTTP_HOST="localhost").get("/api/v1/jobs/", HTTP_X_API_KEY=secret).status_code == 200
    page = client.get(PAGE).content.decode()
    assert "Nightly sync" in page and secret[:12] in page


def test_a_key_is_revoked_from_the_page_and_stops_working(public_tenant, customer):
    client = signed_in(customer)
    secret = client.post(PAGE, {"name": "CI", "scopes": "jobs:read"}).context["created_secret"]
    key = ApiKey.objects.get(user=customer)
    assert client.post(f"/account/api/keys/{key.pk}/revoke/").status_code == 302
    assert Client(HTTP_HOST="localhost").get("/api/v1/jobs/", HTTP_X_API_KEY=secret).status_code == 401


def test_any_user_starts_on_the_free_developer_plan_with_its_daily_quota(public_tenant, make_user):
    client = signed_in(make_user())
    page = client.get(PAGE)
    assert page.context["report"]["quota"]["limit"] == 1000
    assert client.post(PAGE, {"name": "first", "scopes": "jobs:read"}).status_code == 200


def test_a_key_can_expire_and_the_page_says_when(public_tenant, customer):
    client = signed_in(customer)
    before = timezone.now()
    assert (
        client.post(PAGE, {"name": "Trial", "scopes": "jobs:read", "expires_in_days": "30"}).status_code
        == 200
    )
    key = ApiKey.objects.get(user=customer)
    assert key.scopes == ["jobs:read"]
    assert timedelta(days=30) <= key.expires_at - before < timedelta(days=30, minutes=5)
    assert key.expires_at.strftime("%-d %b %Y") in client.get(PAGE).content.decode()


@pytest.mark.parametrize(
    "form",
    [
        {"name": "  ", "scopes": "jobs:read"},
        {"name": "No scope"},
        {"name": "Employer scope", "scopes": "applications:read"},  # not a customer's to grant
        {"name": "Odd expiry", "scopes": "jobs:read", "expires_in_days": "7"},
        {"name": "x" * 101, "scopes": "jobs:read"},
    ],
)
def test_a_bad_key_form_is_a_form_error_and_creates_nothing(public_tenant, customer, form):
    page = signed_in(customer).post(PAGE, form)
    assert page.status_code == 422
    assert page.context["form"].errors
    assert not ApiKey.objects.filter(user=customer).exists()


def test_another_users_key_cannot_be_revoked(public_tenant, customer, make_user, on_plan):
    signed_in(customer).post(PAGE, {"name": "mine", "scopes": "jobs:read"})
    key = ApiKey.objects.get(user=customer)
    other = make_user()
    assert signed_in(other).post(f"/account/api/keys/{key.pk}/revoke/").status_code == 404
    key.refresh_from_db()
    assert key.revoked_at is None


def test_the_page_needs_a_signed_in_user(public_tenant):
    assert Client(HTTP_HOST="localhost").get(PAGE).status_code == 302
