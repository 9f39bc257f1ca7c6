"""GET/POST /api/v1/billing/...: who may see and change which account, input checks, and local mode (no
Stripe keys: everyone free, an administrator assigns plans, upgrades say billing is not configured)."""

import io

import pytest
from django.core.management import call_command

from billing.entitlements import consume
from billing.plans import Metric
from billing.selectors import billing_account_for_tenant
from tenants.models import Membership
from tests.billing.conftest import member_client

pytestmark = pytest.mark.django_db


def test_the_catalogue_is_public_and_per_audience(public_client, client_for, tenant_a):
    seeker_plans = public_client.get("/api/v1/billing/plans/").json()
    assert [p["code"] for p in seeker_plans] == ["seeker_free", "seeker_pro", "seeker_premium"]
    assert seeker_plans[1]["prices"] == {"month": 900, "year": 9000}
    api_plans = public_client.get("/api/v1/billing/plans/?audience=api").json()
    assert api_plans[1]["overage"] == {
        "api_requests_per_day": {"unit_amount_cents": 50, "package_size": 1000}
    }
    employer_plans = client_for(tenant_a).get("/api/v1/billing/plans/").json()
    assert [p["name"] for p in employer_plans] == ["Starter", "Growth", "Enterprise"]


def test_a_seeker_sees_the_free_plan_its_usage_and_that_billing_is_not_configured(
    seeker_client, seeker_account
):
    consume(seeker_account, Metric.APPLICATIONS_PER_MONTH, amount=3)

    body = seeker_client.get("/api/v1/billing/").json()

    assert body["audience"] == "seeker"
    assert body["plan"]["code"] == "seeker_free"
    assert body["billing_configured"] is False
    assert body["subscription"]["status"] == "none"
    usage = {row["metric"]: row for row in body["usage"]}
    assert usage["applications_per_month"] == {
        "metric": "applications_per_month",
        "period": "month",
        "used": 3,
        "limit": 10,
        "overage": False,
    }


def test_the_api_audience_has_an_account_of_its_own(seeker_client):
    body = seeker_client.get("/api/v1/billing/?audience=api").json()
    assert body["plan"]["code"] == "api_developer"
    assert {row["metric"] for row in body["usage"]} == {"api_requests_per_day", "api_requests_per_minute"}


def test_billing_needs_a_signed_in_user(public_client):
    response = public_client.get("/api/v1/billing/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(
    ("query", "code"), [("?audience=employer", "invalid_audience"), ("?audience=pirate", "validation_error")]
)
def test_a_wrong_audience_on_the_marketplace_is_refused(seeker_client, query, code):
    response = seeker_client.get(f"/api/v1/billing/{query}")
    assert response.status_code == 422
    assert response.json()["code"] == code


def test_an_employer_owner_sees_the_employers_plan_and_seats(owner_client, tenant_a):
    body = owner_client.get("/api/v1/billing/").json()
    assert body["audience"] == "employer"
    assert body["plan"]["name"] == "Starter"
    seats = next(row for row in body["usage"] if row["metric"] == "seats")
    assert seats["used"] == tenant_a.memberships.count()
    assert seats["limit"] == 2


def test_a_recruiter_may_not_see_the_employers_billing(client_for, make_user, tenant_a):
    client = member_client(client_for, make_user, tenant_a, Membership.Role.RECRUITER)
    response = client.get("/api/v1/billing/")
    assert response.status_code == 403
    assert response.json()["code"] == "role_required"


def test_another_employers_admin_gets_not_found_and_never_sees_this_employers_usage(
    client_for, make_user, tenant_a, tenant_b
):
    consume(billing_account_for_tenant(tenant_b), Metric.ACTIVE_POSTINGS, amount=2)
    admin_of_b = member_client(client_for, make_user, tenant_b, Membership.Role.ADMIN)
    admin_of_b.defaults["HTTP_HOST"] = "acme.localhost"

    assert admin_of_b.get("/api/v1/billing/").status_code == 404

    admin_of_b.defaults["HTTP_HOST"] = "globex.localhost"
    own = {row["metric"]: row["used"] for row in admin_of_b.get("/api/v1/billing/").json()["usage"]}
    assert own["active_postings"] == 2
    acme = billing_account_for_tenant(tenant_a)
    assert acme.usage_counters.filter(metric="active_postings").count() == 0


def test_an_employer_site_only_bills_the_employer(owner_client):
    response = owner_client.get("/api/v1/billing/?audience=seeker")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_audience"


