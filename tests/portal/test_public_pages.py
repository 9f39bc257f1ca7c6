"""The public site's landing page and the media files it serves."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tenants.services import branding_update
from tests.conftest import owner_of
from tests.tenants.test_branding import PNG, READABLE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("branding_plan")]


def test_the_landing_page_explains_the_three_offers(public_client):
    response = public_client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    for offer in ("For job seekers", "For employers", "For API customers"):
        assert offer in page
    assert 'href="/employers/signup/"' in page
    assert 'href="/accounts/signup/"' in page
    assert 'href="/api/v1/docs"' in page


def test_a_signed_in_member_sees_buttons_into_their_consoles(public_client, tenant_a, tenant_b):
    public_client.force_login(owner_of(tenant_a))
    page = public_client.get("/").content.decode()
    assert "Your employer consoles" in page
    assert 'action="/employers/acme/console/"' in page
    assert "/employers/globex/console/" not in page


def test_a_visitor_sees_no_consoles_panel(public_client):
    assert "Your employer consoles" not in public_client.get("/").content.decode()


def test_the_landing_page_does_not_exist_on_a_tenant_host_the_careers_site_does(client_for, tenant_a):
    page = client_for(tenant_a).get("/").content.decode()
    assert "three ways in" not in page
    assert "Careers at Acme Corp" in page


def test_a_branding_image_is_served_with_its_type_and_no_script_rights(public_client, tenant_a, media_root):
    logo = branding_update(
        actor=owner_of(tenant_a), tenant=tenant_a, **READABLE, logo=SimpleUploadedFile("l.png", PNG)
    ).logo
    response = public_client.get(logo.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert b"".join(response.streaming_content) == PNG


@pytest.mark.parametrize(
    "path", ["/media/resumes/secret.pdf", "/media/branding/../resumes/x.png", "/media/branding/missing.png"]
)
def test_only_existing_branding_images_are_served(public_client, media_root, path):
    (media_root / "resumes").mkdir(parents=True)
    (media_root / "resumes" / "secret.pdf").write_bytes(b"%PDF private")
    (media_root / "resumes" / "x.png").write_bytes(PNG)
    assert public_client.get(path).status_code == 404
