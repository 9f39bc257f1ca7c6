"""The employer API on the employer's own domain: roles, isolation between employers, input validation."""

import pytest
from django_tenants.utils import tenant_context

from jobpilot.jobs.models import CompanyProfile, JobPosting
from jobpilot.marketplace.models import MarketplaceJob
from tenants.models import Membership

pytestmark = pytest.mark.django_db
Role = Membership.Role
JOBS = "/api/v1/employer/jobs/"


def new_job(**fields):
    return {
        "title": "Field Robotics Technician",
        "description": "<p>Fix robots.</p>",
        "country": "US",
        **fields,
    }


# --- roles ----------------------------------------------------------------------------------------------------


def test_a_viewer_can_read_postings_but_not_create_or_edit_them(tenant_a, staff_client, make_posting):
    posting = make_posting(tenant_a)
    client = staff_client(tenant_a, Role.VIEWER)
    assert client.get(JOBS).status_code == 200
    assert client.get(f"{JOBS}{posting.public_id}/").status_code == 200

    created = client.post(JOBS, new_job(), content_type="application/json")
    assert created.status_code == 403
    assert created.json()["code"] == "role_required"
    edited = client.patch(f"{JOBS}{posting.public_id}/", {"title": "Hacked"}, content_type="application/json")
    assert edited.status_code == 403
    with tenant_context(tenant_a):
        assert JobPosting.objects.get(pk=posting.pk).title == posting.title


def test_a_recruiter_creates_and_edits_drafts_but_cannot_publish_close_or_delete(tenant_a, staff_client):
    client = staff_client(tenant_a, Role.RECRUITER)
    created = client.post(JOBS, new_job(), content_type="application/json")
    assert created.status_code == 201
    job = created.json()
    assert job["status"] == "draft"
    url = f"{JOBS}{job['id']}/"
    assert (
        client.patch(url, {"department": "Field"}, content_type="application/json").json()["department"]
        == "Field"
    )
    assert client.post(f"{url}duplicate/").status_code == 201
    for action in ("publish/", "close/", "archive/"):
        assert client.post(f"{url}{action}").status_code == 403
    assert client.delete(url).status_code == 403


def test_a_job_type_is_read_as_people_write_it(tenant_a, staff_client):
    client = staff_client(tenant_a, Role.RECRUITER)
    job = client.post(JOBS, new_job(job_type="Full-time"), content_type="application/json").json()
    assert job["job_type"] == "full_time"

    changed = client.patch(f"{JOBS}{job['id']}/", {"job_type": "part time"}, content_type="application/json")
    assert changed.json()["job_type"] == "part_time"


def test_an_admin_publishes_closes_and_deletes(tenant_a, staff_client):
    client = staff_client(tenant_a, Role.ADMIN)
    job = client.post(JOBS, new_job(), content_type="application/json").json()
    url = f"{JOBS}{job['id']}/"
    assert client.post(f"{url}publish/").json()["status"] == "published"
    assert MarketplaceJob.objects.filter(public_id=job["id"]).exists()
    assert client.post(f"{url}close/").json()["status"] == "closed"
    assert not MarketplaceJob.objects.filter(public_id=job["id"]).exists()
    assert client.delete(url).status_code == 204
    assert client.get(url).status_code == 404


def test_the_owner_can_do_what_an_admin_can(tenant_a, staff_client, make_posting):
    posting = make_posting(tenant_a, status=JobPosting.Status.DRAFT)
    client = staff_client(tenant_a, Role.OWNER)
    assert client.post(f"{JOBS}{posting.public_id}/publish/").status_code == 200


def test_publishing_an_unready_posting_answers_422_naming_the_field(tenant_a, staff_client):
    client = staff_client(tenant_a, Role.ADMIN)
    job = client.post(JOBS, new_job(description=""), content_type="application/json").json()
    response = client.post(f"{JOBS}{job['id']}/publish/")
    assert response.status_code == 422
    assert response.json()["field"] == "description"


