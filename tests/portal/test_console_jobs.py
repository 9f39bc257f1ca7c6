"""The console's jobs pages on a tenant's host: members only, roles as in the employer API, bad input answers the
form with errors (422), and the Starter plan's fourth publish explains the limit (402) with a way to upgrade."""

from urllib.parse import urlencode

import pytest
from django_tenants.utils import tenant_context

from jobpilot.jobs import services
from jobpilot.jobs.models import CompanyProfile, JobPosting
from tests.conftest import owner_of
from tests.jobs.conftest import posting_data

pytestmark = pytest.mark.django_db

JOBS = "/console/jobs/"


def signed_in(client_for, tenant, user):
    client = client_for(tenant)
    client.force_login(user)
    return client


def draft(tenant, **fields) -> JobPosting:
    with tenant_context(tenant):
        return services.job_posting_create(actor=None, data=posting_data(**fields))


def job_form(**overrides) -> dict:
    data = {
        "title": "Robot whisperer",
        "department": "Engineering",
        "job_type": "full_time",
        "remote": "onsite",
        "city": "Berlin",
        "country": "de",
        "salary_min": "60000",
        "salary_max": "80000",
        "salary_currency": "eur",
        "salary_period": "year",
        "description": "<p>Teach robots to <strong>listen</strong>.</p><script>alert(1)</script>",
        "requirements": "",
        "benefits": "",
        "apply_url": "",
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "path", [JOBS, JOBS + "new/", "/console/company/", "/console/team/", "/console/billing/"]
)
def test_anonymous_visitors_are_asked_on_the_public_site_first(client_for, tenant_a, path):
    response = client_for(tenant_a).get(path)
    assert response.status_code == 302
    # Asked on the public site first: signed in there, the visitor comes back signed in (ADR 0009).
    assert (
        response["Location"]
        == f"http://localhost/auth/continue/?{urlencode({'tenant': 'acme', 'next': path})}"
    )


@pytest.mark.parametrize("path", [JOBS, JOBS + "new/", "/console/company/"])
def test_a_signed_in_non_member_gets_404(client_for, tenant_a, make_user, path):
    assert signed_in(client_for, tenant_a, make_user()).get(path).status_code == 404


def test_another_tenants_job_is_not_found_even_for_its_owner(client_for, tenant_a, tenant_b):
    posting = draft(tenant_a)
    owner_a = owner_of(tenant_a)
    assert signed_in(client_for, tenant_a, owner_a).get(f"{JOBS}{posting.public_id}/").status_code == 200
    assert signed_in(client_for, tenant_b, owner_a).get(f"{JOBS}{posting.public_id}/").status_code == 404
    owner_b_client = signed_in(client_for, tenant_b, owner_of(tenant_b))
    assert owner_b_client.get(f"{JOBS}{posting.public_id}/").status_code == 404
    assert owner_b_client.post(f"{JOBS}{posting.public_id}/publish/").status_code == 404
    assert owner_b_client.post(f"{JOBS}{posting.public_id}/", job_form(title="Taken over")).status_code == 404
    with tenant_context(tenant_a):
        assert JobPosting.objects.get(pk=posting.pk).status == JobPosting.Status.DRAFT


def test_a_malformed_job_id_is_not_found(client_for, tenant_a):
    assert signed_in(client_for, tenant_a, owner_of(tenant_a)).get(f"{JOBS}not-a-uuid/").status_code == 404


def test_the_list_has_status_tabs_with_counts_and_lists_the_chosen_status(client_for, tenant_a):
    kept = draft(tenant_a, title="Draft welder")
    client = signed_in(client_for, tenant_a, owner_of(tenant_a))
    page = client.get(JOBS + "?status=draft").content.decode()
    assert "Draft welder" in page
    assert f"/console/jobs/{kept.public_id}/" in page
    assert 'href="?status=draft" aria-current="page"' in page
    assert 'Published <span class="badge">0</span>' in page
    assert "Draft welder" not in client.get(JOBS).content.decode()  # the published tab by default


def test_an_unknown_status_tab_falls_back_to_published(client_for, tenant_a):
    response = signed_in(client_for, tenant_a, owner_of(tenant_a)).get(JOBS + "?status=%00nope")
    assert response.status_code == 200


