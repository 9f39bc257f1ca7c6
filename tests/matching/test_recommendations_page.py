"""The seeker dashboard's recommendations: shown with their reasons, "Not interested" removes one, and the
free plan sees the plan gate instead."""

import pytest
from django.test import Client

from bench.matching_eval.dataset import build
from jobpilot.marketplace.models import DismissedJob
from tests.conftest import host_of

pytestmark = pytest.mark.django_db


def _browser(user):
    client = Client(HTTP_HOST=host_of(None))
    client.force_login(user)
    return client


def test_the_dashboard_lists_recommendations_with_reasons_and_not_interested_removes_one(
    public_tenant, listed_jobs, seeker_like
):
    nurse = seeker_like(next(r for r in build().resumes if r.occupation == "nursing"))
    client = _browser(nurse)
    page = client.get("/dashboard/").content.decode()
    assert 'id="recommendation-list"' in page and "skills match yours" in page
    first = page.split('data-job-id="', 1)[1].split('"', 1)[0]
    response = client.post(f"/recommendations/{first}/dismiss/")
    assert response.status_code == 302 and response["Location"].endswith("/dashboard/")
    assert DismissedJob.objects.filter(user=nurse, job_public_id=first).exists()
    assert f'data-job-id="{first}"' not in client.get("/dashboard/").content.decode()


def test_the_free_plan_sees_the_plan_gate_and_no_list(public_tenant, listed_jobs, seeker_like):
    page = _browser(seeker_like(build().resumes[0], plan=None)).get("/dashboard/").content.decode()
    assert 'data-plan-gate="' in page and "AI job recommendations" in page
    assert 'id="recommendation-list"' not in page


def test_not_interested_needs_a_signed_in_seeker_and_a_real_job(public_tenant, make_user):
    assert Client(HTTP_HOST=host_of(None)).post("/recommendations/x/dismiss/").status_code in (302, 403)
    assert _browser(make_user()).post("/recommendations/not-a-job/dismiss/").status_code == 404
