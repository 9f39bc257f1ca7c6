"""Through daphne on a port: every absolute link of a careers site keeps that port (canonical, JSON-LD, sitemap,
Atom feed, robots.txt), and the marketplace copy of a job names the careers page as canonical."""

import re
import urllib.request
import uuid

import pytest

from tests.portal.test_job_pages import job_path, jsonld_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fetch(server_url: str, host: str, path: str) -> str:
    port = server_url.rsplit(":", 1)[1]
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": f"{host}:{port}"})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - our own test server
        return response.read().decode()


def test_every_absolute_link_of_a_careers_site_keeps_the_port(server_url, tenant_a, make_posting):
    port = server_url.rsplit(":", 1)[1]
    origin = f"http://{tenant_a.slug}.localhost:{port}"
    posting = make_posting(tenant_a, title=f"Welder {uuid.uuid4().hex[:6]}")
    host = f"{tenant_a.slug}.localhost"

    page = fetch(server_url, host, job_path(posting))
    assert re.search(r'<link rel="canonical" href="([^"]+)"', page).group(1) == origin + job_path(posting)
    data = jsonld_of(page)
    assert data["url"] == origin + job_path(posting)
    assert data["hiringOrganization"]["sameAs"] == origin + "/"
    assert origin + job_path(posting) in fetch(server_url, host, "/sitemap.xml")
    assert origin + job_path(posting) in fetch(server_url, host, "/jobs/feed/")
    assert f"Sitemap: {origin}/sitemap.xml" in fetch(server_url, host, "/robots.txt")


def test_the_marketplace_copy_points_to_the_careers_page_on_the_same_port(server_url, tenant_a, make_posting):
    port = server_url.rsplit(":", 1)[1]
    posting = make_posting(tenant_a, title=f"Welder {uuid.uuid4().hex[:6]}")
    page = fetch(server_url, "localhost", job_path(posting))
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', page).group(1)
    assert canonical == f"http://{tenant_a.slug}.localhost:{port}{job_path(posting)}"
    assert "application/ld+json" not in page
