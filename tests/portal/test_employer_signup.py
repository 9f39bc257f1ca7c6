"""Employer sign-up on the public site: provisions a tenant owned by a new or signed-in user and sends the owner
into the console on the tenant's host; bad input re-renders the form (422), never a 500, never half an account."""

import threading
import uuid
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

from jobpilot.core.errors import Conflict
from jobpilot.portal.services import employer_signup
from tenants.models import Membership, Tenant
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.django_db

URL = "/employers/signup/"


def unique_slug() -> str:
    return "co-" + uuid.uuid4().hex[:10]


def form(**overrides):
    return {
        "name": "Initech",
        "slug": unique_slug(),
        "email": f"{uuid.uuid4().hex[:8]}@initech.example",
        "password1": TEST_PASSWORD,
        "password2": TEST_PASSWORD,
        **overrides,
    }


def test_the_sign_up_page_asks_for_company_and_account(public_client):
    page = public_client.get(URL).content.decode()
    for name in ('name="name"', 'name="slug"', 'name="email"', 'name="password1"'):
        assert name in page
    assert 'hx-get="/employers/signup/address/"' in page


def test_a_signed_in_user_is_asked_only_for_the_company(public_client, make_user):
    user = make_user()
    public_client.force_login(user)
    page = public_client.get(URL).content.decode()
    assert 'name="password1"' not in page
    assert user.email in page


def test_a_visitor_signs_up_and_lands_on_the_tenant_host_with_a_sign_in_link():
    client = Client(HTTP_HOST="localhost:8000")
    data = form(name="Initech Ltd")
    response = client.post(URL, data)

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert (location.scheme, location.netloc, location.path) == (
        "http",
        f"{data['slug']}.localhost:8000",
        "/auth/handoff/",
    )
    assert location.query.startswith("token=")
    tenant = Tenant.objects.get(slug=data["slug"])
    assert tenant.name == "Initech Ltd"
    owner = get_user_model().objects.get(email=data["email"])
    assert Membership.objects.get(tenant=tenant, user=owner).role == Membership.Role.OWNER
    # The new owner is signed in on the public site as well.
    assert client.get("/").wsgi_request.user == owner


def test_a_signed_in_user_becomes_owner_of_the_new_tenant(public_client, make_user):
    user = make_user()
    public_client.force_login(user)
    slug = unique_slug()
    response = public_client.post(URL, {"name": "Vandelay", "slug": slug})
    assert response.status_code == 302
    assert response["Location"].startswith(f"http://{slug}.localhost/auth/handoff/?token=")
    assert Membership.objects.get(tenant__slug=slug).user == user


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("ab", "at least 3 characters"),
        ("1abc", "lowercase letters"),
        ("a--b", "lowercase letters"),
        ("admin", "reserved"),
        ("acme", "already taken"),
    ],
)
def test_a_bad_address_re_renders_the_form_without_creating_the_account(
    public_client, tenant_a, slug, message
):
    data = form(slug=slug)
    response = public_client.post(URL, data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not get_user_model().objects.filter(email=data["email"]).exists()


def test_an_email_that_has_an_account_is_refused_and_no_tenant_is_made(public_client, make_user):
    existing = make_user()
    data = form(email=existing.email)
    response = public_client.post(URL, data)
    assert response.status_code == 422
    assert not Tenant.objects.filter(slug=data["slug"]).exists()


def test_a_weak_or_mismatched_password_is_refused(public_client):
    for passwords in ({"password1": "123", "password2": "123"}, {"password2": "something-else-entirely"}):
        data = form(**passwords)
        assert public_client.post(URL, data).status_code == 422
        assert not Tenant.objects.filter(slug=data["slug"]).exists()


def test_an_empty_post_answers_form_errors_not_a_500(public_client):
    response = public_client.post(URL, {})
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()


def test_the_address_check_says_whether_an_address_is_free(public_client, tenant_a):
    check = "/employers/signup/address/?slug="
    assert "is available" in public_client.get(check + "fresh-name").content.decode()
    assert "already taken" in public_client.get(check + "acme").content.decode()
    assert "reserved" in public_client.get(check + "www").content.decode()
    assert "lowercase letters" in public_client.get(check + "Bad Name!").content.decode()
    assert public_client.get(check + "x" * 500).status_code == 200
    assert public_client.get(check).content.strip() == b""


def test_employer_pages_do_not_exist_on_a_tenant_host(client_for, tenant_a):
    assert client_for(tenant_a).get(URL).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_two_sign_ups_racing_for_one_address_make_one_tenant(make_user):
    slug = unique_slug()
    owners = [make_user() for _ in range(4)]
    barrier = threading.Barrier(len(owners))
    outcomes = []

    def run(owner):
        try:
            barrier.wait()
            employer_signup(owner=owner, name="Racer", slug=slug)
            outcomes.append("created")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(owner,)) for owner in owners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["conflict", "conflict", "conflict", "created"]
    assert Tenant.objects.filter(slug=slug).count() == 1
    assert Membership.objects.filter(tenant__slug=slug).count() == 1


def test_a_taken_address_is_reported_together_with_account_errors(public_client, tenant_a):
    page = public_client.post(URL, form(slug="acme", email="not-an-email")).content.decode()
    assert "already taken" in page
    assert "Enter a valid email address." in page
