"""No page ships more than ~100 KB of JavaScript, counted as transferred (gzip, as WhiteNoise serves it)."""

import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from tests.conftest import owner_of

pytestmark = pytest.mark.django_db

BUDGET_BYTES = 100 * 1024
PUBLIC_PAGES = [
    "/",
    "/employers/signup/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/jobs/",
    "/pricing/",
]
SEEKER_PAGES = [
    "/tracker/",
    "/dashboard/",
    "/notifications/",
    "/account/notifications/",
    "/account/privacy/",
]
TENANT_PAGES = [("/", False), ("/accounts/login/", False), ("/console/", True), ("/console/branding/", True)]


def script_bytes(html: str) -> int:
    """Gzip size of the page's own static scripts plus its inline scripts."""
    total = 0
    for src in re.findall(r'<script[^>]+src="([^"]+)"', html):
        assert src.startswith(settings.STATIC_URL), f"script from outside our static files: {src}"
        path = finders.find(src.removeprefix(settings.STATIC_URL))
        assert path, src
        total += len(gzip.compress(Path(path).read_bytes()))
    for body in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, flags=re.S):
        total += len(gzip.compress(body.encode()))
    return total


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_stay_within_the_javascript_budget(public_client, path):
    html = public_client.get(path).content.decode()
    assert "vendor/htmx/htmx.min.js" in html
    assert script_bytes(html) <= BUDGET_BYTES


@pytest.mark.parametrize("path", SEEKER_PAGES)
def test_seeker_pages_stay_within_the_javascript_budget(public_client, seeker, path):
    public_client.force_login(seeker)
    html = public_client.get(path).content.decode()
    assert "js/notifications.js" in html
    assert script_bytes(html) <= BUDGET_BYTES


@pytest.mark.parametrize(("path", "as_owner"), TENANT_PAGES)
def test_tenant_pages_stay_within_the_javascript_budget(client_for, tenant_a, path, as_owner):
    client = client_for(tenant_a)
    if as_owner:
        client.force_login(owner_of(tenant_a))
    response = client.get(path)
    assert response.status_code == 200
    assert script_bytes(response.content.decode()) <= BUDGET_BYTES


def test_a_page_with_charts_would_still_fit():
    """Chart.js is the largest vendored file; with htmx and the portal script it must leave room for a page."""
    files = ["vendor/chartjs/chart.umd.min.js", "vendor/htmx/htmx.min.js", "portal/portal.js"]
    sizes = [len(gzip.compress(Path(finders.find(name)).read_bytes())) for name in files]
    assert sum(sizes) <= BUDGET_BYTES
