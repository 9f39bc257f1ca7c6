"""SSO tests: real identity providers in child processes (OIDC: django-oauth-toolkit; SAML: pysaml2), and a
client that follows a sign-in's redirects across both sides: requests to the IdP go over HTTP to its port, those
to JobPilot through Django's test client on the tenant's host."""

import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from tests.servers import free_port, wait_for_port
from tests.sso.oidc_idp import IDP_PASSWORD

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TENANT_SLUGS = ("acme", "globex")


@dataclass
class OidcIdp:
    issuer: str
    port: int

    def client(self, slug: str) -> tuple[str, str]:
        return f"jobpilot-{slug}", f"secret-of-{slug}-0123456789"


def start_idp(args: list[str], port: int):
    """The IdP's output goes to a log file under the system's temp directory (its tracebacks, when a test fails)."""
    log = tempfile.NamedTemporaryFile(prefix=f"{Path(args[0]).stem}-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen([sys.executable, *args], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, timeout=60)
    except RuntimeError:
        process.kill()
        raise RuntimeError(f"the IdP did not start: {Path(log.name).read_text()}") from None
    return process


@pytest.fixture(scope="session")
def oidc_idp():
    port = free_port()
    clients = []
    for slug in TENANT_SLUGS:
        client_id, secret = OidcIdp("", port).client(slug)
        clients.append(
            f"{client_id}:{secret}:http://{slug}.localhost/accounts/oidc/sso-{slug}/login/callback/"
        )
    process = start_idp([str(HERE / "oidc_idp.py"), str(port), *clients], port)
    yield OidcIdp(issuer=f"http://127.0.0.1:{port}/o", port=port)
    process.terminate()
    process.wait(timeout=10)


@dataclass
class SamlIdp:
    port: int

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def metadata_url(self) -> str:
        return f"{self.origin}/metadata"


@pytest.fixture(scope="session")
def saml_idp():
    if shutil.which("xmlsec1") is None:
        pytest.fail(
            "The SAML tests' IdP needs Debian's xmlsec1: `apt-get install xmlsec1` (`make test` does it)."
        )
    port = free_port()
    process = start_idp([str(HERE / "saml_idp.py"), str(port)], port)
    yield SamlIdp(port=port)
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def saml_for(saml_idp, sso_plan, client_for):
    """`saml_for(tenant, **policy)`: the tenant's SSO set to the local SAML IdP (metadata read from its URL)."""
    from jobpilot.sso.services import sso_saml_save
    from tests.conftest import owner_of

    def configure(tenant, *, email_domains=None, default_role="recruiter", require_sso=False):
        connection = sso_saml_save(
            actor=owner_of(tenant),
            tenant=tenant,
            metadata_url=saml_idp.metadata_url,
            metadata_xml="",
            entity_id="",
            email_domains=email_domains or f"{tenant.slug}-corp.test",
            default_role=default_role,
            require_sso=require_sso,
        )
        # The IdP learns of JobPilot from the SP metadata allauth serves for this employer.
        metadata = client_for(tenant).get(f"/accounts/saml/{connection.provider_id}/metadata/")
        assert metadata.status_code == 200
        requests.post(f"{saml_idp.origin}/sp", data=metadata.content, timeout=10).raise_for_status()
        return connection

    return configure


@pytest.fixture
def sso_plan(on_plan, tenant_a, tenant_b):
    """Both test employers on Enterprise, the plan that includes single sign-on."""
    on_plan(tenant_a, "employer_enterprise")
    on_plan(tenant_b, "employer_enterprise")


@pytest.fixture
def oidc_for(oidc_idp, sso_plan):
    """`oidc_for(tenant, **policy)`: the tenant's SSO set to its client at the local OIDC IdP, by its owner."""
    from jobpilot.sso.services import sso_oidc_save
    from tests.conftest import owner_of

    def configure(tenant, *, email_domains=None, default_role="recruiter", require_sso=False):
        client_id, secret = oidc_idp.client(tenant.slug)
        return sso_oidc_save(
            actor=owner_of(tenant),
            tenant=tenant,
            issuer=oidc_idp.issuer,
            client_id=client_id,
            client_secret=secret,
            email_domains=email_domains or f"{tenant.slug}-corp.test",
            default_role=default_role,
            require_sso=require_sso,
        )

    return configure


_FORM = re.compile(r"<form[^>]*action=\"([^\"]*)\"[^>]*>(.*?)</form>", re.S | re.I)
_INPUT = re.compile(r"<input[^>]*name=\"([^\"]+)\"[^>]*value=\"([^\"]*)\"", re.I)


def form_of(html: str, form_id: str | None = None) -> tuple[str, dict]:
    """The action and hidden inputs of the page's form (the one with `form_id`, else the first)."""
    for match in _FORM.finditer(html):
        if form_id and f'id="{form_id}"' not in match.group(0)[:300]:
            continue
        return unescape(match.group(1)), {
            name: unescape(value) for name, value in _INPUT.findall(match.group(2))
        }
    raise AssertionError(f"no form {form_id or ''} in {html[:500]}")


class Browser:
    """Follows redirects (and auto-submitted POST forms) between JobPilot's test client and a real IdP."""

    def __init__(self, client, idp_origin: str, *, submit_saml_responses: bool = True):
        self.client = client
        self.idp = requests.Session()
        self.idp_origin = idp_origin
        self.submit_saml_responses = (
            submit_saml_responses  # False: stop at the IdP's form (to tamper, replay)
        )

    def _ours(self, method: str, url: str, data=None):
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        call = self.client.post if method == "POST" else self.client.get
        response = call(path, data or {})
        return response.status_code, response.get("Location"), response.content.decode(errors="replace")

    def _theirs(self, method: str, url: str, data=None):
        response = self.idp.request(method, url, data=data, allow_redirects=False, timeout=10)
        return response.status_code, response.headers.get("Location"), response.text

    def request(self, method: str, url: str, data=None, *, max_hops: int = 15):
        """The final (status, url, body) after following redirects from `url`."""
        for _hop in range(max_hops):
            if url.startswith("/"):
                url = f"http://{self.client.defaults['HTTP_HOST']}{url}"
            side = self._theirs if url.startswith(self.idp_origin) else self._ours
            status, location, body = side(method, url, data)
            if status in (301, 302, 303) and location:
                if location.startswith("/") and side == self._theirs:
                    location = self.idp_origin + location
                method, url, data = "GET", location, None
                continue
            if (
                status == 200 and 'name="SAMLResponse"' in body and self.submit_saml_responses
            ):  # the IdP's auto-submitting POST-binding form
                method, (url, data) = "POST", form_of(body)
                continue
            return status, url, body
        raise AssertionError("too many redirects")


def sso_sign_in(client, email: str, *, idp_origin: str, next_path: str = "/console/", submit: bool = True):
    """Sign in on `client`'s tenant host through its SSO page, as `email` at the IdP. Returns (status, url, body)
    of the page the flow ends on (with `submit=False`, the SAML IdP's response form, not posted)."""
    browser = Browser(client, idp_origin, submit_saml_responses=submit)
    status, url, body = browser.request("GET", f"/auth/sso/?next={next_path}")
    assert status == 200, body[:500]
    action, fields = form_of(body, "sso-start")
    status, url, body = browser.request("POST", action, fields)
    if url.startswith(idp_origin) and status == 200:  # the IdP asks who you are
        action, fields = form_of(body)
        action = action if action.startswith("http") else idp_origin + action
        status, url, body = browser.request(
            "POST", action, {**fields, "username": email, "password": IDP_PASSWORD}
        )
    return status, url, body


def idp_origin_of(idp) -> str:
    return f"http://127.0.0.1:{idp.port}"
