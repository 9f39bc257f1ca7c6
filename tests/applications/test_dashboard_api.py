"""GET /api/v1/employer/dashboard/: applications per job and stage, and time in stage from the history."""

import datetime

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from jobpilot.applications.models import StatusChange
from tenants.models import Membership
from tests.applications.conftest import stage_named

Role = Membership.Role
URL = "/api/v1/employer/dashboard/"


@pytest.fixture(autouse=True)
def _analytics_plans(on_plan, tenant_a, tenant_b):
    """Hiring analytics is a Growth feature: both employers are on Growth unless a test says otherwise."""
    on_plan(tenant_a, "employer_growth")
    on_plan(tenant_b, "employer_growth")


def test_the_dashboard_counts_per_job_and_stage_and_times_each_stage(applied, staff_client, tenant_a, job):
    _, first = applied()
    _, second = applied()
    screening = stage_named(tenant_a, "Screening")
    recruiter = staff_client(tenant_a, Role.RECRUITER)
    recruiter.post(
        f"/api/v1/employer/applications/{first.pk}/move/",
        {"stage_id": screening.pk},
        content_type="application/json",
    )
    with (
        tenant_context(tenant_a),
        connection.cursor() as cursor,
    ):  # first spent two hours in Applied before the move
        entered = StatusChange.objects.get(application=first, kind="applied")
        moved = StatusChange.objects.get(application=first, kind="moved")
        cursor.execute("SET LOCAL session_replication_role = replica")  # past the append-only trigger
        StatusChange.objects.filter(pk=entered.pk).update(
            occurred_at=moved.occurred_at - datetime.timedelta(hours=2)
        )
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")

    dashboard = staff_client(tenant_a, Role.VIEWER).get(URL).json()

    row = next(r for r in dashboard["jobs"] if r["job_id"] == str(job.public_id))
    assert row["total"] == 2
    assert sorted((c["stage_id"], c["count"]) for c in row["by_stage"]) == sorted(
        [(first.stage_id, 1), (screening.pk, 1)]
    )
    applied_stage = next(s for s in dashboard["stages"] if s["name"] == "Applied")
    assert applied_stage["longest_hours_in_stage"] >= 2
    assert applied_stage["average_hours_in_stage"] > 0


def test_the_dashboard_needs_membership_and_shows_only_this_tenants_jobs(
    applied, staff_client, tenant_b, job, signed_in, make_user
):
    applied()

    other = staff_client(tenant_b, Role.VIEWER).get(URL)

    assert other.status_code == 200
    assert str(job.public_id) not in [r["job_id"] for r in other.json()["jobs"]]
    assert signed_in(make_user(), tenant_b).get(URL).status_code == 404


def test_the_dashboard_takes_no_parameters_that_could_pick_a_tenant(staff_client, tenant_b):
    # A tenant never comes from input: an unexpected query parameter changes nothing.
    viewer = staff_client(tenant_b, Role.VIEWER)

    assert viewer.get(URL + "?tenant=acme").json() == viewer.get(URL).json()


def test_hiring_analytics_on_starter_is_refused_with_an_upgrade_link(
    applied, staff_client, on_plan, tenant_a
):
    applied()
    on_plan(tenant_a, "employer_starter")

    answer = staff_client(tenant_a, Role.OWNER).get(URL)

    assert answer.status_code == 402
    body = answer.json()
    assert body["code"] == "feature_not_in_plan" and body["feature"] == "analytics"
    assert body["upgrade_url"]


def test_hiring_analytics_is_answered_once_the_employer_upgrades(applied, staff_client, on_plan, tenant_a):
    applied()
    on_plan(tenant_a, "employer_starter")
    viewer = staff_client(tenant_a, Role.VIEWER)
    assert viewer.get(URL).status_code == 402

    on_plan(tenant_a, "employer_growth")

    answer = viewer.get(URL)
    assert answer.status_code == 200 and answer.json()["total"] == 1
