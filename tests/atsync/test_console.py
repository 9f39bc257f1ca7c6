"""The console's ATS sync page: admins connect, sync now, pause and disconnect; the page says how many jobs wait as
drafts for room on the plan and links the upgrade; the job editor shows board-owned fields read-only."""

import pytest
from django_tenants.utils import tenant_context

from billing.selectors import billing_account_for_tenant
from billing.services import billing_account_override_limits
from jobpilot.atsync.models import AtsConnection
from jobpilot.jobs.models import JobPosting
from tenants.models import Membership
from tests.atsync.conftest import postings_of, serve_greenhouse, sync

pytestmark = pytest.mark.django_db
Role = Membership.Role
PAGE = "/console/ats/"


def test_an_admin_connects_a_board_and_sees_how_many_jobs_wait_for_room_on_the_plan(
    staff_client, tenant_a, boards, ats_plan, django_capture_on_commit_callbacks
):
    billing_account_override_limits(
        actor="tests", account=billing_account_for_tenant(tenant_a), limits={"active_postings": 1}
    )
    serve_greenhouse(boards)
    client = staff_client(tenant_a, Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PAGE, {"kind": "greenhouse", "board": "vaultline"})
    assert response.status_code == 302
    page = client.get(PAGE).content.decode()
    assert "Greenhouse · vaultline" in page
    assert "2 jobs from your board wait as drafts" in page
    assert 'href="/console/billing/"' in page
    with tenant_context(tenant_a):
        connection = AtsConnection.objects.get(board="vaultline")
    assert client.post(f"{PAGE}{connection.pk}/pause/").status_code == 302
    with tenant_context(tenant_a):
        assert not AtsConnection.objects.get(pk=connection.pk).enabled
    assert client.post(f"{PAGE}{connection.pk}/disconnect/").status_code == 302
    with tenant_context(tenant_a):
        assert not AtsConnection.objects.filter(pk=connection.pk).exists()


def test_a_synced_posting_shows_the_board_owned_fields_read_only(staff_client, tenant_a, boards, connect):
    from tests.conftest import lift_posting_limit

    lift_posting_limit(tenant_a)
    serve_greenhouse(boards)
    connection = sync(tenant_a, connect(tenant_a, "greenhouse", "vaultline"))
    posting = postings_of(tenant_a, connection)["4012345007"]
    client = staff_client(tenant_a, Role.ADMIN)
    page = client.get(f"/console/jobs/{posting.public_id}/").content.decode()
    assert "Synced from your Greenhouse board" in page
    assert 'name="title"' in page and "disabled" in page.split('name="title"')[1].split(">")[0]

    # Saving the form changes what is the employer's and leaves the board's alone, whatever was posted.
    form = {
        "title": "Typed over",
        "job_type": "full_time",
        "remote": "hybrid",
        "salary_currency": "USD",
        "salary_period": "year",
        "benefits": "<p>Bikes</p>",
        "slug": posting.slug,
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
    }
    assert client.post(f"/console/jobs/{posting.public_id}/", form).status_code == 302
    with tenant_context(tenant_a):
        saved = JobPosting.objects.get(pk=posting.pk)
    assert saved.title == posting.title and saved.benefits == "<p>Bikes</p>"
    assert saved.description == posting.description and saved.city == posting.city


def test_the_page_is_for_admins_only(staff_client, client_for, tenant_a, tenant_b, make_member, ats_plan):
    for role in (Role.RECRUITER, Role.VIEWER):
        assert staff_client(tenant_a, role).get(PAGE).status_code == 403
    anonymous = client_for(tenant_a).get(PAGE)
    assert anonymous.status_code == 302
    other = staff_client(tenant_b, Role.ADMIN)
    other.defaults["HTTP_HOST"] = "acme.localhost"
    assert other.get(PAGE).status_code == 404


def test_another_employers_connection_cannot_be_acted_on(staff_client, tenant_a, tenant_b, connect):
    theirs = connect(tenant_a, "lever", "isolated")
    client_b = staff_client(tenant_b, Role.ADMIN)
    assert client_b.post(f"{PAGE}{theirs.pk}/disconnect/").status_code == 404
    assert client_b.post(f"{PAGE}{theirs.pk}/sync/").status_code == 404
    assert "isolated" not in client_b.get(PAGE).content.decode()
    with tenant_context(tenant_a):
        assert AtsConnection.objects.filter(pk=theirs.pk).exists()


def test_bad_board_names_answer_the_form_again(staff_client, tenant_a, ats_plan):
    client = staff_client(tenant_a, Role.ADMIN)
    response = client.post(PAGE, {"kind": "greenhouse", "board": "no spaces please"})
    assert response.status_code == 422
    assert "only letters, digits" in response.content.decode()
    assert client.post(PAGE, {"kind": "workday", "board": "acme"}).status_code == 422
    assert client.post(PAGE, {"kind": "greenhouse", "board": ""}).status_code == 422
    assert client.post(f"{PAGE}1/explode/").status_code == 404
    assert client.post(f"{PAGE}{10**30}/sync/").status_code == 404


def test_without_the_plan_the_page_offers_the_upgrade_instead_of_the_form(staff_client, tenant_a, on_plan):
    on_plan(tenant_a, "employer_starter")
    page = staff_client(tenant_a, Role.ADMIN).get(PAGE).content.decode()
    assert "ATS sync comes with the Growth plan" in page
    assert "Connect a board" not in page


def test_the_pricing_page_lists_ats_sync_on_the_plans_that_have_it(public_client):
    page = public_client.get("/pricing/").content.decode()
    assert page.count("Jobs synced from your Greenhouse, Lever or Ashby board") == 2
