"""/api/v1/employer/domains/: custom domains, a plan feature (Starter: 402, Growth: allowed), served only once
verified."""

import io
import socket
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from billing.selectors import billing_account_for_tenant
from billing.services import billing_account_assign_plan
from tenants.models import Domain, Membership
from tests.dns_server import LocalDnsServer

pytestmark = pytest.mark.django_db
DOMAINS = "/api/v1/employer/domains/"


def on_plan(tenant, plan_code: str) -> None:
    billing_account_assign_plan(actor=None, account=billing_account_for_tenant(tenant), plan_code=plan_code)


def owner_client(client_for, tenant) -> Client:
    client = client_for(tenant)
    client.force_login(tenant.memberships.get(role="owner").user)
    return client


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def add(client, domain: str):
    return client.post(DOMAINS, {"domain": domain}, content_type="application/json")


def site_at(host: str):
    return Client(HTTP_HOST=host).get("/api/v1/site/")


def test_an_employer_on_starter_cannot_add_a_custom_domain(client_for, tenant_a):
    response = add(owner_client(client_for, tenant_a), "careers.starter-co.test")

    assert response.status_code == 402
    assert response.json()["code"] == "feature_not_in_plan"
    assert response.json()["feature"] == "custom_domain"
    assert response.json()["upgrade_url"] == "https://acme.localhost/console/billing/"
    assert not Domain.objects.filter(domain="careers.starter-co.test").exists()


def test_an_employer_on_growth_adds_a_domain_that_serves_nothing_until_verified(client_for, tenant_a):
    on_plan(tenant_a, "employer_growth")

    response = add(owner_client(client_for, tenant_a), "WWW.Careers.Growth-Co.test.")

    assert response.status_code == 201
    body = response.json()
    assert body["domain"] == "careers.growth-co.test"
    assert (body["verified"], body["is_custom"], body["is_primary"]) == (False, True, False)
    token = Domain.objects.get(domain="careers.growth-co.test").verification_token
    assert body["verification"] == {
        "type": "TXT",
        "name": "_jobpilot-challenge.careers.growth-co.test",
        "value": f"jobpilot-verify={token}",
    }
    assert site_at("careers.growth-co.test").json()["code"] == "unknown_host"


def test_an_administrator_verifies_the_domain_and_then_it_serves_the_employers_site(client_for, tenant_a):
    on_plan(tenant_a, "employer_growth")
    add(owner_client(client_for, tenant_a), "jobs.verified-co.test")

    out = io.StringIO()
    call_command("tenant_domain_verify", "jobs.verified-co.test", stdout=out)

    assert "_jobpilot-challenge.jobs.verified-co.test" in out.getvalue()
    assert site_at("jobs.verified-co.test").json()["slug"] == "acme"
    listed = {d["domain"]: d for d in owner_client(client_for, tenant_a).get(DOMAINS).json()}
    assert listed["jobs.verified-co.test"]["verified"] is True
    assert listed["jobs.verified-co.test"]["verification"] is None


def test_after_a_downgrade_the_custom_domain_redirects_to_the_platform_domain_until_an_upgrade(
    client_for, tenant_a
):
    on_plan(tenant_a, "employer_growth")
    add(owner_client(client_for, tenant_a), "jobs.downgraded-co.test")
    call_command("tenant_domain_verify", "jobs.downgraded-co.test", stdout=io.StringIO())

    on_plan(tenant_a, "employer_starter")
    page = Client(HTTP_HOST="jobs.downgraded-co.test").get("/jobs/?q=robot")
    form = Client(HTTP_HOST="jobs.downgraded-co.test").post("/api/v1/site/", {})

    assert page.status_code == 307
    assert page["Location"] == "https://acme.localhost/jobs/?q=robot"
    assert form.status_code == 307  # the method and body go along
    assert client_for(tenant_a).get("/api/v1/site/").json()["slug"] == "acme"
    listed = {d["domain"]: d for d in owner_client(client_for, tenant_a).get(DOMAINS).json()}
    assert listed["jobs.downgraded-co.test"]["verified"] is True  # kept for an upgrade

    on_plan(tenant_a, "employer_growth")
    assert site_at("jobs.downgraded-co.test").json()["slug"] == "acme"