def test_a_status_change_that_does_not_apply_answers_409(tenant_a, staff_client, make_posting):
    posting = make_posting(tenant_a, status=JobPosting.Status.DRAFT)
    response = staff_client(tenant_a, Role.ADMIN).post(f"{JOBS}{posting.public_id}/close/")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_status"


# --- isolation ------------------------------------------------------------------------------------------------


def test_a_member_of_another_employer_gets_404_for_everything(
    tenant_a, tenant_b, member, signed_in, make_posting
):
    posting = make_posting(tenant_b)
    outsider = signed_in(member(tenant_a, Role.OWNER), tenant_b)  # owner of A, calling B's domain
    url = f"{JOBS}{posting.public_id}/"
    assert outsider.get(JOBS).status_code == 404
    assert outsider.get(url).status_code == 404
    assert outsider.patch(url, {"title": "Mine now"}, content_type="application/json").status_code == 404
    assert outsider.post(f"{url}close/").status_code == 404
    assert outsider.delete(url).status_code == 404
    assert outsider.post(JOBS, new_job(), content_type="application/json").status_code == 404
    assert outsider.get("/api/v1/employer/company/").status_code == 404
    with tenant_context(tenant_b):
        assert JobPosting.objects.get(pk=posting.pk).status == JobPosting.Status.PUBLISHED


def test_an_employers_own_domain_does_not_reach_another_employers_posting(
    tenant_a, tenant_b, staff_client, make_posting
):
    posting = make_posting(tenant_b)
    client = staff_client(tenant_a, Role.OWNER)  # on A's domain, with B's posting id
    url = f"{JOBS}{posting.public_id}/"
    assert client.get(url).status_code == 404
    assert client.post(f"{url}close/").status_code == 404
    assert client.delete(url).status_code == 404
    assert str(posting.public_id) not in str(client.get(JOBS).json())


def test_the_employer_api_is_not_found_on_the_public_domain(tenant_a, member, signed_in):
    client = signed_in(member(tenant_a, Role.OWNER), None)
    assert client.get(JOBS).status_code == 404
    assert client.post(JOBS, new_job(), content_type="application/json").status_code == 404


def test_the_employer_api_needs_a_signed_in_caller(tenant_a, client_for):
    response = client_for(tenant_a).get(JOBS)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_bearer_access_token_works_like_a_session(tenant_a, member, client_for):
    from ninja_jwt.tokens import RefreshToken

    user = member(tenant_a, Role.VIEWER)
    token = str(RefreshToken.for_user(user).access_token)
    assert client_for(tenant_a).get(JOBS, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


# --- input ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "x"}, "title"),
        (new_job(job_type="forever"), "job_type"),
        (new_job(country="Germany"), "country"),
        (new_job(salary_min=-1), "salary_min"),
        (new_job(salary_currency="dollars"), "salary_currency"),
        (new_job(apply_url="javascript:alert(1)"), "apply_url"),
        (new_job(skills=["x" * 51]), "skills"),
        (new_job(tags=[f"t{n}" for n in range(21)]), "tags"),
        (
            new_job(
                screening_questions=[{"question": "Pick one", "kind": "single_choice", "choices": ["a"]}]
            ),
            "screening_questions.0",
        ),
        (new_job(expires_at="next week"), "expires_at"),
    ],
)
def test_invalid_posting_input_answers_422_naming_the_field(tenant_a, staff_client, body, field):
    response = staff_client(tenant_a, Role.RECRUITER).post(JOBS, body, content_type="application/json")
    assert response.status_code == 422
    # Body fields are named with the body's prefix (`body.title`).
    assert f"body.{field}" in [error["field"] for error in response.json()["errors"]]


