"""SAML single sign-on against a real SAML 2.0 IdP (pysaml2 in a child process, signing with xmlsec1)."""

import pytest

from tenants.models import Membership
from tests.sso.conftest import idp_origin_of, sso_sign_in

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
