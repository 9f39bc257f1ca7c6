"""Jobs understood at publish/import, /api/v2/ summaries and match scores: the numbers of a known fixture, the plan
gate, isolation (another seeker's resume, another employer's job, drafts) and bad input."""

import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from jobpilot.marketplace.models import MarketplaceJob
from jobpilot.marketplace.services import marketplace_imported_jobs_upsert
from jobpilot.matching.models import JobUnderstanding
from jobpilot.seekers.models import Resume, SeekerProfile, SeekerSkill

pytestmark = pytest.mark.django_db

BACKEND = dict(
    title="Senior Backend Engineer",
    description=(
        "<p>You will build and maintain our payments API.</p>"
        "<p>We need 6+ years of experience with Python, Django and PostgreSQL.</p>"
        "<p>Experience with Kubernetes is a plus.</p>"
        "<p>Benefits include health insurance and 25 days of paid time off.</p>"
    ),
    remote="remote",
    salary_min=120000,
    salary_max=150000,
    salary_currency="USD",
)


@pytest.fixture
def published(tenant_a, make_posting, django_capture_on_commit_callbacks):
    """Publishing runs the on-commit task that understands the listing, as the worker would."""

    def publish(tenant=tenant_a, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            posting = make_posting(tenant, **{**BACKEND, **fields})
        return posting

    return publish


@pytest.fixture
def ai_seeker(make_user, on_plan):
    user = make_user()
    on_plan(user, "seeker_pro")
    profile = SeekerProfile.objects.create(
        user=user,
        headline="Backend engineer",
        location="Berlin, Germany",
        experience_years=6,
        salary_expectation=130000,
        salary_currency="USD",
        bio="I build web services in Python.",
    )
    for position, name in enumerate(["Python", "django", "Postgres"]):
        SeekerSkill.objects.create(profile=profile, name=name, position=position)
    return user


def score(client, **body):
    return client.post("/api/v2/matching/score/", body, content_type="application/json")


def test_publishing_stores_the_understanding_of_the_listing(published):
    posting = published()
    u = JobUnderstanding.objects.get(job__public_id=posting.public_id)
    assert set(u.required_skills) == {"python", "django", "postgresql"}
    assert u.nice_to_have_skills == ["kubernetes"]
    assert u.seniority == "senior"
    assert u.summary["benefits"] == ["Benefits include health insurance and 25 days of paid time off."]
    assert len(bytes(u.embedding)) == 384 * 4


def test_an_imported_job_is_understood_too_and_an_unchanged_update_is_not_encoded_again(
    public_tenant, django_capture_on_commit_callbacks
):
    listing = dict(
        title="Registered Nurse - ICU",
        company_name="City Hospital",
        department="",
        job_type="full_time",
        remote="onsite",
        city="Boston",
        region="MA",
        country="US",
        location_text="Boston, MA",
        applicant_countries=[],
        salary_min=None,
        salary_max=None,
        salary_currency="",
        salary_period="",
        description_html="<p>You will care for critically ill patients. BLS certification required.</p>",
        tags=[],
        apply_url="https://hospital.example/apply",
        posted_at=timezone.now(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        outcome = marketplace_imported_jobs_upsert(source_name="feed", items=[("n1", listing, None)])
    job = MarketplaceJob.objects.get(public_id=outcome["n1"][0])
    first = JobUnderstanding.objects.get(job=job)
    assert first.required_skills == ["basic-life-support"] and first.seniority == "mid"
    with django_capture_on_commit_callbacks(execute=True):
        marketplace_imported_jobs_upsert(source_name="feed", items=[("n1", listing, job.public_id)])
    assert JobUnderstanding.objects.get(job=job).understood_at == first.understood_at


def test_the_backfill_command_understands_listings_that_have_none(published):
    posting = published()
    JobUnderstanding.objects.all().delete()
    call_command("matching_backfill", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert JobUnderstanding.objects.filter(job__public_id=posting.public_id).exists()


def test_the_match_score_of_a_known_fixture(published, ai_seeker, api_client_for):
    posting = published()
    body = score(api_client_for(ai_seeker), job_id=str(posting.public_id)).json()
    # Skills: 3 of 3 required + 0 of 1 nice-to-have = 3 / 3.5; seniority 6 years = senior; remote; pays 150k >= 130k.
    assert body["skills"]["matched_count"] == 3 and body["skills"]["total"] == 4
    assert [s["label"] for s in body["skills"]["missing"]] == ["Kubernetes"]
    assert body["skills"]["score"] == pytest.approx(3 / 3.5, abs=1e-3)
    assert body["seniority"]["fit"] == "match" and body["location"]["fit"] == "remote"
    assert body["salary"]["fit"] == "meets"
    similarity = body["semantic"]["similarity"]
    assert 0.3 < similarity < 0.9
    semantic = min(1, max(0, (similarity - 0.15) / 0.5))
    assert body["score"] == round(100 * (40 * 3 / 3.5 + 25 * semantic + 15 + 10 + 10) / 100)


def test_an_onsite_job_far_away_paying_less_scores_lower(published, ai_seeker, api_client_for):
    near = published()
    far = published(remote="onsite", city="Lisbon", country="PT", salary_min=40000, salary_max=60000)
    client = api_client_for(ai_seeker)
    near_body, far_body = (
        score(client, job_id=str(near.public_id)).json(),
        score(client, job_id=str(far.public_id)).json(),
    )
    assert far_body["location"]["fit"] == "elsewhere" and far_body["salary"]["fit"] == "below"
    assert far_body["score"] < near_body["score"] - 15


def test_the_score_is_a_plan_feature(published, make_user, api_client_for, member_of_a):
    posting = published()
    for user in (make_user(), member_of_a):  # a free seeker; an employer's staff member
        response = score(api_client_for(user), job_id=str(posting.public_id))
        assert response.status_code == 402
        assert response.json()["code"] == "feature_not_in_plan" and response.json()["upgrade_url"]


@pytest.fixture
def member_of_a(make_member, tenant_a):
    return make_member(tenant_a, "owner")


def test_anonymous_callers_are_refused(published, public_client):
    posting = published()
    assert score(public_client, job_id=str(posting.public_id)).status_code == 401
    response = public_client.post(
        "/api/v2/jobs/batch-summarize/", {"ids": [str(posting.public_id)]}, content_type="application/json"
    )
    assert response.status_code == 401


def test_a_seeker_cannot_score_with_another_seeker_s_resume(published, ai_seeker, make_user, api_client_for):
    posting = published()
    other = make_user()
    resume = Resume.objects.create(
        owner=other,
        title="Theirs",
        file=ContentFile(b"x", name="r.pdf"),
        original_filename="r.pdf",
        kind="pdf",
        size=1,
        text="Python Django",
    )
    response = score(api_client_for(ai_seeker), job_id=str(posting.public_id), resume_id=str(resume.pk))
    assert response.status_code == 404
    own = Resume.objects.create(
        owner=ai_seeker,
        title="Mine",
        file=ContentFile(b"x", name="m.pdf"),
        original_filename="m.pdf",
        kind="pdf",
        size=1,
        text="Kubernetes and Python",
    )
    body = score(api_client_for(ai_seeker), job_id=str(posting.public_id), resume_id=str(own.pk)).json()
    assert body["skills"]["matched_count"] == 4  # the resume adds Kubernetes


def test_drafts_and_other_employers_jobs_are_not_found(
    published, make_posting, tenant_a, tenant_b, ai_seeker, api_client_for
):
    draft = make_posting(tenant_a, status="draft", **BACKEND)
    theirs = published(tenant=tenant_b)
    client = api_client_for(ai_seeker)
    assert score(client, job_id=str(draft.public_id)).status_code == 404
    assert api_client_for(ai_seeker).get(f"/api/v2/jobs/{draft.public_id}/summary/").status_code == 404
    # On acme's own domain, globex's job is not there to be scored or summarized.
    on_a = api_client_for(ai_seeker, tenant_a)
    assert score(on_a, job_id=str(theirs.public_id)).status_code == 404
    assert on_a.get(f"/api/v2/jobs/{theirs.public_id}/summary/").status_code == 404
    assert score(client, job_id=str(theirs.public_id)).status_code == 200  # the marketplace lists it


@pytest.mark.parametrize(
    "body",
    [
        '{"job_id": "not-a-uuid"}',
        "{}",
        '{"job_id": "' + str(uuid.uuid4()) + '", "extra": 1}',
        "[1, 2",
        "null",
    ],
)
def test_bad_score_bodies_are_4xx(ai_seeker, api_client_for, body):
    response = api_client_for(ai_seeker).post(
        "/api/v2/matching/score/", body, content_type="application/json"
    )
    assert 400 <= response.status_code < 500 and "code" in response.json()


def test_an_unknown_job_is_a_404(ai_seeker, api_client_for):
    assert score(api_client_for(ai_seeker), job_id=str(uuid.uuid4())).status_code == 404
    assert api_client_for(ai_seeker).get(f"/api/v2/jobs/{uuid.uuid4()}/summary/").status_code == 404
    assert api_client_for(ai_seeker).get("/api/v2/jobs/nope/summary/").status_code == 404


def test_summary_answers_for_anyone(published, public_client):
    posting = published()
    body = public_client.get(f"/api/v2/jobs/{posting.public_id}/summary/").json()
    assert body["seniority"] == "senior"
    assert {s["label"] for s in body["required_skills"]} == {"Python", "Django", "PostgreSQL"}


def test_batch_summaries_cached_now_others_through_a_task_that_can_be_polled(
    published, make_user, api_client_for
):
    ready, later = (
        published(),
        published(title="Account Executive", description="<p>Sell SaaS. CRM a plus.</p>"),
    )
    JobUnderstanding.objects.filter(job__public_id=later.public_id).delete()
    unknown = uuid.uuid4()
    user = make_user()
    client = api_client_for(user)
    ids = [str(ready.public_id), str(unknown)]
    answer = client.post("/api/v2/jobs/batch-summarize/", {"ids": ids}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["batch_id"] is None
    assert answer.json()["not_found"] == [str(unknown)] and len(answer.json()["results"]) == 1

    ids = [str(ready.public_id), str(later.public_id)]
    answer = client.post("/api/v2/jobs/batch-summarize/", {"ids": ids}, content_type="application/json")
    assert answer.status_code == 202
    batch_id = answer.json()["batch_id"]
    progress = client.get(f"/api/v2/jobs/batch-summarize/{batch_id}/").json()  # tasks run eagerly in tests
    assert progress["status"] == "done" and progress["done"] == progress["total"] == 1
    assert {r["id"] for r in progress["results"]} == set(ids)
    # Someone else's batch is not theirs to read.
    assert api_client_for(make_user()).get(f"/api/v2/jobs/batch-summarize/{batch_id}/").status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        '{"ids": []}',
        '{"ids": ["x"]}',
        '{"ids": "abc"}',
        "{",
        '{"ids": [' + ",".join(f'"{uuid.uuid4()}"' for _ in range(101)) + "]}",
    ],
)
def test_bad_batch_bodies_are_4xx(make_user, api_client_for, body):
    response = api_client_for(make_user()).post(
        "/api/v2/jobs/batch-summarize/", body, content_type="application/json"
    )
    assert 400 <= response.status_code < 500


def test_withdrawn_listings_take_their_understanding_with_them(published, tenant_a):
    from django_tenants.utils import tenant_context

    from jobpilot.jobs import services as job_services

    posting = published()
    with tenant_context(tenant_a):
        job_services.job_posting_close(actor=None, posting=posting)
    assert not MarketplaceJob.objects.filter(public_id=posting.public_id).exists()
    assert not JobUnderstanding.objects.filter(job__public_id=posting.public_id).exists()


def test_a_reindexed_employer_s_listings_are_understood_again(
    published, tenant_a, django_capture_on_commit_callbacks
):
    from jobpilot.marketplace.services import marketplace_tenant_reindex

    posting = published()
    with django_capture_on_commit_callbacks(execute=True):
        marketplace_tenant_reindex(tenant=tenant_a)
    assert JobUnderstanding.objects.filter(job__public_id=posting.public_id).exists()


def test_a_planned_seeker_with_no_profile_yet_gets_a_score_of_unknowns(
    published, make_user, on_plan, api_client_for
):
    posting = published()
    JobUnderstanding.objects.all().delete()  # and the job's task has not run yet: understood on the way
    user = make_user()
    on_plan(user, "seeker_pro")
    body = score(api_client_for(user), job_id=str(posting.public_id)).json()
    assert body["skills"]["matched_count"] == 0 and body["seniority"]["fit"] == "unknown"
    assert body["semantic"]["similarity"] is None and body["salary"]["fit"] == "unknown"
    # skills 0; semantic, seniority, salary unknown (1/2); remote job: location 1.
    assert body["score"] == round(100 * (25 * 0.5 + 15 * 0.5 + 10 + 10 * 0.5) / 100)
