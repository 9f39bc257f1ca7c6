"""The employer console on a tenant's host: members only (others get 404, anonymous the sign-in page), branding
settings for admins, bad input answers the form with errors (422), never a 500."""

import re
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tenants.selectors import branding_for
from tests.conftest import owner_of
from tests.tenants.test_branding import PNG

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("branding_plan")]

BRANDING = "/console/branding/"


def signed_in(client_for, tenant, user):
    client = client_for(tenant)
    client.force_login(user)
    return client


def branding_form(**overrides):
    data = {
        "primary_color": "#9a3412",
        "primary_text_color": "#ffffff",
        "accent_color": "#1d4ed8",
        "font": "rounded",
        "hero_title": "Build robots with us",
        "hero_text": "We make warehouse robots.",
        "custom_css_variables": "--radius: 14px\n--heading-weight: 800;",
        "show_powered_by": "on",
        "links-TOTAL_FORMS": "2",
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "6",
        "links-0-label": "Our website",
        "links-0-url": "https://acme.example/",
        "links-1-label": "",
        "links-1-url": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.parametrize("path", ["/console/", BRANDING, BRANDING + "preview/"])
def test_anonymous_visitors_are_asked_on_the_public_site_first(client_for, tenant_a, path):
    response = client_for(tenant_a).get(path)
    assert response.status_code == 302
    # Asked on the public site first: signed in there, the visitor comes back signed in (ADR 0009).
    assert (
        response["Location"]
        == f"http://localhost/auth/continue/?{urlencode({'tenant': 'acme', 'next': path})}"
    )


@pytest.mark.parametrize("path", ["/console/", BRANDING, BRANDING + "preview/"])
def test_a_signed_in_non_member_gets_404(client_for, tenant_a, make_user, path):
    assert signed_in(client_for, tenant_a, make_user()).get(path).status_code == 404


@pytest.mark.parametrize("path", ["/console/", BRANDING])
def test_the_owner_of_one_tenant_gets_404_on_another_tenants_console(client_for, tenant_a, tenant_b, path):
    assert signed_in(client_for, tenant_b, owner_of(tenant_a)).get(path).status_code == 404
    post = signed_in(client_for, tenant_b, owner_of(tenant_a)).post(BRANDING, branding_form())
    assert post.status_code == 404
    assert branding_for(tenant=tenant_b).pk is None


def test_the_console_does_not_exist_on_the_public_domain(public_client, make_user):
    public_client.force_login(make_user())
    assert public_client.get("/console/").status_code == 404


def test_the_overview_shows_the_site_address_and_the_team(client_for, tenant_a, make_member):
    recruiter = make_member(tenant_a, "recruiter")
    page = signed_in(client_for, tenant_a, owner_of(tenant_a)).get("/console/").content.decode()
    assert "http://acme.localhost/" in page
    assert recruiter.email in page
    assert "Recruiter" in page
    assert 'href="/console/branding/"' in page


def test_a_viewer_sees_the_overview_without_a_branding_link_and_cannot_open_it(
    client_for, tenant_a, make_member
):
    client = signed_in(client_for, tenant_a, make_member(tenant_a, "viewer"))
    page = client.get("/console/")
    assert page.status_code == 200
    assert 'href="/console/branding/"' not in page.content.decode()
    assert client.get(BRANDING).status_code == 403
    assert client.get(BRANDING + "preview/").status_code == 403
    assert client.post(BRANDING, branding_form()).status_code == 403


def test_the_console_links_only_pages_that_exist(client_for, tenant_a):
    client = signed_in(client_for, tenant_a, owner_of(tenant_a))
    page = client.get("/console/").content.decode()
    for href in set(re.findall(r'href="(/[^"#]*)"', page)):
        if href.startswith("/static/"):
            continue
        assert client.get(href).status_code == 200, href


def test_an_admin_saves_the_branding_and_the_careers_site_shows_it(client_for, tenant_a, make_member):
    client = signed_in(client_for, tenant_a, make_member(tenant_a, "admin"))
    response = client.post(BRANDING, branding_form())
    assert response.status_code == 302
    assert response["Location"] == BRANDING
    assert "Branding saved" in client.get(BRANDING).content.decode()

    careers = client_for(tenant_a).get("/").content.decode()
    assert "--brand-primary:#9a3412;" in careers
    assert "--radius:14px;" in careers
    assert "--heading-weight:800;" in careers
    assert "Build robots with us" in careers
    assert 'href="https://acme.example/"' in careers
    assert "Powered by" in careers


def test_hiding_powered_by_removes_it_from_the_careers_site(client_for, tenant_a):
    client = signed_in(client_for, tenant_a, owner_of(tenant_a))
    assert client.post(BRANDING, branding_form(show_powered_by=None)).status_code == 302
    assert "Powered by" not in client_for(tenant_a).get("/").content.decode()


def test_an_unreadable_colour_pair_is_refused_with_the_reason(client_for, tenant_a):
    client = signed_in(client_for, tenant_a, owner_of(tenant_a))
    response = client.post(BRANDING, branding_form(primary_color="#ffff00"))
    assert response.status_code == 422
    page = response.content.decode()
    assert "contrast 1.07:1 is too low to read" in page
    assert 'aria-invalid="true"' in page
    assert branding_for(tenant=tenant_a).pk is None


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"primary_color": "#12345g"}, "#rrggbb"),
        ({"primary_color": "not-a-colour"}, "at most 7 characters"),
        ({"custom_css_variables": "radius 12px"}, "Line 1"),
        ({"custom_css_variables": "--brand-primary: #ffff00"}, "not a token you can change"),
        ({"links-0-url": "javascript:alert(1)"}, "http(s) address"),
        ({"links-0-url": ""}, "both a label and an address"),
        ({"font": "papyrus"}, "Select a valid choice"),
        ({"hero_title": "x" * 121}, "at most 120 characters"),
        ({"links-TOTAL_FORMS": "9"}, "6"),
        ({"links-TOTAL_FORMS": None}, "ManagementForm data is missing"),
    ],
)
def test_bad_input_re_renders_the_form_with_errors(client_for, tenant_a, overrides, message):
    response = signed_in(client_for, tenant_a, owner_of(tenant_a)).post(BRANDING, branding_form(**overrides))
    assert response.status_code == 422
    assert message in response.content.decode()


