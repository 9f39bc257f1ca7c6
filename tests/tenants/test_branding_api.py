"""GET/PUT /api/v1/employer/branding/: admins and owners of the host's tenant only; isolation between tenants;
bad input answers 4xx `{"detail", "code"}`."""

import json

import pytest
from ninja_jwt.tokens import AccessToken

from tenants.selectors import branding_for
from tests.conftest import owner_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("branding_plan")]

URL = "/api/v1/employer/branding/"
PAYLOAD = {
    "primary_color": "#9a3412",
    "primary_text_color": "#ffffff",
    "accent_color": "#1d4ed8",
    "font": "geometric",
    "hero_title": "Make things move",
    "hero_text": "Robots for warehouses.",
    "custom_css_variables": {"--radius": "4px"},
    "footer_links": [{"label": "Imprint", "url": "https://acme.example/imprint"}],
    "show_powered_by": True,
}


def put(client, payload, **headers):
    return client.put(URL, data=json.dumps(payload), content_type="application/json", **headers)


def signed_in(client_for, tenant, user):
    client = client_for(tenant)
    client.force_login(user)
    return client


def test_the_owner_reads_the_default_branding(client_for, tenant_a):
    response = signed_in(client_for, tenant_a, owner_of(tenant_a)).get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["primary_color"] == "#4338ca"
    assert body["logo_url"] is None
    assert body["show_powered_by"] is True


def test_the_owner_replaces_the_branding_and_the_portal_shows_it(client_for, tenant_a):
    client = signed_in(client_for, tenant_a, owner_of(tenant_a))
    response = put(client, PAYLOAD)
    assert response.status_code == 200, response.content
    assert response.json()["hero_title"] == "Make things move"
    assert response.json()["footer_links"] == PAYLOAD["footer_links"]

    page = client_for(tenant_a).get("/").content.decode()
    assert "--brand-primary:#9a3412;" in page
    assert "Make things move" in page


def test_an_app_client_with_a_bearer_token_may_replace_it(client_for, tenant_a):
    token = AccessToken.for_user(owner_of(tenant_a))
    response = put(client_for(tenant_a), PAYLOAD, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200


def test_an_unreadable_colour_pair_answers_422_naming_the_field(client_for, tenant_a):
    client = signed_in(client_for, tenant_a, owner_of(tenant_a))
    response = put(client, {**PAYLOAD, "primary_color": "#fde047"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "contrast_too_low"
    assert body["field"] == "primary_text_color"
    assert body["minimum"] == 4.5
    assert body["ratio"] < 4.5
    assert "contrast" in body["detail"]
    assert branding_for(tenant=tenant_a).pk is None


@pytest.mark.parametrize(
    "bad",
    [
        {"primary_color": "blue"},
        {"font": "comic-sans"},
        {"hero_title": "x" * 121},
        {"footer_links": [{"label": "", "url": "/"}]},
        {"footer_links": [{"label": "x", "url": "/"}] * 7},
        {"custom_css_variables": {f"--v{n}": "1px" for n in range(9)}},
        {"show_powered_by": "maybe"},
    ],
)
def test_malformed_input_answers_422_validation_error(client_for, tenant_a, bad):
    response = put(signed_in(client_for, tenant_a, owner_of(tenant_a)), {**PAYLOAD, **bad})
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


@pytest.mark.parametrize(
    ("bad", "code"),
    [
        ({"footer_links": [{"label": "x", "url": "javascript:alert(1)"}]}, "invalid_url"),
        ({"custom_css_variables": {"--radius": "1px}body{display:none"}}, "invalid_css_variable"),
    ],
)
def test_unsafe_values_answer_422_with_the_domain_code(client_for, tenant_a, bad, code):
    response = put(signed_in(client_for, tenant_a, owner_of(tenant_a)), {**PAYLOAD, **bad})
    assert response.status_code == 422
    assert response.json()["code"] == code


def test_a_body_that_is_not_json_answers_4xx_not_500(client_for, tenant_a):
    client = signed_in(client_for, tenant_a, owner_of(tenant_a))
    response = client.put(URL, data="{not json", content_type="application/json")
    assert 400 <= response.status_code < 500


def test_anonymous_callers_get_401(client_for, tenant_a):
    assert client_for(tenant_a).get(URL).status_code == 401
    assert put(client_for(tenant_a), PAYLOAD).status_code == 401


@pytest.mark.parametrize("role", ["viewer", "recruiter"])
def test_staff_below_admin_get_403(client_for, tenant_a, make_member, role):
    client = signed_in(client_for, tenant_a, make_member(tenant_a, role))
    assert client.get(URL).status_code == 403
    response = put(client, PAYLOAD)
    assert response.status_code == 403
    assert response.json()["code"] == "role_required"


def test_an_admin_may_replace_it(client_for, tenant_a, make_member):
    assert put(signed_in(client_for, tenant_a, make_member(tenant_a, "admin")), PAYLOAD).status_code == 200


def test_the_owner_of_one_tenant_gets_404_on_another_tenants_branding(client_for, tenant_a, tenant_b):
    client = signed_in(client_for, tenant_b, owner_of(tenant_a))
    assert client.get(URL).status_code == 404
    response = put(client, PAYLOAD)
    assert response.status_code == 404
    assert branding_for(tenant=tenant_b).pk is None


def test_branding_one_tenant_leaves_the_other_untouched(client_for, tenant_a, tenant_b):
    assert put(signed_in(client_for, tenant_a, owner_of(tenant_a)), PAYLOAD).status_code == 200
    other = signed_in(client_for, tenant_b, owner_of(tenant_b)).get(URL).json()
    assert other["primary_color"] == "#4338ca"
    assert "#9a3412" not in client_for(tenant_b).get("/").content.decode()


def test_the_public_domain_has_no_employer_branding(public_client, make_user):
    public_client.force_login(make_user())
    assert public_client.get(URL).status_code == 404
