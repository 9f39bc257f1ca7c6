"""Console: custom domains page. Admins only; Starter is told to upgrade, Growth adds a domain and sees the TXT
record to publish; another employer's domain ids are not found."""

import pytest

from tenants.models import Domain
from tests.conftest import owner_of

pytestmark = pytest.mark.django_db
PAGE = "/console/domains/"


def signed_in(client_for, tenant, user=None):
    client = client_for(tenant)
    client.force_login(user or owner_of(tenant))
    return client


def test_a_starter_employer_sees_its_addresses_and_is_offered_the_upgrade(client_for, tenant_a):
    page = signed_in(client_for, tenant_a).get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "acme.localhost" in html
    assert "The Growth plan includes your own domain." in html
    assert 'href="/console/billing/">Upgrade to Growth</a>' in html
    assert 'id="domain-input"' not in html  # the form is replaced by the gate
    refused = signed_in(client_for, tenant_a).post(PAGE, {"domain": "careers.acme-corp.test"})
    assert refused.status_code == 402
    assert "Your plan does not include custom domain" in refused.content.decode()
    assert "Upgrade to Growth</a>" in refused.content.decode()
    assert not Domain.objects.filter(domain="careers.acme-corp.test").exists()


def test_a_growth_employer_adds_a_domain_and_sees_the_txt_record(client_for, tenant_a, on_plan):
    on_plan(tenant_a, "employer_growth")
    client = signed_in(client_for, tenant_a)
    assert client.post(PAGE, {"domain": "Careers.Acme-Corp.test"}).status_code == 302
    domain = Domain.objects.get(domain="careers.acme-corp.test", tenant=tenant_a)
    html = client.get(PAGE).content.decode()
    assert domain.txt_record_name in html and domain.txt_record_value in html
    assert "Waiting for verification" in html


def test_a_bad_domain_is_shown_as_a_form_error(client_for, tenant_a, on_plan):
    on_plan(tenant_a, "employer_growth")
    response = signed_in(client_for, tenant_a).post(PAGE, {"domain": "not a domain"})
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.content.decode()


def test_removing_a_domain_of_another_employer_is_not_found(client_for, tenant_a, tenant_b, on_plan):
    on_plan(tenant_b, "employer_growth")
    signed_in(client_for, tenant_b).post(PAGE, {"domain": "jobs.globex-corp.test"})
    theirs = Domain.objects.get(domain="jobs.globex-corp.test")
    client = signed_in(client_for, tenant_a)
    assert client.post(f"/console/domains/{theirs.pk}/remove/").status_code == 404
    assert client.post(f"/console/domains/{theirs.pk}/verify/").status_code == 404
    assert Domain.objects.filter(pk=theirs.pk).exists()


def test_a_growth_employer_removes_its_unverified_domain(client_for, tenant_a, on_plan):
    on_plan(tenant_a, "employer_growth")
    client = signed_in(client_for, tenant_a)
    client.post(PAGE, {"domain": "jobs.acme-corp.test"})
    domain = Domain.objects.get(domain="jobs.acme-corp.test")
    assert client.post(f"/console/domains/{domain.pk}/remove/").status_code == 302
    assert not Domain.objects.filter(pk=domain.pk).exists()


def test_only_admins_and_owners_manage_domains(client_for, tenant_a, tenant_b, make_member):
    recruiter = make_member(tenant_a, "recruiter")
    assert signed_in(client_for, tenant_a, recruiter).get(PAGE).status_code == 403
    outsider = make_member(tenant_b, "owner")
    assert signed_in(client_for, tenant_a, outsider).get(PAGE).status_code == 404
    assert client_for(tenant_a).get(PAGE).status_code == 302  # anonymous: to the sign-in page