def test_a_recruiter_creates_a_draft_with_sanitized_html(client_for, tenant_a, make_member):
    client = signed_in(client_for, tenant_a, make_member(tenant_a, "recruiter"))
    response = client.post(JOBS + "new/", job_form())
    assert response.status_code == 302
    with tenant_context(tenant_a):
        posting = JobPosting.objects.get(title="Robot whisperer")
    assert response["Location"] == f"{JOBS}{posting.public_id}/"
    assert posting.status == JobPosting.Status.DRAFT
    assert posting.country == "DE" and posting.salary_currency == "EUR"
    assert "<script>" not in posting.description and "<strong>listen</strong>" in posting.description


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "x"}, "title", "at least 3"),
        ({"country": "Germany"}, "country", "at most 2"),
        ({"country": "1x"}, "country", "two-letter"),
        ({"salary_min": "-5"}, "salary_min", "greater than or equal to 0"),
        ({"salary_min": "90000", "salary_max": "80000"}, "salary_max", "minimum salary is above"),
        ({"apply_url": "javascript:alert(1)"}, "apply_url", "URL"),
        ({"job_type": "forever"}, "job_type", "valid choice"),
        ({"salary_currency": "E1R"}, "salary_currency", "should match"),
    ],
)
def test_bad_input_answers_the_form_with_the_error_never_a_500(
    client_for, tenant_a, make_member, overrides, field, message
):
    client = signed_in(client_for, tenant_a, make_member(tenant_a, "recruiter"))
    response = client.post(JOBS + "new/", job_form(**overrides))
    assert response.status_code == 422
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors
    assert f'id="id_{field}_error1"' in response.content.decode()
    with tenant_context(tenant_a):
        assert not JobPosting.objects.filter(title="Robot whisperer").exists()


def test_a_viewer_reads_jobs_but_cannot_write_or_publish(client_for, tenant_a, make_member):
    posting = draft(tenant_a)
    client = signed_in(client_for, tenant_a, make_member(tenant_a, "viewer"))
    page = client.get(f"{JOBS}{posting.public_id}/")
    assert page.status_code == 200
    assert '<fieldset class="form-section form" disabled>' in page.content.decode()
    assert "Publish</button>" not in page.content.decode()
    assert client.get(JOBS + "new/").status_code == 403
    assert client.post(JOBS + "new/", job_form()).status_code == 403
    assert client.post(f"{JOBS}{posting.public_id}/", job_form()).status_code == 403
    assert client.post(f"{JOBS}{posting.public_id}/duplicate/").status_code == 403


def test_a_recruiter_edits_but_cannot_publish_close_or_delete(client_for, tenant_a, make_member):
    posting = draft(tenant_a)
    client = signed_in(client_for, tenant_a, make_member(tenant_a, "recruiter"))
    assert client.post(f"{JOBS}{posting.public_id}/", job_form(title="Renamed job")).status_code == 302
    for action in ("publish", "close", "archive", "delete"):
        assert client.post(f"{JOBS}{posting.public_id}/{action}/").status_code == 403
    with tenant_context(tenant_a):
        posting.refresh_from_db()
    assert posting.title == "Renamed job" and posting.status == JobPosting.Status.DRAFT


def test_an_unknown_action_is_not_found(client_for, tenant_a):
    posting = draft(tenant_a)
    client = signed_in(client_for, tenant_a, owner_of(tenant_a))
    assert client.post(f"{JOBS}{posting.public_id}/explode/").status_code == 404


def test_an_admin_publishes_closes_and_reopens_a_job(client_for, tenant_a, make_member):
    posting = draft(tenant_a)
    client = signed_in(client_for, tenant_a, make_member(tenant_a, "admin"))
    response = client.post(f"{JOBS}{posting.public_id}/publish/", follow=True)
    assert "Published. The job is on your careers site now." in response.content.decode()
    assert "View on careers site" in response.content.decode()
    assert f"/jobs/{posting.public_id}/{posting.slug}/" in response.content.decode()
    client.post(f"{JOBS}{posting.public_id}/close/")
    with tenant_context(tenant_a):
        posting.refresh_from_db()
    assert posting.status == JobPosting.Status.CLOSED
    assert "Re-open</button>" in client.get(f"{JOBS}{posting.public_id}/").content.decode()


def test_publishing_an_incomplete_job_explains_what_is_missing(client_for, tenant_a):
    posting = draft(tenant_a, description="")
    client = signed_in(client_for, tenant_a, owner_of(tenant_a))
    response = client.post(f"{JOBS}{posting.public_id}/publish/", follow=True)
    assert response.status_code == 200
    assert "A published job needs a description." in response.content.decode()


