"""Analytics in the browser: a Growth employer's hiring analytics with its charts, the seeker's numbers on their
dashboard, and the staff platform page. Each page is saved as a screenshot in test-artifacts/ (the charts are
server-rendered SVG, so they are in the first paint)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import expect

from jobpilot.analytics import services
from tests.analytics.history import events, pipeline
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_console_jobs import sign_in_to_console
from tests.browser.test_seeker_jobs import sign_in
from tests.conftest import owner_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Not the day of tests/analytics: tenant schemas keep what committing tests write.
BROWSER_DAY = date(2026, 9, 16)


def at(offset: int, hour: int) -> datetime:
    return datetime(BROWSER_DAY.year, BROWSER_DAY.month, BROWSER_DAY.day, hour, tzinfo=UTC) + timedelta(
        days=offset
    )


def charts_are_drawn(page, count: int) -> None:
    charts = page.locator("svg.chart")
    expect(charts).to_have_count(count)
    for index in range(count):
        box = charts.nth(index).bounding_box()
        assert box and box["width"] > 200 and box["height"] > 20


def test_a_growth_employer_reads_its_hiring_analytics(page, server_url, tenant_a, make_posting, on_plan):
    on_plan(tenant_a, "employer_growth")
    job = make_posting(tenant_a, title="Analytics Engineer")
    pipeline(
        tenant_a,
        job,
        [
            [
                ("Applied", at(-3, 9)),
                ("Screening", at(-2, 9)),
                ("Interview", at(-1, 9)),
                ("Offer", at(0, 9)),
                ("Hired", at(0, 15)),
            ],
            [("Applied", at(-2, 10)), ("Screening", at(-1, 10)), ("Rejected", at(0, 10))],
            [("Applied", at(-1, 11))],
        ],
    )
    events(
        [
            (at(d, 9), "view", "marketplace", tenant_a.pk, job.public_id, None)
            for d in range(-3, 1)
            for _ in range(5 + d)
        ]
        + [(at(-1, 9), "apply_submitted", "careers_site", tenant_a.pk, job.public_id, None)] * 2
        + [(at(0, 9), "apply_submitted", "alert_email", tenant_a.pk, job.public_id, None)]
    )
    for offset in range(-3, 1):
        services.rollup_day(day=BROWSER_DAY + timedelta(days=offset))

    origin = server_url.replace("//localhost", f"//{tenant_a.slug}.localhost")
    path = f"/console/analytics/?since={BROWSER_DAY - timedelta(days=3)}&until={BROWSER_DAY}"
    sign_in_to_console(page, origin, owner_of(tenant_a).email, path)
    expect(page.get_by_role("heading", name="Hiring analytics")).to_be_visible()
    expect(page.locator("#job-performance")).to_contain_text("Analytics Engineer")
    expect(page.locator("#analytics-totals")).to_contain_text("1 / 1")  # the offer accepted
    charts_are_drawn(page, 5)  # trend, funnel, sources, match scores of applicants and hires
    page.screenshot(path=str(ARTIFACTS / "analytics-console.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_role("button", name="Export CSV").click()
    assert download.value.suggested_filename.startswith("job-performance-")


def test_a_seeker_sees_their_numbers_and_staff_see_the_platform(page, server_url, tenant_a, make_user):
    from billing.models import BillingAccount
    from billing.plans import Audience
    from billing.selectors import billing_account_for_tenant, billing_account_for_user

    BillingAccount.objects.filter(pk=billing_account_for_tenant(tenant_a).pk).update(
        plan_code="employer_growth", billing_interval="month", subscription_status="active"
    )
    seeker = make_user()
    BillingAccount.objects.filter(pk=billing_account_for_user(seeker, Audience.SEEKER).pk).update(
        plan_code="seeker_pro", billing_interval="year", subscription_status="active", trial_used=True
    )
    sign_in(page, server_url, seeker.email)
    page.goto(f"{server_url}/dashboard/")
    numbers = page.locator("#your-numbers")
    expect(numbers).to_contain_text("Response rate")
    expect(numbers.locator("svg.chart")).to_have_count(3)
    page.screenshot(path=str(ARTIFACTS / "analytics-seeker.png"), full_page=True)

    assert page.goto(f"{server_url}/staff/analytics/").status == 403  # a seeker is refused
    staff = make_user(is_staff=True)
    page.context.clear_cookies()
    sign_in(page, server_url, staff.email)
    page.goto(f"{server_url}/staff/analytics/")
    expect(page.get_by_role("heading", name="Platform")).to_be_visible()
    expect(page.locator("#platform-totals")).to_contain_text(
        "$106.50"
    )  # Growth monthly $99 + Pro yearly $90 / 12
    charts_are_drawn(page, 2)
    page.screenshot(path=str(ARTIFACTS / "analytics-platform.png"), full_page=True)
