"""A real OpenID Connect provider for the SSO tests: django-oauth-toolkit's OIDC support in its own small Django
project, on its own SQLite database, in a child process on a loopback port.

    python tests/sso/oidc_idp.py PORT CLIENT_ID:CLIENT_SECRET:REDIRECT_URI [...]

Its people are whoever signs in at /login/ with the password below (the account is made on the first sign-in,
with that address as its email): the tests choose who the IdP says a person is, the protocol is all real."""

import os
import sys
import tempfile
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import django
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings

IDP_PASSWORD = "idp-test-password"  # noqa: S105 - a throwaway local test IdP

LOGIN_PAGE = """<!doctype html><title>Test IdP</title>
<form method="post" action="/login/?{query}"><input name="username"><input name="password" type="password">
<button>Sign in</button></form>"""


class ClaimsValidator:
    """Filled in after setup (it subclasses DOT's validator, which needs configured settings)."""


def configure(port: int) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    settings.configure(
        DEBUG=False,
        SECRET_KEY="oidc-test-idp-only-0123456789abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "oauth2_provider",
        ],
        MIDDLEWARE=[
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ],
        DATABASES={
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": os.path.join(tempfile.mkdtemp(prefix="oidc-idp-"), "idp.sqlite3"),
            }
        },
        TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}],
        LOGIN_URL="/login/",
        USE_TZ=True,
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        OAUTH2_PROVIDER={
            "OIDC_ENABLED": True,
            "OIDC_RSA_PRIVATE_KEY": key.decode(),
            "OIDC_ISS_ENDPOINT": f"http://127.0.0.1:{port}/o",
            "PKCE_REQUIRED": True,
            "SCOPES": {"openid": "OpenID Connect", "profile": "Profile", "email": "Email"},
            "OAUTH2_VALIDATOR_CLASS": "__main__.ClaimsValidator",
        },
    )
    django.setup()
    from oauth2_provider.oauth2_validators import OAuth2Validator

    class _ClaimsValidator(OAuth2Validator):
        oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "email": "email", "email_verified": "email"}

        def get_additional_claims(self, request):
            return {"email": request.user.email, "email_verified": True, "name": request.user.email}

    global ClaimsValidator
    ClaimsValidator = _ClaimsValidator
    sys.modules["__main__"].ClaimsValidator = _ClaimsValidator


def login_view(request):
    from django.contrib.auth import get_user_model, login
    from django.http import HttpResponse, HttpResponseRedirect
    from django.utils.html import escape
    from django.utils.http import urlencode

    next_url = request.GET.get("next", "/")
    if request.method == "POST":
        email = request.POST.get("username", "").strip().lower()
        if request.POST.get("password") != IDP_PASSWORD or not email:
            return HttpResponse("wrong password", status=403)
        user, _ = get_user_model().objects.get_or_create(username=email, defaults={"email": email})
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return HttpResponseRedirect(next_url if next_url.startswith("/") else "/")
    return HttpResponse(LOGIN_PAGE.format(query=escape(urlencode({"next": next_url}))))


def register_clients(specs: list[str]) -> None:
    from oauth2_provider.models import Application

    for spec in specs:
        client_id, client_secret, redirect_uri = spec.split(":", 2)
        Application.objects.create(
            name=client_id,
            client_id=client_id,
            client_secret=client_secret,
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=redirect_uri,
            algorithm=Application.RS256_ALGORITHM,
            skip_authorization=True,
        )


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


urlpatterns: list = []


def main() -> None:
    port = int(sys.argv[1])
    configure(port)
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from django.urls import include, path
    from django.views.decorators.csrf import csrf_exempt

    urlpatterns.extend(
        [
            path("login/", csrf_exempt(login_view)),
            path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
        ]
    )
    call_command("migrate", verbosity=0, interactive=False)
    register_clients(sys.argv[2:])
    server = make_server(
        "127.0.0.1", port, get_wsgi_application(), server_class=_Server, handler_class=_QuietHandler
    )
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