def test_a_salary_range_upside_down_answers_422_naming_the_maximum(tenant_a, staff_client):
    response = staff_client(tenant_a).post(
        JOBS, new_job(salary_min=100, salary_max=50), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["field"] == "salary_max"


def test_a_patch_cannot_null_a_required_field(tenant_a, staff_client, make_posting):
    posting = make_posting(tenant_a)
    response = staff_client(tenant_a).patch(
        f"{JOBS}{posting.public_id}/", {"title": None}, content_type="application/json"
    )
    assert response.status_code == 422


def test_a_patch_changes_only_what_it_sends_and_updates_the_listing(tenant_a, staff_client, make_posting):
    posting = make_posting(tenant_a, department="Ops", skills=["Go"])
    response = staff_client(tenant_a).patch(
        f"{JOBS}{posting.public_id}/",
        {"title": "Staff Gopher 4410", "skills": None},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["title"], body["department"], body["skills"]) == ("Staff Gopher 4410", "Ops", [])
    listing = MarketplaceJob.objects.get(public_id=posting.public_id)
    assert (listing.title, listing.skills) == ("Staff Gopher 4410", [])


def test_a_slug_taken_by_another_posting_answers_409(tenant_a, staff_client, make_posting):
    first, second = make_posting(tenant_a), make_posting(tenant_a)
    response = staff_client(tenant_a).patch(
        f"{JOBS}{second.public_id}/", {"slug": first.slug}, content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["field"] == "slug"


def test_an_unknown_or_malformed_job_id_is_not_found(tenant_a, staff_client):
    client = staff_client(tenant_a)
    assert client.get(f"{JOBS}00000000-0000-4000-8000-000000000000/").status_code == 404
    assert client.get(f"{JOBS}not-an-id/").status_code == 404


# --- listing --------------------------------------------------------------------------------------------------


def test_the_list_filters_by_status_and_title_and_pages(tenant_a, staff_client, make_posting):
    drafts = [
        make_posting(tenant_a, status=JobPosting.Status.DRAFT, title=f"Zeppelin Pilot {n}") for n in range(3)
    ]
    make_posting(tenant_a, title="Zeppelin Pilot published")
    client = staff_client(tenant_a, Role.VIEWER)

    body = client.get(JOBS, {"status": "draft", "q": "zeppelin", "limit": 2}).json()
    assert body["pagination"] == {"page": 1, "limit": 2, "total": 3, "pages": 2}
    assert {job["id"] for job in body["results"]} <= {str(d.public_id) for d in drafts}
    assert client.get(JOBS, {"status": "nope"}).status_code == 422
    assert client.get(JOBS, {"limit": 101}).status_code == 422


# --- company profile ------------------------------------------------------------------------------------------


def test_an_admin_updates_the_company_profile_and_listings_show_it(tenant_a, staff_client, make_posting):
    posting = make_posting(tenant_a)
    client = staff_client(tenant_a, Role.ADMIN)
    assert client.get("/api/v1/employer/company/").json()["name"] == tenant_a.name
    response = client.put(
        "/api/v1/employer/company/",
        {
            "name": "Acme Robotics",
            "logo_url": "https://cdn.example/acme.png",
            "about": "<p>Hi</p><script>x</script>",
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["about"] == "<p>Hi</p>"
    listing = MarketplaceJob.objects.get(public_id=posting.public_id)
    assert (listing.company_name, listing.company_logo_url) == (
        "Acme Robotics",
        "https://cdn.example/acme.png",
    )
    with tenant_context(tenant_a):
        assert CompanyProfile.objects.get().name == "Acme Robotics"


def test_a_recruiter_cannot_change_the_company_profile(tenant_a, staff_client):
    response = staff_client(tenant_a, Role.RECRUITER).put(
        "/api/v1/employer/company/", {"name": "Mine"}, content_type="application/json"
    )
    assert response.status_code == 403


def test_a_company_profile_with_a_bad_website_answers_422(tenant_a, staff_client):
    response = staff_client(tenant_a).put(
        "/api/v1/employer/company/",
        {"name": "Acme", "website": "ftp://acme"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.website"
