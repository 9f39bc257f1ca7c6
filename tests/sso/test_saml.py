"""SAML single sign-on against a real SAML 2.0 IdP (pysaml2 in a child process, signing with xmlsec1)."""

import base64

import pytest
import requests

from jobpilot.core.errors import Invalid
from jobpilot.sso.models import SsoConnection
from jobpilot.sso.services import sso_saml_save
from tenants.models import Membership
from tests.conftest import TEST_PASSWORD, owner_of
from tests.servers import free_port
from tests.sso.conftest import Browser, form_of, idp_origin_of, sso_sign_in

pytestmark = pytest.mark.django_db


def test_first_sign_in_joins_the_team_with_the_default_role(saml_idp, saml_for, tenant_a, client_for):
    saml_for(tenant_a, email_domains="acme-corp.test", default_role="viewer")
    client = client_for(tenant_a)

    status, url, body = sso_sign_in(client, "sam@acme-corp.test", idp_origin=idp_origin_of(saml_idp))

    assert status == 200, body[:1500]
    assert url.endswith("/console/")
    membership = Membership.objects.get(tenant=tenant_a, user__email="sam@acme-corp.test")
    assert membership.role == Membership.Role.VIEWER
    assert membership.user.socialaccount_set.get().uid == "idp-sam@acme-corp.test"


def _acs_post(client, body: str, *, change=None):
    """Post the IdP's response form (optionally altered) to the ACS it names, following to the end."""
    action, fields = form_of(body)
    if change:
        fields["SAMLResponse"] = change(fields["SAMLResponse"])
    return Browser(client, "http://127.0.0.1:0").request("POST", action, fields)


def test_a_tampered_assertion_is_refused(saml_idp, saml_for, tenant_a, client_for):
    saml_for(tenant_a, email_domains="acme-corp.test")
    client = client_for(tenant_a)
    status, _url, body = sso_sign_in(
        client, "tess@acme-corp.test", idp_origin=idp_origin_of(saml_idp), submit=False
    )
    assert status == 200 and 'name="SAMLResponse"' in body

    def forge(response: str) -> str:
        xml = base64.b64decode(response).decode()
        assert "tess@acme-corp.test" in xml
        return base64.b64encode(xml.replace("tess@acme-corp.test", "boss@acme-corp.test").encode()).decode()

    status, _url, page = _acs_post(client, body, change=forge)
    assert status == 401 and "Third-Party Login Failure" in page
    assert not Membership.objects.filter(
        user__email__in=["tess@acme-corp.test", "boss@acme-corp.test"]
    ).exists()


def test_one_employers_assertion_cannot_sign_in_on_another(
    saml_idp, saml_for, tenant_a, tenant_b, client_for
):
    # Both employers trust the same IdP: a response made for A's service provider is still refused at B's.
    saml_for(tenant_a, email_domains="acme-corp.test")
    saml_for(tenant_b, email_domains="acme-corp.test")
    status, _url, body = sso_sign_in(
        client_for(tenant_a), "ann@acme-corp.test", idp_origin=idp_origin_of(saml_idp), submit=False
    )
    assert status == 200
    _action, fields = form_of(body)
    on_b = client_for(tenant_b)
    status, _url, page = Browser(on_b, "http://127.0.0.1:0").request(
        "POST", "/accounts/saml/sso-globex/acs/", fields
    )
    assert status == 401 and "Third-Party Login Failure" in page
    # A's endpoints do not exist on B's host.
    assert on_b.get("/accounts/saml/sso-acme/metadata/").status_code == 404
    assert on_b.post("/accounts/saml/sso-acme/login/").status_code == 404
    assert not Membership.objects.filter(user__email="ann@acme-corp.test").exists()


def test_console_saves_pasted_metadata_and_sso_required_holds(
    saml_idp, sso_plan, tenant_a, client_for, make_member
):
    xml = requests.get(saml_idp.metadata_url, timeout=10).text
    owner = client_for(tenant_a)
    owner.force_login(owner_of(tenant_a))
    form = {
        "protocol": "saml",
        "metadata_xml": xml,
        "entity_id": saml_idp.metadata_url,
        "email_domains": "acme-corp.test",
        "default_role": "recruiter",
        "require_sso": "on",
    }
    response = owner.post("/console/sso/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    connection = SsoConnection.objects.get(tenant=tenant_a)
    assert connection.protocol == "saml"
    assert connection.app.settings["idp"]["entity_id"] == saml_idp.metadata_url
    page = owner.get("/console/sso/").content.decode()
    assert "http://acme.localhost/accounts/saml/sso-acme/acs/" in page

    # Register JobPilot with the IdP, then a recruiter's password session is sent to SSO and an SSO one opens.
    metadata = client_for(tenant_a).get("/accounts/saml/sso-acme/metadata/")
    requests.post(f"{saml_idp.origin}/sp", data=metadata.content, timeout=10).raise_for_status()
    recruiter = make_member(tenant_a, "recruiter", email="rob@acme-corp.test")
    with_password = client_for(tenant_a)
    assert with_password.login(email=recruiter.email, password=TEST_PASSWORD)
    assert with_password.get("/console/").status_code == 302
    status, url, _ = sso_sign_in(client_for(tenant_a), recruiter.email, idp_origin=idp_origin_of(saml_idp))
    assert status == 200 and url.endswith("/console/")


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"metadata_xml": "<not-xml"}, "invalid_metadata"),
        (
            {"metadata_xml": "<EntityDescriptor xmlns='urn:oasis:names:tc:SAML:2.0:metadata'/>"},
            "invalid_metadata",
        ),
        ({"metadata_xml": ""}, "metadata_required"),
        ({"metadata_url": "http://127.0.0.1:{free}/metadata"}, "metadata_unreachable"),
        ({"metadata_url": "{metadata}", "entity_id": "https://someone-else.example/"}, "invalid_metadata"),
    ],
)
def test_bad_metadata_gets_a_clear_error(saml_idp, sso_plan, tenant_a, fields, code):
    values = {"metadata_url": "", "metadata_xml": "", "entity_id": ""}
    values |= {
        name: value.format(free=free_port(), metadata=saml_idp.metadata_url) for name, value in fields.items()
    }
    with pytest.raises(Invalid) as refused:
        sso_saml_save(
            actor=owner_of(tenant_a),
            tenant=tenant_a,
            email_domains="acme-corp.test",
            default_role="viewer",
            require_sso=False,
            **values,
        )
    assert refused.value.code == code
    assert not SsoConnection.objects.filter(tenant=tenant_a).exists()


def test_bad_metadata_xml_is_a_422_on_the_form(sso_plan, tenant_a, client_for):
    client = client_for(tenant_a)
    client.force_login(owner_of(tenant_a))
    response = client.post(
        "/console/sso/",
        {
            "protocol": "saml",
            "metadata_xml": "<md:broken",
            "email_domains": "acme-corp.test",
            "default_role": "viewer",
        },
    )
    assert response.status_code == 422
    assert b"This is not SAML metadata" in response.content