@pytest.fixture
def dns_server(settings):
    with LocalDnsServer() as server:
        settings.DNS_NAMESERVERS = [server.address]
        yield server


def test_an_employer_verifies_a_domain_self_serve_once_its_txt_record_is_published(
    client_for, tenant_a, dns_server
):
    on_plan(tenant_a, "employer_growth")
    client = owner_client(client_for, tenant_a)
    added = add(client, "jobs.self-serve.test").json()
    verify = f"{DOMAINS}{added['id']}/verify/"

    not_yet = client.post(verify)
    dns_server.publish("_jobpilot-challenge.jobs.self-serve.test", "TXT", '"jobpilot-verify=someone-elses"')
    wrong_value = client.post(verify)
    dns_server.publish(
        "_jobpilot-challenge.jobs.self-serve.test",
        "TXT",
        '"v=spf1 -all"',
        f'"{added["verification"]["value"]}"',
    )
    verified = client.post(verify)

    assert [not_yet.status_code, wrong_value.status_code] == [409, 409]
    assert not_yet.json()["code"] == wrong_value.json()["code"] == "verification_failed"
    assert verified.status_code == 200
    assert (verified.json()["verified"], verified.json()["verification"]) == (True, None)
    assert verified.json()["routing"] == [
        {"type": "CNAME", "name": "jobs.self-serve.test", "value": "sites.localhost"}
    ]
    assert site_at("jobs.self-serve.test").json()["slug"] == "acme"
    assert site_at("www.jobs.self-serve.test").json()["slug"] == "acme"


def test_dns_that_does_not_answer_is_said_plainly_and_changes_nothing(client_for, tenant_a, settings):
    on_plan(tenant_a, "employer_growth")
    settings.DNS_NAMESERVERS = [f"127.0.0.1:{free_udp_port()}"]
    settings.DNS_LIFETIME_SECONDS = 0.5
    client = owner_client(client_for, tenant_a)
    added = add(client, "jobs.dns-down.test").json()

    response = client.post(f"{DOMAINS}{added['id']}/verify/")

    assert response.status_code == 409
    assert response.json()["code"] == "dns_lookup_failed"
    assert "Try again" in response.json()["detail"]
    assert Domain.objects.get(pk=added["id"]).verified_at is None
    assert site_at("jobs.dns-down.test").status_code == 404


def test_the_console_shows_the_records_to_publish_and_verifies_through_dns(
    client_for, tenant_a, dns_server, settings
):
    settings.CUSTOM_DOMAIN_ADDRESSES = ["203.0.113.10"]
    on_plan(tenant_a, "employer_growth")
    client = owner_client(client_for, tenant_a)
    added = add(client, "careers.console-co.test").json()

    page = client.get("/console/domains/").content.decode()
    dns_server.publish(added["verification"]["name"], "TXT", f'"{added["verification"]["value"]}"')
    after = client.post(f"/console/domains/{added['id']}/verify/", follow=True).content.decode()

    assert added["verification"]["value"] in page
    assert "sites.localhost" in page and "203.0.113.10" in page  # CNAME target, and A for an apex domain
    assert "certificate is issued automatically" in page
    assert "careers.console-co.test is verified and now serves your careers site." in after


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("jobs.edge-co.test", 200),  # verified custom domain
        ("www.jobs.edge-co.test", 200),
        ("acme.localhost", 200),  # platform domain
        ("jobs.unverified-co.test", 404),
        ("nobody.example.test", 404),
        ("", 404),
        ("%00" * 300, 404),
    ],
)
def test_the_tls_edge_gets_certificates_only_for_hosts_we_serve(client_for, tenant_a, host, status):
    on_plan(tenant_a, "employer_growth")
    client = owner_client(client_for, tenant_a)
    add(client, "jobs.edge-co.test")
    add(client, "jobs.unverified-co.test")
    call_command("tenant_domain_verify", "jobs.edge-co.test", stdout=io.StringIO())

    response = Client(HTTP_HOST="web:8000").get(f"/_edge/tls-allowed?domain={host}")

    assert response.status_code == status


