"""POST /api/v1/auth/login/ for an account with two-factor sign-in: the password alone gets no tokens; a current
TOTP code or an unused recovery code does; wrong codes are refused and throttled; bad input is a 422."""

import pytest
from allauth.mfa.models import Authenticator

from tests.conftest import TEST_PASSWORD
from tests.mfa.conftest import NOW, STEP, code_at

pytestmark = pytest.mark.django_db
LOGIN = "/api/v1/auth/login/"


def login(client, user, **extra):
    return client.post(
        LOGIN, {"email": user.email, "password": TEST_PASSWORD, **extra}, content_type="application/json"
    )


def test_an_account_without_a_second_factor_signs_in_with_its_password(public_client, make_user):
    answer = login(public_client, make_user())
    assert answer.status_code == 200 and answer.json()["access_token"]


def test_the_password_alone_is_refused_when_the_account_has_totp(public_client, make_user, with_totp, clock):
    user = make_user()
    with_totp(user)
    answer = login(public_client, user)
    assert answer.status_code == 401 and answer.json()["code"] == "mfa_required"
    assert "access_token" not in answer.json()


def test_a_current_code_gets_tokens_and_cannot_be_replayed(public_client, make_user, with_totp, clock):
    user = make_user()
    secret, _codes = with_totp(user)
    code = code_at(secret, NOW)
    answer = login(public_client, user, code=code)
    assert answer.status_code == 200 and answer.json()["user"]["email"] == user.email
    assert Authenticator.objects.get(user=user, type="totp").last_used_at is not None
    replayed = login(public_client, user, code=code)
    assert replayed.status_code == 401 and replayed.json()["code"] == "mfa_code_invalid"


def test_a_wrong_or_stale_code_is_refused(public_client, make_user, with_totp, clock):
    user = make_user()
    secret, _codes = with_totp(user)
    assert login(public_client, user, code="000000").json()["code"] == "mfa_code_invalid"
    stale = code_at(secret, NOW - 5 * STEP)  # two and a half minutes old: outside the one-step tolerance
    answer = login(public_client, user, code=stale)
    assert answer.status_code == 401 and answer.json()["code"] == "mfa_code_invalid"


def test_a_code_with_a_wrong_password_is_still_refused(public_client, make_user, with_totp, clock):
    user = make_user()
    secret, _codes = with_totp(user)
    answer = public_client.post(
        LOGIN,
        {"email": user.email, "password": "not-it", "code": code_at(secret, NOW)},
        content_type="application/json",
    )
    assert answer.status_code == 401 and answer.json()["code"] == "invalid_credentials"


def test_a_recovery_code_works_once(public_client, make_user, with_totp, clock):
    user = make_user()
    _secret, codes = with_totp(user)
    assert login(public_client, user, code=codes[0]).status_code == 200
    again = login(public_client, user, code=codes[0])
    assert again.status_code == 401 and again.json()["code"] == "mfa_code_invalid"
    assert login(public_client, user, code=codes[1]).status_code == 200


def test_code_guesses_are_throttled_per_account(public_client, make_user, with_totp, clock, settings):
    settings.LOGIN_THROTTLE_PER_EMAIL = 3
    user = make_user()
    secret, _codes = with_totp(user)
    for _ in range(3):
        assert login(public_client, user, code="123456").status_code == 401
    answer = login(public_client, user, code=code_at(secret, NOW))
    assert answer.status_code == 429 and answer["Retry-After"]


@pytest.mark.parametrize("code", ["", "9" * 65, 123456, ["123456"]])
def test_a_malformed_code_is_a_422(public_client, make_user, code):
    answer = login(public_client, make_user(), code=code)
    assert answer.status_code == 422
