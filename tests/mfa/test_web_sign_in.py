"""Two-factor sign-in on the web (allauth.mfa's pages, in the host's layout): enrolling an authenticator app from
its QR code, signing in with a code on the public site and on an employer's host, recovery codes, refusals."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY

from tests.conftest import TEST_PASSWORD
from tests.mfa.conftest import NOW, STEP, code_at

pytestmark = pytest.mark.django_db
ACTIVATE = "/accounts/2fa/totp/activate/"
# What a broken or hostile browser might post instead of a WebAuthn credential.
MALFORMED_CREDENTIALS = [
    "not json",
    "{}",
    "[1, 2]",
    '"text"',
    '{"id": "x", "response": {}}',
    '{"id": "AA", "rawId": "AA", "type": "public-key", "response": {"clientDataJSON": "AA", "attestationObject": "AA",'
    ' "authenticatorData": "AA", "signature": "AA"}}',
]
AUTHENTICATE = "/accounts/2fa/authenticate/"


def password_step(client, user):
    return client.post("/accounts/login/", {"login": user.email, "password": TEST_PASSWORD})


def confirm_password(client):
    """allauth asks for the password again before a second factor is added (a left-open session cannot)."""
    answer = client.post("/accounts/reauthenticate/", {"password": TEST_PASSWORD})
    assert answer.status_code == 302, answer.content


def test_a_seeker_enrols_an_authenticator_app_from_the_qr_code(public_client, make_user, verified, clock):
    user = verified(make_user())
    assert password_step(public_client, user).status_code == 302
    assert public_client.get(ACTIVATE)["Location"].startswith("/accounts/reauthenticate/")
    confirm_password(public_client)
    page = public_client.get(ACTIVATE)
    assert page.status_code == 200
    assert b'class="mfa-qr" src="data:image/svg+xml;base64,' in page.content
    secret = public_client.session[SECRET_SESSION_KEY]
    assert secret.encode() in page.content  # typed by hand when the camera cannot read the code

    wrong = public_client.post(ACTIVATE, {"code": "000000"})
    assert wrong.status_code == 200 and b"Incorrect code" in wrong.content
    assert not Authenticator.objects.filter(user=user).exists()

    done = public_client.post(ACTIVATE, {"code": code_at(secret, NOW)})
    assert done.status_code == 302 and done["Location"] == "/accounts/2fa/recovery-codes/"
    totp = Authenticator.objects.get(user=user, type="totp")
    assert Authenticator.objects.filter(user=user, type="recovery_codes").exists()
    # Encrypted at rest: the stored value is a Fernet token, not the secret.
    assert secret not in totp.data["secret"] and totp.wrap().validate_code(code_at(secret, NOW + STEP))
    codes_page = public_client.get("/accounts/2fa/recovery-codes/")
    assert codes_page.status_code == 200 and b"Your account" in codes_page.content


def test_an_empty_activation_code_is_refused(public_client, make_user, verified):
    user = verified(make_user())
    password_step(public_client, user)
    confirm_password(public_client)
    public_client.get(ACTIVATE)
    answer = public_client.post(ACTIVATE, {"code": ""})
    assert answer.status_code == 200 and not Authenticator.objects.filter(user=user).exists()


def test_signing_in_asks_for_the_code_after_the_password(public_client, make_user, with_totp, clock):
    user = make_user()
    secret, _codes = with_totp(user)
    step = password_step(public_client, user)
    assert step.status_code == 302 and step["Location"] == AUTHENTICATE
    assert "_auth_user_id" not in public_client.session  # the password alone signs no one in
    assert public_client.get("/dashboard/").status_code == 302

    wrong = public_client.post(AUTHENTICATE, {"code": "111111"})
    assert wrong.status_code == 200 and b"Incorrect code" in wrong.content
    assert "_auth_user_id" not in public_client.session

    done = public_client.post(AUTHENTICATE, {"code": code_at(secret, NOW)})
    assert done.status_code == 302 and int(public_client.session["_auth_user_id"]) == user.pk


def test_an_employers_host_asks_for_the_code_too(client_for, tenant_a, member, with_totp, clock):
    user = member(tenant_a)
    secret, _codes = with_totp(user)
    client = client_for(tenant_a)
    assert password_step(client, user)["Location"] == AUTHENTICATE
    page = client.get(AUTHENTICATE)
    assert page.status_code == 200 and b"Acme Corp" in page.content  # the employer's layout
    client.post(AUTHENTICATE, {"code": code_at(secret, NOW)})
    assert client.get("/console/").status_code == 200


def test_a_recovery_code_signs_in_once(client_for, make_user, with_totp, clock):
    user = make_user()
    _secret, codes = with_totp(user)
    first = client_for()
    password_step(first, user)
    assert first.post(AUTHENTICATE, {"code": codes[3]}).status_code == 302
    assert int(first.session["_auth_user_id"]) == user.pk

    second = client_for()
    password_step(second, user)
    again = second.post(AUTHENTICATE, {"code": codes[3]})
    assert again.status_code == 200 and "_auth_user_id" not in second.session


def test_the_authenticate_page_needs_the_password_step_first(public_client):
    assert public_client.get(AUTHENTICATE)["Location"].startswith("/accounts/login/")


def test_the_account_menu_links_two_factor_settings(public_client, make_user):
    user = make_user()
    public_client.force_login(user)
    assert b'href="/accounts/2fa/"' in public_client.get("/dashboard/").content


def test_a_password_reset_link_does_not_skip_the_second_factor(
    public_client, make_user, with_totp, clock, mailoutbox
):
    """ACCOUNT_LOGIN_ON_PASSWORD_RESET signs people in after a reset: with a second factor, only after the code."""
    import re

    user = make_user()
    secret, _codes = with_totp(user)
    public_client.post("/accounts/password/reset/", {"email": user.email})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mailoutbox[-1].body).group(1)
    form_page = public_client.get(link, follow=True)
    new_password = "another-horse-battery-staple-77"
    done = public_client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"password1": new_password, "password2": new_password},
    )
    assert done.status_code == 302 and done["Location"] == AUTHENTICATE
    assert "_auth_user_id" not in public_client.session
    public_client.post(AUTHENTICATE, {"code": code_at(secret, NOW)})
    assert int(public_client.session["_auth_user_id"]) == user.pk


@pytest.mark.parametrize("credential", MALFORMED_CREDENTIALS)
def test_a_malformed_security_key_answer_is_refused(public_client, make_user, verified, credential):
    user = verified(make_user())
    password_step(public_client, user)
    confirm_password(public_client)
    assert public_client.get("/accounts/2fa/webauthn/add/").status_code == 200
    answer = public_client.post("/accounts/2fa/webauthn/add/", {"name": "Key", "credential": credential})
    assert answer.status_code == 200 and not Authenticator.objects.filter(user=user).exists()


@pytest.mark.parametrize("credential", MALFORMED_CREDENTIALS)
def test_a_malformed_security_key_answer_at_sign_in_is_refused(
    public_client, make_user, with_totp, credential
):
    user = make_user()
    with_totp(user)
    password_step(public_client, user)
    assert public_client.get(AUTHENTICATE).status_code == 200
    answer = public_client.post(AUTHENTICATE, {"credential": credential})
    assert answer.status_code == 200 and "_auth_user_id" not in public_client.session
