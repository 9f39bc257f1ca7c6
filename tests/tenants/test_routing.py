"""Host -> tenant routing: public domain, subdomain, custom domain, unknown host, suspended tenant."""

import pytest
from django.test import Client

from tenants.models import Domain, Tenant
from tenants.services import tenant_set_status

pytestmark = pytest.mark.django_db


def test_public_domain_serves_the_marketplace(public_client):
    response = public_client.get("/api/v1/site/")
    assert response.status_code == 200
    assert response.json()["kind"] == "marketplace"


def test_employer_subdomain_serves_that_employer(client_for, tenant_a, tenant_b):
    assert client_for(tenant_a).get("/api/v1/site/").json()["slug"] == "acme"
    assert client_for(tenant_b).get("/api/v1/site/").json()["slug"] == "globex"


def test_custom_domain_serves_its_employer(tenant_a, on_plan):
    on_plan(tenant_a, "employer_growth")
    Domain.objects.create(domain="careers.acme-corp.test", tenant=tenant_a, is_primary=False)
    body = Client(HTTP_HOST="careers.acme-corp.test").get("/api/v1/site/").json()
    assert body["slug"] == "acme"
    assert body["kind"] == "employer"


def test_www_prefix_is_the_same_site(tenant_a):
    assert Client(HTTP_HOST="www.acme.localhost").get("/api/v1/site/").json()["slug"] == "acme"


def test_unknown_host_answers_a_clean_404_page(public_tenant):
    response = Client(HTTP_HOST="nobody.localhost").get("/")
    assert response.status_code == 404
    assert b"Site not found" in response.content


def test_unknown_host_on_the_api_answers_json(public_tenant):
    response = Client(HTTP_HOST="nobody.localhost").get("/api/v1/site/")
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no JobPilot site at this address.", "code": "unknown_host"}


def test_suspended_tenant_answers_403_and_comes_back_when_reactivated(client_for, tenant_a):
    tenant_set_status(tenant=tenant_a, status=Tenant.Status.SUSPENDED)
    page = client_for(tenant_a).get("/")
    assert page.status_code == 403
    assert b"unavailable" in page.content
    assert client_for(tenant_a).get("/api/v1/site/").json()["code"] == "tenant_suspended"

    tenant_set_status(tenant=tenant_a, status=Tenant.Status.ACTIVE)
    assert client_for(tenant_a).get("/api/v1/site/").status_code == 200


def test_health_answers_on_every_host(public_client, client_for, tenant_a):
    assert public_client.get("/health/").json() == {"status": "ok"}
    assert client_for(tenant_a).get("/health/").status_code == 200


def test_a_cached_route_is_forgotten_when_its_domain_goes(tenant_a, on_plan, django_assert_num_queries):
    from tenants.selectors import domain_for_hostname

    on_plan(tenant_a, "employer_growth")
    domain = Domain.objects.create(domain="jobs.acme-cache.test", tenant=tenant_a, is_primary=False)
    assert domain_for_hostname("jobs.acme-cache.test").tenant == tenant_a
    with django_assert_num_queries(0):
        cached = domain_for_hostname("jobs.acme-cache.test")
    assert cached.tenant is not domain_for_hostname("jobs.acme-cache.test").tenant, "no shared instances"

    domain.delete()

    assert domain_for_hostname("jobs.acme-cache.test") is None
    assert Client(HTTP_HOST="jobs.acme-cache.test").get("/api/v1/site/").status_code == 404


def test_a_suspension_is_served_at_once_though_the_route_was_cached(client_for, tenant_a):
    assert client_for(tenant_a).get("/api/v1/site/").status_code == 200  # now cached

    tenant_set_status(tenant=tenant_a, status=Tenant.Status.SUSPENDED)

    assert client_for(tenant_a).get("/api/v1/site/").status_code == 403
