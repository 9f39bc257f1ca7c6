"""django-allauth's pages with the portal's templates: sign-up, log-in, log-out and password reset work, and
errors come back as form errors."""

import re

import pytest
from django.core import mail

from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/accounts/login/", "Welcome back"),
        ("/accounts/signup/", "Create your account"),
        ("/accounts/password/reset/", "Password Reset"),
    ],
)
def test_account_pages_render_in_the_public_layout(public_client, path, heading):
    response = public_client.get(path)
    assert response.status_code == 200
    page = response.content.decode()
    assert heading in page
    assert 'class="wordmark"' in page
    assert "<label" in page


def test_a_seeker_signs_up_and_is_signed_in(public_client):
    response = public_client.post(
        "/accounts/signup/",
        {"email": "new.seeker@example.com", "password1": TEST_PASSWORD, "password2": TEST_PASSWORD},
    )
    assert response.status_code == 302
    assert public_client.get("/").wsgi_request.user.email == "new.seeker@example.com"


def test_a_wrong_password_shows_a_form_error(public_client, make_user):
    user = make_user()
    response = public_client.post("/accounts/login/", {"login": user.email, "password": "wrong-password-1"})
    assert response.status_code == 200
    assert "form-error" in response.content.decode()


def test_log_in_and_log_out(public_client, make_user):
    user = make_user()
    assert (
        public_client.post("/accounts/login/", {"login": user.email, "password": TEST_PASSWORD}).status_code
        == 302
    )
    assert public_client.get("/").wsgi_request.user == user
    assert public_client.post("/accounts/logout/").status_code == 302
    assert not public_client.get("/").wsgi_request.user.is_authenticated


def test_password_reset_sends_a_link_that_sets_a_new_password(public_client, make_user):
    user = make_user()
    response = public_client.post("/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://localhost(/accounts/password/reset/key/\S+)", mail.outbox[0].body).group(1)
    form_page = public_client.get(link, follow=True)
    assert form_page.status_code == 200
    assert "Change Password" in form_page.content.decode()
    done = public_client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"password1": "a-brand-new-passphrase-77", "password2": "a-brand-new-passphrase-77"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-brand-new-passphrase-77")