@pytest.mark.parametrize(
    ("method", "path", "payload"),
    [
        ("post", "/api/v1/billing/checkout/", {"plan": "seeker_pro"}),
        ("post", "/api/v1/billing/portal/", {}),
        ("post", "/api/v1/billing/change/", {"plan": "seeker_premium"}),
        ("post", "/api/v1/billing/cancel/", None),
        ("post", "/api/v1/billing/resume/", None),
    ],
)
def test_without_stripe_keys_every_upgrade_says_billing_is_not_configured(
    seeker_client, method, path, payload
):
    response = getattr(seeker_client, method)(path, payload, content_type="application/json")
    assert response.status_code == 409
    assert response.json()["code"] == "billing_not_configured"


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"plan": "employer_growth"}, "unknown_plan"),
        ({"plan": "no_such_plan"}, "unknown_plan"),
        ({"plan": "seeker_free"}, "plan_is_free"),
        ({"plan": "seeker_pro", "interval": "week"}, "validation_error"),
        ({"plan": "seeker_pro", "return_path": "//evil.example/"}, "validation_error"),
        ({"plan": "seeker_pro", "return_path": "https://evil.example/"}, "validation_error"),
        ({"plan": ""}, "validation_error"),
        ({}, "validation_error"),
    ],
)
def test_a_bad_checkout_request_is_refused_before_anything_else(seeker_client, payload, code):
    response = seeker_client.post("/api/v1/billing/checkout/", payload, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["code"] == code


def test_an_admin_assigns_a_plan_by_command_in_local_mode(seeker_client, seeker):
    out = io.StringIO()
    call_command("billing_assign_plan", email=seeker.email, plan="seeker_premium", stdout=out)
    assert "plan seeker_premium" in out.getvalue()

    body = seeker_client.get("/api/v1/billing/").json()
    assert body["plan"]["code"] == "seeker_premium"
    assert body["assigned_by_admin"] is True

    call_command("billing_assign_plan", email=seeker.email, clear_plan=True, stdout=out)
    assert seeker_client.get("/api/v1/billing/").json()["plan"]["code"] == "seeker_free"


def test_an_admin_sets_limits_for_one_employer(tenant_a, owner_client):
    call_command(
        "billing_assign_plan",
        tenant="acme",
        limit=["seats=12", "active_postings=unlimited"],
        stdout=io.StringIO(),
    )
    usage = {row["metric"]: row["limit"] for row in owner_client.get("/api/v1/billing/").json()["usage"]}
    assert usage == {"seats": 12, "active_postings": None}


def test_the_webhook_without_a_secret_refuses_events_and_does_not_crash(public_client):
    response = public_client.post("/billing/stripe/webhook/", data="{}", content_type="application/json")
    assert response.status_code == 409
    assert response.json()["code"] == "billing_not_configured"


def test_the_webhook_is_not_served_on_employer_domains(client_for, tenant_a):
    assert (
        client_for(tenant_a)
        .post("/billing/stripe/webhook/", data="{}", content_type="application/json")
        .status_code
        == 404
    )


BILLING_WRITES = [
    "/api/v1/billing/checkout/",
    "/api/v1/billing/portal/",
    "/api/v1/billing/change/",
    "/api/v1/billing/cancel/",
    "/api/v1/billing/resume/",
]


@pytest.mark.parametrize("path", BILLING_WRITES)
def test_only_the_employers_owners_and_admins_may_change_its_billing(client_for, make_user, tenant_a, path):
    payload = {"plan": "employer_growth"}
    recruiter = member_client(client_for, make_user, tenant_a, Membership.Role.RECRUITER)
    outsider = client_for(tenant_a)
    outsider.force_login(make_user())

    assert recruiter.post(path, payload, content_type="application/json").status_code == 403
    assert outsider.post(path, payload, content_type="application/json").status_code == 404
    assert client_for(tenant_a).post(path, payload, content_type="application/json").status_code == 401


@pytest.mark.parametrize("path", BILLING_WRITES)
def test_another_employers_admin_cannot_change_this_employers_billing(
    client_for, make_user, tenant_a, tenant_b, path
):
    admin_of_b = member_client(client_for, make_user, tenant_b, Membership.Role.ADMIN)
    admin_of_b.defaults["HTTP_HOST"] = "acme.localhost"
    response = admin_of_b.post(path, {"plan": "employer_growth"}, content_type="application/json")
    assert response.status_code == 404


@pytest.mark.parametrize("path", BILLING_WRITES)
def test_a_billing_write_with_an_unknown_audience_is_refused(seeker_client, path):
    response = seeker_client.post(
        f"{path}?audience=pirate", {"plan": "seeker_pro"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_the_catalogue_of_an_unknown_audience_is_a_validation_error(public_client):
    response = public_client.get("/api/v1/billing/plans/?audience=pirate")
    assert response.status_code == 422
