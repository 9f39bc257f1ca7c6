"""One-time sign-in links from the public site to an employer's host: single use, short-lived, bound to one
tenant, safe under concurrent use."""

import threading
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from jobpilot.core.errors import Invalid
from jobpilot.portal.models import LoginHandoff
from jobpilot.portal.services import login_handoff_consume, login_handoff_create
from tests.conftest import owner_of

pytestmark = pytest.mark.django_db


def handoff_path(token: str) -> str:
    return f"/auth/handoff/?token={token}"


def test_a_handoff_signs_the_user_in_on_the_tenant_host_and_opens_the_console(client_for, tenant_a):
    owner = owner_of(tenant_a)
    client = client_for(tenant_a)
    response = client.get(handoff_path(login_handoff_create(actor=owner, tenant=tenant_a)))
    assert response.status_code == 302
    assert response["Location"] == "/console/"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    console = client.get("/console/")
    assert console.status_code == 200
    assert console.wsgi_request.user == owner


def test_only_a_hash_of_the_token_is_stored(tenant_a):
    token = login_handoff_create(actor=owner_of(tenant_a), tenant=tenant_a)
    assert not LoginHandoff.objects.filter(token_hash=token).exists()
    assert LoginHandoff.objects.get().token_hash != token


def test_a_handoff_works_only_once(client_for, tenant_a):
    token = login_handoff_create(actor=owner_of(tenant_a), tenant=tenant_a)
    assert client_for(tenant_a).get(handoff_path(token)).status_code == 302
    second = client_for(tenant_a).get(handoff_path(token))
    assert second.status_code == 400
    assert b"expired" in second.content
    assert not second.wsgi_request.user.is_authenticated


def test_an_expired_handoff_is_refused(client_for, tenant_a):
    token = login_handoff_create(actor=owner_of(tenant_a), tenant=tenant_a)
    LoginHandoff.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client_for(tenant_a).get(handoff_path(token)).status_code == 400


def test_a_handoff_made_for_one_tenant_does_not_sign_in_on_another(client_for, tenant_a, tenant_b):
    token = login_handoff_create(actor=owner_of(tenant_a), tenant=tenant_a)
    client = client_for(tenant_b)
    assert client.get(handoff_path(token)).status_code == 400
    assert not client.get("/").wsgi_request.user.is_authenticated
    # ... and the refusal did not use it up for its own tenant.
    assert client_for(tenant_a).get(handoff_path(token)).status_code == 302


@pytest.mark.parametrize("query", ["", "?token=", "?token=nonsense", "?token=" + "x" * 5000])
def test_a_missing_or_bogus_token_answers_a_page_not_an_error(client_for, tenant_a, query):
    assert client_for(tenant_a).get("/auth/handoff/" + query).status_code == 400


def test_a_deactivated_user_cannot_use_a_handoff(client_for, tenant_a, make_member):
    user = make_member(tenant_a, "admin")
    token = login_handoff_create(actor=user, tenant=tenant_a)
    user.is_active = False
    user.save()
    assert client_for(tenant_a).get(handoff_path(token)).status_code == 400


def test_a_destination_off_the_site_is_refused(tenant_a):
    for next_path in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        with pytest.raises(Invalid):
            login_handoff_create(actor=owner_of(tenant_a), tenant=tenant_a, next_path=next_path)


def test_old_handoffs_are_purged_when_new_ones_are_made(tenant_a):
    login_handoff_create(actor=owner_of(tenant_a), tenant=tenant_a)
    LoginHandoff.objects.update(expires_at=timezone.now() - timedelta(days=2))
    login_handoff_create(actor=owner_of(tenant_a), tenant=tenant_a)
    assert LoginHandoff.objects.count() == 1


def test_a_member_opens_a_console_from_the_public_site(tenant_a):
    client = Client(HTTP_HOST="localhost:8000")
    client.force_login(owner_of(tenant_a))
    response = client.post("/employers/acme/console/")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.netloc == "acme.localhost:8000"
    token = parse_qs(location.query)["token"][0]
    assert login_handoff_consume(token=token, tenant=tenant_a).user == owner_of(tenant_a)


def test_a_non_member_cannot_open_a_console_from_the_public_site(public_client, tenant_a, make_user):
    public_client.force_login(make_user())
    assert public_client.post("/employers/acme/console/").status_code == 404
    assert public_client.post("/employers/nobody-here/console/").status_code == 404
    assert not LoginHandoff.objects.exists()


def test_opening_a_console_needs_a_signed_in_post(public_client, tenant_a):
    response = public_client.post("/employers/acme/console/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    public_client.force_login(owner_of(tenant_a))
    assert public_client.get("/employers/acme/console/").status_code == 405


@pytest.mark.django_db(transaction=True)
def test_of_many_concurrent_uses_of_one_token_exactly_one_wins(tenant_a):
    token = login_handoff_create(actor=owner_of(tenant_a), tenant=tenant_a)
    barrier = threading.Barrier(8)
    outcomes = []

    def run():
        try:
            barrier.wait()
            login_handoff_consume(token=token, tenant=tenant_a)
            outcomes.append("signed in")
        except Invalid:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused"] * 7 + ["signed in"]
