"""Drafts in Chromium: on the apply form "Draft a cover letter" fills the letter box for a seeker whose plan has
the AI feature, and says what the plan lacks (with the upgrade link) for one on the free plan; the job page's
button leads to the drafts page with the interview questions."""

import re

import pytest
from playwright.sync_api import expect

from jobpilot.marketplace.models import MarketplaceJob
from jobpilot.seekers.services import seeker_profile_update
from tests.browser.test_seeker_jobs import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESCRIPTION = "<p>You will build payment APIs in Python and PostgreSQL.</p><p>Kubernetes is required.</p>"


def test_the_apply_form_drafts_a_cover_letter(
    new_page, server_url, public_tenant, tenant_a, make_posting, make_user, on_plan
):
    posting = make_posting(tenant_a, title="Payments Engineer", description=DESCRIPTION)
    job = MarketplaceJob.objects.get(tenant=tenant_a, posting_id=posting.pk)
    pro = make_user(first_name="Dana", last_name="Reyes")
    on_plan(pro, "seeker_pro")
    seeker_profile_update(
        seeker=pro, changes={"experience_years": 6}, skills=[{"name": "Python", "level": "expert"}]
    )

    page = new_page()
    sign_in(page, server_url, pro.email)
    page.goto(f"{server_url}/apply/{job.public_id}/")
    page.get_by_role("button", name="Draft a cover letter").click()
    letter = page.locator("#cover_letter")
    expect(letter).to_have_value(re.compile(r"^Dear Acme Corp hiring team,"))
    assert "Payments Engineer" in letter.input_value() and "Python" in letter.input_value()
    expect(page.locator("#draft-status")).to_contain_text("Make it yours")

    page.goto(f"{server_url}/jobs/{job.public_id}/{job.slug}/")
    page.get_by_role("link", name="Draft a cover letter").click()
    page.get_by_role("button", name="Draft a cover letter and questions").click()
    expect(page.locator("#draft-questions li").first).to_contain_text(
        "Why do you want to work as a Payments Engineer"
    )

    free = make_user()
    other = new_page()
    sign_in(other, server_url, free.email)
    other.goto(f"{server_url}/apply/{job.public_id}/")
    other.get_by_role("button", name="Draft a cover letter").click()
    expect(other.locator("#draft-status")).to_contain_text("plan")
    expect(other.locator("#draft-status a")).to_have_attribute("href", re.compile(r"/account/billing/$"))
    assert other.locator("#cover_letter").input_value() == ""