def test_the_fourth_publish_on_starter_shows_the_plan_limit_with_an_upgrade_link(client_for, tenant_a):
    drafts = [draft(tenant_a) for _ in range(4)]
    client = signed_in(client_for, tenant_a, owner_of(tenant_a))
    for posting in drafts[:3]:
        assert client.post(f"{JOBS}{posting.public_id}/publish/").status_code == 302
    refused = client.post(f"{JOBS}{drafts[3].public_id}/publish/")
    assert refused.status_code == 402
    page = refused.content.decode()
    assert "Your plan allows 3 active postings" in page
    assert "You have used 3 of the 3 active jobs your plan includes. The Growth plan includes 25." in page
    assert 'href="/console/billing/">Upgrade to Growth</a>' in page
    # The next draft's page says so before its Publish button is pressed.
    before = client.get(f"{JOBS}{drafts[3].public_id}/").content.decode()
    assert 'role="status" data-plan-gate="active_postings"' in before and "Upgrade to Growth</a>" in before
    with tenant_context(tenant_a):
        assert JobPosting.objects.get(pk=drafts[3].pk).status == JobPosting.Status.DRAFT


def test_duplicate_makes_a_new_draft_and_delete_removes_it(client_for, tenant_a):
    posting = draft(tenant_a, title="Copy me please")
    client = signed_in(client_for, tenant_a, owner_of(tenant_a))
    response = client.post(f"{JOBS}{posting.public_id}/duplicate/")
    with tenant_context(tenant_a):
        copy = JobPosting.objects.exclude(pk=posting.pk).get(title="Copy me please")
    assert response["Location"] == f"{JOBS}{copy.public_id}/"
    assert client.post(f"{JOBS}{copy.public_id}/delete/")["Location"] == JOBS
    with tenant_context(tenant_a):
        assert not JobPosting.objects.filter(pk=copy.pk).exists()


