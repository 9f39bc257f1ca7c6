"""POST /api/v1/auth/register/ login/ refresh/ logout/: tokens, rotation, reuse detection, throttling."""

import threading

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import connection
from django.test import Client

from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def register(client, email="new.seeker@example.com", password=TEST_PASSWORD, **extra):
    return client.post(
        "/api/v1/auth/register/",
        {"email": email, "password": password, **extra},
        content_type="application/json",
    )


def login(client, email, password=TEST_PASSWORD, **headers):
    return client.post(
        "/api/v1/auth/login/",
        {"email": email, "password": password},
        content_type="application/json",
        **headers,
    )


def refresh(client, token):
    return client.post("/api/v1/auth/refresh/", {"refresh_token": token}, content_type="application/json")


def profile_with(access_token, host="localhost"):
    return Client(HTTP_HOST=host, HTTP_AUTHORIZATION=f"Bearer {access_token}").get("/api/v1/auth/profile/")


# --- register ---------------------------------------------------------------------------------------------------------


def test_registration_returns_tokens_that_open_the_profile(public_client):
    response = register(public_client, first_name="Ada", last_name="Lovelace")

    assert response.status_code == 201
    body = response.json()
    assert body["user"]["email"] == "new.seeker@example.com"
    assert body["user"]["display_name"] == "Ada Lovelace"
    assert body["email_verification_required"] is False
    assert profile_with(body["access_token"]).json()["email"] == "new.seeker@example.com"