def test_a_logo_upload_is_shown_on_the_careers_site_and_can_be_removed(client_for, tenant_a, media_root):
    client = signed_in(client_for, tenant_a, owner_of(tenant_a))
    upload = SimpleUploadedFile("logo.png", PNG, content_type="image/png")
    assert client.post(BRANDING, {**branding_form(), "logo": upload}).status_code == 302
    logo_url = branding_for(tenant=tenant_a).logo.url
    assert f'src="{logo_url}"' in client_for(tenant_a).get("/").content.decode()
    assert client_for(tenant_a).get(logo_url).status_code == 200

    assert client.post(BRANDING, {**branding_form(), "remove_logo": "on"}).status_code == 302
    assert not branding_for(tenant=tenant_a).logo


def test_a_file_that_is_not_an_image_is_refused_as_logo(client_for, tenant_a, media_root):
    client = signed_in(client_for, tenant_a, owner_of(tenant_a))
    upload = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png")
    response = client.post(BRANDING, {**branding_form(), "logo": upload})
    assert response.status_code == 422
    assert "The image must be one of" in response.content.decode()


def test_the_preview_reports_contrast_of_the_colours_being_edited(client_for, tenant_a):
    client = signed_in(client_for, tenant_a, owner_of(tenant_a))
    bad = client.get(
        BRANDING + "preview/?primary_color=%23ffff00&primary_text_color=%23ffffff&accent_color=%230f766e"
    )
    assert bad.status_code == 200
    assert "1.07:1 · too low" in bad.content.decode()
    good = client.get(BRANDING + "preview/?primary_color=%23000000")
    assert "21.00:1 · readable" in good.content.decode()


def test_the_preview_ignores_values_that_are_not_colours(client_for, tenant_a):
    client = signed_in(client_for, tenant_a, owner_of(tenant_a))
    response = client.get(BRANDING + 'preview/?primary_color=red;background:url(x)&font="><script>')
    assert response.status_code == 200
    page = response.content.decode()
    assert "url(x)" not in page
    assert "<script>" not in page
