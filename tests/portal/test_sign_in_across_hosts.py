"""Sessions are per host; the one-time handoff (ADR 0009) carries a signed-in person both ways: from the public
site into an employer's console they open directly, and from an employer's host to their tracker."""

from urllib.parse import urlencode, urlsplit

import pytest

from tests.conftest import owner_of

pytestmark = pytest.mark.django_db


def follow_across(client, url: str):
    parts = urlsplit(url)
    return client.get(f"{parts.path}?{parts.query}" if parts.query else parts.path)


def test_an_employer_signed_in_on_the_public_site_opens_the_console_on_their_host_signed_in(
    client_for, public_client, tenant_a
):
    public_client.force_login(owner_of(tenant_a))
    employer_host = client_for(tenant_a)

    asked = employer_host.get("/console/team/")
    bounced = follow_across(public_client, asked["Location"])
    arrived = follow_across(employer_host, bounced["Location"])

    assert asked["Location"].startswith("http://localhost/auth/continue/?")
    assert bounced.status_code == 302 and bounced["Location"].startswith(
        "http://acme.localhost/auth/handoff/?token="
    )
    assert arrived.status_code == 302 and arrived["Location"] == "/console/team/"
    assert employer_host.get("/console/team/").status_code == 200


def test_a_visitor_signed_in_nowhere_signs_in_on_the_public_site_first(public_client, tenant_a):
    continue_path = "/auth/continue/?" + urlencode({"tenant": "acme", "next": "/console/"})

    response = public_client.get(continue_path)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_someone_not_on_the_team_is_sent_to_the_employers_own_sign_in(public_client, tenant_a, seeker):
    public_client.force_login(seeker)

    response = public_client.get("/auth/continue/?" + urlencode({"tenant": "acme", "next": "/console/"}))

    assert response["Location"] == "http://acme.localhost/accounts/login/?next=/console/"


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"tenant": "acme", "next": "//evil.example/"}, 400),
        ({"tenant": "acme", "next": "https://evil.example/"}, 400),
        ({"tenant": "no-such-employer", "next": "/console/"}, 404),
        ({"tenant": "public", "next": "/console/"}, 404),
    ],
)
def test_bad_continue_requests_are_refused(public_client, tenant_a, query, status):
    public_client.force_login(owner_of(tenant_a))
    assert public_client.get("/auth/continue/?" + urlencode(query)).status_code == status


def test_a_seeker_signed_in_on_a_careers_site_follows_their_application_to_the_tracker_signed_in(
    client_for, public_client, tenant_a, seeker
):
    careers_site = client_for(tenant_a)
    careers_site.force_login(seeker)

    handed = careers_site.post("/auth/to-public/tracker/")
    arrived = follow_across(public_client, handed["Location"])

    assert handed["Location"].startswith("http://localhost/auth/handoff/?token=")
    assert arrived.status_code == 302 and arrived["Location"] == "/tracker/"
    assert public_client.get("/tracker/").status_code == 200
    # The link was for the public site and is used up: it signs no one in on the employer's host or again.
    assert follow_across(client_for(tenant_a), handed["Location"]).status_code == 400
    assert follow_across(public_client, handed["Location"]).status_code == 400


def test_the_tracker_link_needs_a_post_and_a_known_destination(client_for, tenant_a, seeker):
    careers_site = client_for(tenant_a)
    anonymous = careers_site.post("/auth/to-public/tracker/")
    careers_site.force_login(seeker)

    assert anonymous["Location"] == "http://localhost/tracker/"
    assert careers_site.get("/auth/to-public/tracker/").status_code == 405
    assert careers_site.post("/auth/to-public/billing/").status_code == 404