def test_registration_creates_the_allauth_email_address_so_the_web_login_works(public_client):
    register(public_client, email="Web.User@Example.com")

    address = EmailAddress.objects.get(email="web.user@example.com")
    assert address.primary and not address.verified
    web = Client(HTTP_HOST="localhost")
    response = web.post("/accounts/login/", {"login": "web.user@example.com", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert web.get("/api/v1/auth/profile/").json()["email"] == "web.user@example.com"


def test_registration_sends_a_confirmation_email_after_commit(
    public_client, settings, django_capture_on_commit_callbacks
):
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"

    with django_capture_on_commit_callbacks(execute=True):
        register(public_client, email="confirm.me@example.com")

    assert [message.to for message in mail.outbox] == [["confirm.me@example.com"]]


def test_registration_with_mandatory_verification_gives_no_tokens_until_confirmed(public_client, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"

    body = register(public_client, email="must.confirm@example.com").json()

    assert body["email_verification_required"] is True
    assert body["access_token"] is None
    refused = login(public_client, "must.confirm@example.com")
    assert refused.status_code == 403
    assert refused.json()["code"] == "email_unverified"
    EmailAddress.objects.filter(email="must.confirm@example.com").update(verified=True)
    assert login(public_client, "must.confirm@example.com").status_code == 200


def test_registering_an_existing_email_in_any_case_is_a_conflict(public_client, make_user):
    make_user("taken@example.com")

    response = register(public_client, email="TAKEN@example.com")

    assert response.status_code == 409
    assert response.json()["code"] == "email_taken"


@pytest.mark.parametrize(
    ("password", "message"),
    [("short1", "too short"), ("password123", "too common"), ("8675309012", "entirely numeric")],
)
def test_registration_applies_djangos_password_validators(public_client, password, message):
    response = register(public_client, password=password)

    assert response.status_code == 422
    assert response.json()["code"] == "weak_password"
    assert message in response.json()["detail"]


def test_a_password_like_the_email_address_is_refused(public_client):
    response = register(
        public_client, email="marguerite.yourcenar@example.com", password="marguerite.yourcenar"
    )

    assert response.status_code == 422
    assert "too similar" in response.json()["detail"]


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"email": "not-an-email", "password": TEST_PASSWORD},
        {"email": "a@example.com"},
        {"email": "a@example.com", "password": ""},
        {"email": "a@example.com", "password": "x" * 129},
        {"email": "a@example.com", "password": TEST_PASSWORD, "first_name": "x" * 151},
    ],
)
def test_bad_registration_payloads_are_422(public_client, payload):
    response = public_client.post("/api/v1/auth/register/", payload, content_type="application/json")

    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_registration_is_throttled_per_ip(public_client, settings):
    settings.REGISTER_THROTTLE_PER_IP = 2
    assert register(public_client, email="one@example.com").status_code == 201
    assert register(public_client, email="two@example.com").status_code == 201

    response = register(public_client, email="three@example.com")

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_of_one_email_create_one_account(public_tenant):
    results = []

    def attempt():
        try:
            results.append(register(Client(HTTP_HOST="localhost"), email="race@example.com").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [201] + [409] * 7
    assert EmailAddress.objects.filter(email="race@example.com").count() == 1


# --- login ------------------------------------------------------------------------------------------------------------


def test_login_returns_access_and_refresh_tokens_and_the_user(public_client, seeker):
    response = login(public_client, seeker.email.upper())

    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 15 * 60
    assert body["user"] == {
        "id": seeker.pk,
        "email": seeker.email,
        "first_name": "Sam",
        "last_name": "Seeker",
        "display_name": "Sam Seeker",
        "email_verified": False,
        "time_zone": "",
    }
    assert profile_with(body["access_token"]).status_code == 200


def test_tokens_work_on_an_employer_domain_too(public_client, seeker, tenant_a):
    access = login(public_client, seeker.email).json()["access_token"]

    assert profile_with(access, host="acme.localhost").json()["email"] == seeker.email


def test_wrong_password_and_unknown_email_get_the_same_401(public_client, seeker):
    wrong = login(public_client, seeker.email, password="not-the-password")
    unknown = login(public_client, "nobody@example.com")

    assert wrong.status_code == unknown.status_code == 401
    assert (
        wrong.json()
        == unknown.json()
        == {
            "detail": "The email address or password is not correct.",
            "code": "invalid_credentials",
        }
    )


def test_an_inactive_user_cannot_log_in(public_client, make_user):
    user = make_user(is_active=False)

    assert login(public_client, user.email).status_code == 401


def test_the_refresh_token_is_not_an_access_token(public_client, seeker):
    tokens = login(public_client, seeker.email).json()

    assert profile_with(tokens["refresh_token"]).status_code == 401


def test_a_garbage_bearer_token_is_401(public_client):
    assert profile_with("not.a.jwt").status_code == 401


# --- throttling ---------------------------------------------------------------------------------------------------


def test_login_is_throttled_per_account_with_retry_after(public_client, seeker, settings):
    settings.LOGIN_THROTTLE_PER_EMAIL = 3
    for _ in range(3):
        assert login(public_client, seeker.email, password="guess").status_code == 401

    response = login(public_client, seeker.email)  # even the right password, once throttled

    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert 0 < int(response["Retry-After"]) <= settings.LOGIN_THROTTLE_WINDOW_SECONDS
    assert response["RateLimit-Limit"] == "3"
    assert response["RateLimit-Remaining"] == "0"


def test_the_account_throttle_holds_whichever_ip_the_guesses_come_from(public_client, seeker, settings):
    settings.LOGIN_THROTTLE_PER_EMAIL = 2
    for address in ("10.0.0.1", "10.0.0.2"):
        login(public_client, seeker.email, password="guess", REMOTE_ADDR=address)

    assert login(public_client, seeker.email, REMOTE_ADDR="10.0.0.3").status_code == 429


def test_login_is_throttled_per_ip_across_accounts(public_client, make_user, settings):
    settings.LOGIN_THROTTLE_PER_IP = 3
    users = [make_user() for _ in range(4)]
    for user in users[:3]:
        assert login(public_client, user.email, password="guess").status_code == 401

    assert login(public_client, users[3].email).status_code == 429
    assert login(public_client, users[3].email, REMOTE_ADDR="10.9.9.9").status_code == 200


def test_a_successful_login_clears_the_accounts_failed_attempts(public_client, seeker, settings):
    settings.LOGIN_THROTTLE_PER_EMAIL = 3
    for _ in range(2):
        login(public_client, seeker.email, password="guess")
    assert login(public_client, seeker.email).status_code == 200

    for _ in range(2):
        assert login(public_client, seeker.email, password="guess").status_code == 401
    assert login(public_client, seeker.email).status_code == 200


def test_the_ip_comes_from_x_forwarded_for_only_behind_trusted_proxies(public_client, seeker, settings):
    settings.LOGIN_THROTTLE_PER_IP = 1
    settings.TRUSTED_PROXY_HOPS = 0
    login(public_client, seeker.email, password="guess", HTTP_X_FORWARDED_FOR="1.1.1.1")
    # A forged header does not buy a fresh counter when no proxy is trusted.
    assert login(public_client, seeker.email, HTTP_X_FORWARDED_FOR="2.2.2.2").status_code == 429

    settings.TRUSTED_PROXY_HOPS = 1
    assert login(public_client, seeker.email, HTTP_X_FORWARDED_FOR="6.6.6.6, 3.3.3.3").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_concurrent_guesses_cannot_exceed_the_account_limit(make_user, public_tenant, settings):
    settings.LOGIN_THROTTLE_PER_EMAIL = 5
    user = make_user()
    statuses = []

    def guess():
        try:
            statuses.append(login(Client(HTTP_HOST="localhost"), user.email, password="guess").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=guess) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses.count(401) == 5
    assert statuses.count(429) == 15


# --- refresh and logout --------------------------------------------------------------------------------------------


def test_refresh_rotates_both_tokens(public_client, seeker):
    first = login(public_client, seeker.email).json()

    response = refresh(public_client, first["refresh_token"])

    assert response.status_code == 200
    second = response.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert profile_with(second["access_token"]).status_code == 200
    assert refresh(public_client, second["refresh_token"]).status_code == 200


def test_a_reused_refresh_token_is_rejected_and_revokes_the_whole_session(public_client, seeker):
    first = login(public_client, seeker.email).json()
    second = refresh(public_client, first["refresh_token"]).json()

    reuse = refresh(public_client, first["refresh_token"])

    assert reuse.status_code == 401
    assert reuse.json()["code"] == "token_reused"
    # Whoever holds the newer token (maybe the thief) is cut off too.
    assert refresh(public_client, second["refresh_token"]).status_code == 401


def test_reuse_revokes_the_users_other_logins_but_not_other_users(public_client, seeker, make_user):
    other_device = login(public_client, seeker.email).json()
    stolen = login(public_client, seeker.email).json()
    someone_else = make_user()
    unrelated = login(public_client, someone_else.email).json()
    refresh(public_client, stolen["refresh_token"])

    refresh(public_client, stolen["refresh_token"])

    assert refresh(public_client, other_device["refresh_token"]).status_code == 401
    assert refresh(public_client, unrelated["refresh_token"]).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_concurrent_refreshes_with_one_token_succeed_exactly_once(make_user, public_tenant):
    user = make_user()
    token = login(Client(HTTP_HOST="localhost"), user.email).json()["refresh_token"]
    statuses = []
    barrier = threading.Barrier(10)

    def use():
        try:
            barrier.wait()
            statuses.append(refresh(Client(HTTP_HOST="localhost"), token).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=use) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses.count(200) == 1
    assert statuses.count(401) == 9


@pytest.mark.parametrize("token", ["", "garbage", "a.b.c"])
def test_bad_refresh_tokens_are_rejected(public_client, token):
    response = refresh(public_client, token)

    assert response.status_code in (401, 422)
    assert "code" in response.json()


def test_an_access_token_cannot_be_used_to_refresh(public_client, seeker):
    access = login(public_client, seeker.email).json()["access_token"]

    response = refresh(public_client, access)

    assert response.status_code == 401
    assert response.json()["code"] == "token_invalid"


def test_logout_revokes_the_refresh_token(public_client, seeker):
    tokens = login(public_client, seeker.email).json()

    response = public_client.post(
        "/api/v1/auth/logout/", {"refresh_token": tokens["refresh_token"]}, content_type="application/json"
    )

    assert response.status_code == 204
    assert refresh(public_client, tokens["refresh_token"]).status_code == 401


def test_logout_on_all_devices_revokes_every_refresh_token(public_client, seeker):
    phone = login(public_client, seeker.email).json()
    laptop = login(public_client, seeker.email).json()

    public_client.post(
        "/api/v1/auth/logout/",
        {"refresh_token": laptop["refresh_token"], "all_devices": True},
        content_type="application/json",
    )

    assert refresh(public_client, phone["refresh_token"]).status_code == 401


def test_logout_with_an_invalid_token_is_401(public_client):
    response = public_client.post(
        "/api/v1/auth/logout/", {"refresh_token": "nope"}, content_type="application/json"
    )

    assert response.status_code == 401