def test_the_live_preview_renders_sanitized_text_without_saving(client_for, tenant_a, make_member):
    client = signed_in(client_for, tenant_a, make_member(tenant_a, "recruiter"))
    response = client.post(JOBS + "preview/", job_form(title="Preview pilot"), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Preview pilot" in page and "<strong>listen</strong>" in page and "<script>" not in page
    assert "EUR 60000 – 80000" in page
    with tenant_context(tenant_a):
        assert not JobPosting.objects.filter(title="Preview pilot").exists()


def test_the_preview_is_for_writers_only(client_for, tenant_a, make_member, make_user):
    assert (
        signed_in(client_for, tenant_a, make_member(tenant_a, "viewer")).post(JOBS + "preview/").status_code
        == 403
    )
    assert signed_in(client_for, tenant_a, make_user()).post(JOBS + "preview/").status_code == 404


def test_an_admin_edits_the_company_profile_and_bad_urls_are_form_errors(client_for, tenant_a):
    client = signed_in(client_for, tenant_a, owner_of(tenant_a))
    bad = client.post("/console/company/", {"name": "Acme", "website": "ftp://acme"})
    assert bad.status_code == 422
    assert bad.context["form"].errors["website"]
    saved = client.post(
        "/console/company/", {"name": "Acme Robots", "tagline": "We build", "about": "<p>Hi</p>"}
    )
    assert saved.status_code == 302
    with tenant_context(tenant_a):
        assert CompanyProfile.objects.get().name == "Acme Robots"


def test_a_recruiter_reads_the_company_profile_but_cannot_change_it(client_for, tenant_a, make_member):
    client = signed_in(client_for, tenant_a, make_member(tenant_a, "recruiter"))
    assert client.get("/console/company/").status_code == 200
    assert client.post("/console/company/", {"name": "Hijack"}).status_code == 403


def test_the_console_nav_links_the_new_pages_and_carries_the_live_bell(client_for, tenant_a):
    page = signed_in(client_for, tenant_a, owner_of(tenant_a)).get(JOBS).content.decode()
    for href in ('href="/console/jobs/"', 'href="/console/team/"', 'href="/console/billing/"'):
        assert href in page
    assert 'id="bell"' in page
    assert "js/notifications.js" in page and "portal/live.js" in page


# --- the editor reaches every field of the API ---------------------------------------------------------------------


def test_the_editor_has_a_field_for_everything_the_api_accepts():
    from jobpilot.jobs.schemas import JobPostingIn, JobPostingPatch
    from jobpilot.portal.console_forms import JobPostingForm

    on_the_form = set(JobPostingForm.base_fields) | {"screening_questions"}
    assert set(JobPostingIn.model_fields) - on_the_form == set()
    assert set(JobPostingPatch.model_fields) - on_the_form == set()


def _questions(*rows) -> dict:
    data = {"questions-TOTAL_FORMS": str(len(rows)), "questions-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        data.update({f"questions-{index}-{key}": value for key, value in row.items()})
    return data


def test_a_complete_remote_job_is_made_in_the_console(client_for, tenant_a):
    client = signed_in(client_for, tenant_a, owner_of(tenant_a))
    form = job_form(
        remote="remote",
        city="",
        country="",
        region="",
        applicant_countries="de, at,CH",
        skills="Python, Django, python",
        tags="robots, backend",
        application_deadline="2026-12-31",
        expires_at="2027-01-15",
        is_featured="on",
        **_questions(
            {"question": "Years of Python?", "kind": "number", "required": "on", "choices": ""},
            {"question": "Which shift?", "kind": "single_choice", "choices": "Early\nLate\n"},
            {"question": "", "kind": "text", "choices": ""},  # the empty row is skipped
        ),
    )
    response = client.post(JOBS + "new/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    with tenant_context(tenant_a):
        posting = JobPosting.objects.get(title="Robot whisperer")
    assert posting.applicant_countries == ["DE", "AT", "CH"]
    assert posting.skills == ["Python", "Django"] and posting.tags == ["robots", "backend"]
    assert str(posting.application_deadline) == "2026-12-31" and posting.is_featured
    assert posting.expires_at.date().isoformat() == "2027-01-15"
    assert [(q["question"], q["kind"], q["required"], q["choices"]) for q in posting.screening_questions] == [
        ("Years of Python?", "number", True, []),
        ("Which shift?", "single_choice", False, ["Early", "Late"]),
    ]

    # Edited again: the questions keep their ids (answers stay attached), the form shows what was saved.
    page = client.get(f"{JOBS}{posting.public_id}/").content.decode()
    assert 'value="DE, AT, CH"' in page and "Years of Python?" in page
    ids = [q["id"] for q in posting.screening_questions]
    edit = job_form(
        remote="remote",
        city="",
        country="",
        applicant_countries="DE",
        slug="robot-whisperer-remote",
        **_questions(
            {"id": ids[0], "question": "Years of Python, roughly?", "kind": "number", "choices": ""},
            {
                "id": ids[1],
                "question": "Which shift?",
                "kind": "single_choice",
                "choices": "a\nb",
                "DELETE": "on",
            },
        ),
    )
    edit["questions-INITIAL_FORMS"] = "2"
    assert client.post(f"{JOBS}{posting.public_id}/", edit).status_code == 302
    with tenant_context(tenant_a):
        posting.refresh_from_db()
    assert [(q["id"], q["question"]) for q in posting.screening_questions] == [
        (ids[0], "Years of Python, roughly?")
    ]
    assert posting.slug == "robot-whisperer-remote" and posting.applicant_countries == ["DE"]


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"applicant_countries": "Germany"}, "two-letter"),
        ({"slug": "Not A Slug"}, "slug"),
        (_questions({"question": "Shift?", "kind": "single_choice", "choices": "Only one"}), "two choices"),
    ],
)
def test_bad_values_answer_the_form_with_the_problem(client_for, tenant_a, overrides, problem):
    client = signed_in(client_for, tenant_a, owner_of(tenant_a))
    posting = draft(tenant_a)
    response = client.post(f"{JOBS}{posting.public_id}/", job_form(**overrides))
    assert response.status_code == 422
    assert problem in response.content.decode().lower()


def test_a_remote_job_without_applicant_countries_cannot_be_published(client_for, tenant_a):
    client = signed_in(client_for, tenant_a, owner_of(tenant_a))
    posting = draft(tenant_a, remote="remote", country="", city="")
    response = client.post(f"{JOBS}{posting.public_id}/publish/", follow=True)
    assert "countries applicants may live in" in response.content.decode()
    with tenant_context(tenant_a):
        assert JobPosting.objects.get(pk=posting.pk).status == JobPosting.Status.DRAFT