def test_a_domain_in_use_by_another_employer_is_a_conflict(client_for, tenant_a, tenant_b):
    Domain.objects.create(domain="careers.taken.test", tenant=tenant_b, is_primary=False)
    on_plan(tenant_a, "employer_growth")
    on_plan(tenant_b, "employer_growth")

    response = add(owner_client(client_for, tenant_a), "careers.taken.test")

    assert response.status_code == 409
    assert response.json()["code"] == "domain_taken"
    assert site_at("careers.taken.test").json()["slug"] == "globex"


def test_a_claim_left_unverified_for_a_week_can_be_taken_by_the_real_owner(client_for, tenant_a, tenant_b):
    Domain.objects.create(
        domain="careers.squatted.test",
        tenant=tenant_b,
        is_primary=False,
        verification_token="t",
        verified_at=None,
    )
    Domain.objects.filter(domain="careers.squatted.test").update(
        created_at=timezone.now() - timedelta(days=8)
    )
    on_plan(tenant_a, "employer_growth")

    response = add(owner_client(client_for, tenant_a), "careers.squatted.test")

    assert response.status_code == 201
    assert Domain.objects.get(domain="careers.squatted.test").tenant == tenant_a


def test_a_site_has_at_most_five_custom_domains(client_for, tenant_a):
    on_plan(tenant_a, "employer_growth")
    client = owner_client(client_for, tenant_a)
    assert [add(client, f"site{n}.five-co.test").status_code for n in range(5)] == [201] * 5
    response = add(client, "site6.five-co.test")
    assert response.status_code == 409
    assert response.json()["code"] == "too_many_domains"


@pytest.mark.parametrize(
    ("domain", "code"),
    [
        ("not a domain", "invalid_domain"),
        ("localhost", "invalid_domain"),
        ("http://careers.example.test/", "invalid_domain"),
        ("-bad-.example.test", "invalid_domain"),
        ("sneaky.localhost", "reserved_domain"),
        ("", "validation_error"),
        ("a" * 254, "validation_error"),
    ],
)
def test_bad_domains_are_refused(client_for, tenant_a, domain, code):
    on_plan(tenant_a, "employer_growth")
    response = add(owner_client(client_for, tenant_a), domain)
    assert response.status_code == 422
    assert response.json()["code"] == code


def test_a_custom_domain_is_removed_but_the_platform_domain_is_not(client_for, tenant_a):
    on_plan(tenant_a, "employer_growth")
    client = owner_client(client_for, tenant_a)
    custom = add(client, "careers.removable.test").json()
    platform = Domain.objects.get(domain="acme.localhost")

    assert client.delete(f"{DOMAINS}{custom['id']}/").status_code == 204
    assert client.delete(f"{DOMAINS}{platform.pk}/").status_code == 404
    assert not Domain.objects.filter(domain="careers.removable.test").exists()
    assert Domain.objects.filter(pk=platform.pk).exists()


def test_a_recruiter_cannot_manage_domains(client_for, tenant_a, make_user):
    on_plan(tenant_a, "employer_growth")
    recruiter = make_user()
    Membership.objects.create(user=recruiter, tenant=tenant_a, role=Membership.Role.RECRUITER)
    client = client_for(tenant_a)
    client.force_login(recruiter)
    assert [client.get(DOMAINS).status_code, add(client, "careers.recruiter.test").status_code] == [403, 403]


def test_another_employers_domains_are_out_of_reach(client_for, tenant_a, tenant_b):
    on_plan(tenant_b, "employer_growth")
    theirs = add(owner_client(client_for, tenant_b), "careers.globex-only.test").json()
    client = owner_client(client_for, tenant_a)

    listed = {d["domain"] for d in client.get(DOMAINS).json()}
    verify = client.post(f"{DOMAINS}{theirs['id']}/verify/")
    remove = client.delete(f"{DOMAINS}{theirs['id']}/")

    assert "careers.globex-only.test" not in listed
    assert listed == {"acme.localhost"}
    assert [verify.status_code, remove.status_code] == [404, 404]
    assert Domain.objects.filter(domain="careers.globex-only.test", tenant=tenant_b).exists()


def test_domain_ids_must_be_numbers(client_for, tenant_a):
    response = owner_client(client_for, tenant_a).delete(f"{DOMAINS}abc/")
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
