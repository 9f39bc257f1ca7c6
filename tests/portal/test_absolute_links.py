"""Absolute links keep the scheme and port the page was served on, and each employer job has one canonical page:
the employer's careers page; the marketplace copy points to it."""

import re
import uuid

import pytest
from django.test import Client

from tests.portal.test_job_pages import job_path, jsonld_of

pytestmark = pytest.mark.django_db


def on_port(tenant) -> Client:
    host = "localhost" if tenant is None else f"{tenant.slug}.localhost"
    return Client(HTTP_HOST=f"{host}:8000")


def canonical_of(html: str) -> str:
    return re.search(r'<link rel="canonical" href="([^"]+)"', html).group(1)


def test_a_careers_job_page_served_on_a_port_links_to_that_port(public_tenant, tenant_a, make_posting):
    posting = make_posting(tenant_a, title=f"Welder {uuid.uuid4().hex[:6]}")
    html = on_port(tenant_a).get(job_path(posting)).content.decode()
    expected = f"http://acme.localhost:8000{job_path(posting)}"
    assert canonical_of(html) == expected
    data = jsonld_of(html)
    assert data["url"] == expected
    assert data["hiringOrganization"]["sameAs"] == "http://acme.localhost:8000/"


def test_the_marketplace_copy_names_the_careers_page_canonical_and_carries_no_job_posting_data(
    public_tenant, tenant_a, make_posting
):
    posting = make_posting(tenant_a, title=f"Welder {uuid.uuid4().hex[:6]}")
    html = on_port(None).get(job_path(posting)).content.decode()
    assert canonical_of(html) == f"http://acme.localhost:8000{job_path(posting)}"
    assert 'property="og:url" content="http://acme.localhost:8000' in html
    assert "application/ld+json" not in html
    # The careers page itself is the one with the JobPosting.
    assert jsonld_of(on_port(tenant_a).get(job_path(posting)).content.decode())["@type"] == "JobPosting"
