"""Console: the employer's API keys (admins and owners). Keys are the employer's, never another's; the plan
gate shows before the form and holds on a forced POST; scopes and expiry are chosen on the page."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from jobpilot.api.models import ApiKey
from tests.conftest import owner_of

pytestmark = pytest.mark.django_db
PAGE = "/console/api-keys/"


def signed_in(client_for, tenant, user=None):
    client = client_for(tenant)
    client.force_login(user or owner_of(tenant))
    return client


@pytest.fixture
def enterprise_a(tenant_a, on_plan):
    on_plan(tenant_a, "employer_enterprise")
    return tenant_a


def test_an_admin_creates_a_key_that_reads_applicants_and_expires(client_for, enterprise_a):
    client = signed_in(client_for, enterprise_a)
    before = timezone.now()
    created = client.post(
        PAGE, {"name": "ATS bridge", "scopes": ["jobs:read", "applications:read"], "expires_in_days": "90"}
    )

    assert created.status_code == 200
    secret = created.context["created_secret"]
    assert secret in created.content.decode()
    key = ApiKey.objects.get(tenant=enterprise_a)
    assert key.scopes == ["applications:read", "jobs:read"]
    assert timedelta(days=90) <= key.expires_at - before < timedelta(days=90, minutes=5)
    host = enterprise_a.domains.get(is_primary=True).domain
    applicants = Client(HTTP_HOST=host).get("/api/v1/employer-api/applications/", HTTP_X_API_KEY=secret)
    assert applicants.status_code == 200
    assert secret not in client.get(PAGE).content.decode()  # shown once


def test_a_starter_employer_sees_the_gate_before_the_form_and_a_forced_post_creates_nothing(
    client_for, tenant_a
):
    client = signed_in(client_for, tenant_a)
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "The Enterprise plan includes API keys" in html
    assert 'name="scopes"' not in html
    assert 'href="/console/billing/"' in html

    forced = client.post(PAGE, {"name": "Sneaky", "scopes": "jobs:read"})
    assert forced.status_code == 402
    assert 'href="/console/billing/"' in forced.content.decode()
    assert not ApiKey.objects.filter(tenant=tenant_a).exists()


def test_keys_are_the_employers_own(client_for, enterprise_a, tenant_b, on_plan):
    on_plan(tenant_b, "employer_enterprise")
    signed_in(client_for, enterprise_a).post(PAGE, {"name": "A's key", "scopes": "jobs:read"})
    key = ApiKey.objects.get(tenant=enterprise_a)

    b = signed_in(client_for, tenant_b)
    assert (
        "A&#x27;s key" not in b.get(PAGE).content.decode() and "A's key" not in b.get(PAGE).content.decode()
    )
    assert b.post(f"{PAGE}{key.pk}/revoke/").status_code == 404
    key.refresh_from_db()
    assert key.revoked_at is None

    assert signed_in(client_for, enterprise_a).post(f"{PAGE}{key.pk}/revoke/").status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_only_admins_and_owners_manage_keys(client_for, enterprise_a, make_member):
    recruiter = make_member(enterprise_a, "recruiter")
    client = signed_in(client_for, enterprise_a, recruiter)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"name": "Mine", "scopes": "jobs:read"}).status_code == 403
    assert not ApiKey.objects.filter(tenant=enterprise_a).exists()
    anonymous = client_for(enterprise_a).get(PAGE)
    assert anonymous.status_code == 302


@pytest.mark.parametrize(
    "form",
    [
        {"name": "", "scopes": "jobs:read"},
        {"name": "No scopes"},
        {"name": "Writes", "scopes": "applications:write"},  # reserved, granted nowhere
        {"name": "Expiry", "scopes": "jobs:read", "expires_in_days": "forever"},
    ],
)
def test_a_bad_form_re_renders_with_errors_and_creates_nothing(client_for, enterprise_a, form):
    page = signed_in(client_for, enterprise_a).post(PAGE, form)
    assert page.status_code == 422
    assert page.context["form"].errors
    assert not ApiKey.objects.filter(tenant=enterprise_a).exists()
