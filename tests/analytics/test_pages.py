"""The analytics pages: the console's hiring analytics (charts, CSV, plan gate, isolation), the seeker's numbers on
their dashboard, and the staff-only platform page."""

from datetime import timedelta

import pytest

from tests.analytics.history import DAY, KNOWN_PIPELINE, at, events, pipeline, roll_up_known_days

pytestmark = pytest.mark.django_db

PAGE = "/console/analytics/"
RANGE = {"since": (DAY - timedelta(days=2)).isoformat(), "until": DAY.isoformat()}


@pytest.fixture
def growth_history(tenant_a, tenant_b, make_posting, on_plan):
    on_plan(tenant_a, "employer_growth")
    on_plan(tenant_b, "employer_growth")
    job_a = make_posting(tenant_a, title="Rust Engineer")
    job_b = make_posting(tenant_b, title="Globex Secret Role")
    pipeline(tenant_a, job_a, KNOWN_PIPELINE)
    events(
        [(at(0, 9), "view", "marketplace", tenant_a.pk, job_a.public_id, None)] * 5
        + [(at(0, 9), "apply_submitted", "careers_site", tenant_a.pk, job_a.public_id, None)] * 2
        + [(at(0, 9), "view", "marketplace", tenant_b.pk, job_b.public_id, None)] * 7
    )
    roll_up_known_days()
    return job_a, job_b


def test_the_console_page_charts_the_employers_own_numbers(growth_history, staff_client, tenant_a):
    response = staff_client(tenant_a, "viewer").get(PAGE, RANGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rust Engineer" in html
    assert "Globex Secret Role" not in html
    assert (
        html.count('<svg class="chart') == 5
    )  # trend, funnel, sources, match scores of applicants and hires
    assert 'aria-label="Of the applications made in the range, how many reached each stage"' in html
    assert "careers_site" in html
    assert "1.75 days to hire" in html


def test_the_console_csv_download(growth_history, staff_client, tenant_a):
    response = staff_client(tenant_a).get(PAGE, {**RANGE, "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert "Rust Engineer" in response.content.decode()
    assert "Globex" not in response.content.decode()


def test_without_the_plan_the_page_shows_the_upgrade_notice_and_no_numbers(
    tenant_a, staff_client, on_plan, make_posting
):
    on_plan(tenant_a, "employer_starter")
    client = staff_client(tenant_a)
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-plan-gate="analytics"' in html
    assert "The Growth plan includes hiring analytics." in html
    assert "analytics-totals" not in html
    assert client.get(PAGE, {"format": "csv"}).status_code == 402


def test_the_console_page_is_for_members_and_refuses_bad_ranges(
    tenant_a, make_user, signed_in, staff_client, on_plan
):
    on_plan(tenant_a, "employer_growth")
    assert signed_in(make_user(), tenant_a).get(PAGE).status_code == 404
    response = staff_client(tenant_a).get(PAGE, {"since": "2026-11-10", "until": "2026-11-01"})
    assert response.status_code == 422
    assert "must not be after" in response.content.decode()
    assert staff_client(tenant_a).get(PAGE, {"since": "not-a-date"}).status_code == 422


def test_the_seeker_dashboard_shows_their_numbers(apply_for_real, make_user, signed_in, tenant_a):
    from django.utils import timezone

    from jobpilot.analytics import services
    from jobpilot.analytics.tasks import flush_events

    seeker = make_user()
    apply_for_real(seeker, tenant_a)
    flush_events()
    services.rollup_day(day=timezone.now().date())
    response = signed_in(seeker).get("/dashboard/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="your-numbers"' in html
    assert 'aria-label="Applications by source, with response rate"' in html
    assert '<svg class="chart chart-line"' in html
    assert (
        signed_in(seeker).get("/dashboard/", {"until": "2020-01-01", "since": "2021-01-01"}).status_code
        == 422
    )


def test_the_platform_page_is_for_staff_only(make_user, signed_in, public_client):
    assert signed_in(make_user()).get("/staff/analytics/").status_code == 403
    assert public_client.get("/staff/analytics/").status_code == 302  # to sign in
    response = signed_in(make_user(is_staff=True)).get("/staff/analytics/")
    assert response.status_code == 200
    assert "MRR" in response.content.decode()
    assert 'aria-label="Accounts per plan"' in response.content.decode()
