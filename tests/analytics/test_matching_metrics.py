"""/api/v2/analytics/matching-metrics/: recommendation click-through and apply rates against other sources (from
the platform rollup), and the employer's applicants and hires by match score (stored at apply, else scored at
rollup time), on a known history; isolation, permissions, plan gate and bad ranges. Plus the capture of
recommendation clicks and applies."""

from datetime import timedelta

import numpy as np
import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.files.base import ContentFile
from django.test import RequestFactory
from django.utils import timezone
from django_tenants.utils import tenant_context

from jobpilot.analytics import capture
from jobpilot.analytics.models import Event
from jobpilot.analytics.tasks import flush_events
from jobpilot.applications.models import Application
from jobpilot.marketplace.models import MarketplaceJob
from jobpilot.matching import embeddings
from jobpilot.matching.models import JobUnderstanding
from jobpilot.matching.taxonomy import normalize_skill
from jobpilot.seekers.models import Resume, SeekerProfile, SeekerSkill
from tests.analytics.history import DAY, at, events, pipeline, roll_up_known_days

pytestmark = pytest.mark.django_db

METRICS = "/api/v2/analytics/matching-metrics/"
RANGE = {"since": (DAY - timedelta(days=2)).isoformat(), "until": DAY.isoformat()}


def _understood(posting) -> None:
    """A stored understanding that makes scores exact: one required skill (Python), mid level, a remote job with
    no salary, and a zero embedding (semantic fit 0 whatever the seeker's text)."""
    job = MarketplaceJob.objects.get(public_id=posting.public_id)
    MarketplaceJob.objects.filter(pk=job.pk).update(remote="remote", salary_annual_max=None)
    JobUnderstanding.objects.update_or_create(
        job=job,
        defaults={
            "required_skills": [normalize_skill("Python").id],
            "nice_to_have_skills": [],
            "seniority": "mid",
            "summary": {},
            "embedding": embeddings.to_bytes(np.zeros(embeddings.DIMENSIONS, dtype=np.float32)),
            "text_hash": "test",
        },
    )


def _seeker(make_user, *, skills=(), years=None):
    user = make_user()
    profile, _ = SeekerProfile.objects.update_or_create(user=user, defaults={"experience_years": years})
    for name in skills:
        SeekerSkill.objects.create(profile=profile, name=name)
    return user


@pytest.fixture
def known(tenant_a, tenant_b, make_posting, make_user, on_plan):
    on_plan(tenant_a, "employer_growth")
    on_plan(tenant_b, "employer_growth")
    job_a, job_b = make_posting(tenant_a), make_posting(tenant_b)
    _understood(job_a)
    # Skills 40 + semantic 0 + seniority 15 (mid) + remote 10 + salary unknown 5 = 70; no years: 7.5 -> 62.
    mid = _seeker(make_user, skills=["Python"], years=3)
    unsure = _seeker(make_user, skills=["Python"])
    blank = _seeker(make_user)  # nothing known of them: unscored
    ids = pipeline(
        tenant_a,
        job_a,
        [
            [("Applied", at(0, 9)), ("Hired", at(0, 12))],
            [("Applied", at(-1, 9))],
            [("Applied", at(-1, 10))],
            [("Applied", at(0, 10)), ("Hired", at(0, 11))],  # no seeker account (deleted): unscored
        ],
    )
    with tenant_context(tenant_a):
        for pk, seeker in zip(ids, [mid, unsure, blank], strict=False):
            Application.objects.filter(pk=pk).update(seeker_user_id=seeker.pk)
    pipeline(tenant_b, job_b, [[("Applied", at(0, 9)), ("Hired", at(0, 10))]] * 3)
    events(
        [(at(0, 9), "impression", "recommendation", tenant_a.pk, job_a.public_id, None)] * 10
        + [(at(0, 9), "view", "recommendation", tenant_a.pk, job_a.public_id, None)] * 4
        + [(at(0, 9), "apply_submitted", "recommendation", tenant_a.pk, job_a.public_id, None)]
        + [(at(-1, 9), "impression", "marketplace", tenant_b.pk, job_b.public_id, None)] * 100
        + [(at(-1, 9), "view", "marketplace", tenant_b.pk, job_b.public_id, None)] * 10
        + [(at(-1, 9), "apply_submitted", "careers_site", tenant_b.pk, job_b.public_id, None)] * 5
    )
    roll_up_known_days()


RATES = {
    "recommendation": {"impressions": 10, "views": 4, "applies": 1, "ctr": 0.4, "apply_rate": 0.25},
    "other": {"impressions": 100, "views": 10, "applies": 5, "ctr": 0.1, "apply_rate": 0.5},
}


def _buckets(data) -> dict:
    return {
        row["bucket"]: (row["applicants"], row["hires"])
        for row in data["score_distribution"]
        if row["applicants"]
    }


def test_an_employer_sees_its_score_distribution_and_the_platform_rates(known, staff_client, tenant_a):
    response = staff_client(tenant_a, "viewer").get(METRICS, RANGE)
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["recommendations"] == RATES
    assert _buckets(data) == {"70-79": (1, 1), "60-69": (1, 0), "unscored": (2, 1)}
    assert [row["bucket"] for row in data["score_distribution"]][::5] == ["0-9", "50-59", "unscored"]


def test_an_employer_never_sees_another_employers_distribution(known, staff_client, tenant_b):
    data = staff_client(tenant_b).get(METRICS, RANGE).json()
    assert _buckets(data) == {"unscored": (3, 3)}
    assert data["recommendations"] == RATES  # aggregate, the same for everyone


def test_staff_on_the_public_domain_see_the_rates_only(known, api_client_for, make_user):
    data = api_client_for(make_user(is_staff=True)).get(METRICS, RANGE).json()
    assert data["recommendations"] == RATES
    assert data["score_distribution"] is None


def test_seekers_anonymous_and_unplanned_employers_are_refused(
    tenant_a, make_user, api_client_for, public_client, signed_in, client_for, staff_client, on_plan
):
    assert api_client_for(make_user()).get(METRICS).status_code == 403  # a seeker on the public domain
    assert signed_in(make_user(), tenant_a).get(METRICS).status_code in (403, 404)  # not a member
    assert public_client.get(METRICS).status_code == 401
    assert client_for(tenant_a).get(METRICS).status_code == 401
    on_plan(tenant_a, "employer_starter")
    response = staff_client(tenant_a).get(METRICS)
    assert response.status_code == 402
    assert response.json()["code"] == "feature_not_in_plan"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({"since": "2026-13-01"}, "validation_error"),
        ({"until": "yesterday"}, "validation_error"),
        ({"since": "2026-10-14", "until": "2026-10-01"}, "invalid_range"),
    ],
)
def test_bad_ranges_answer_422(tenant_a, staff_client, on_plan, api_client_for, make_user, query, code):
    on_plan(tenant_a, "employer_growth")
    for client in (staff_client(tenant_a), api_client_for(make_user(is_staff=True))):
        response = client.get(METRICS, query)
        assert response.status_code == 422
        assert response.json()["code"] == code


def test_a_recommended_click_is_a_view_and_its_apply_keeps_the_source(public_tenant, make_user, tenant_a):
    class Job:
        tenant_id, public_id = tenant_a.pk, "0b0f2c55-3c1e-4f55-9a55-5f1f0e0a0b0c"

    def request(path):
        req = RequestFactory().get(path)
        SessionMiddleware(lambda r: None).process_request(req)
        req.user, req.tenant = make_user(), public_tenant
        return req

    clicked = request("/jobs/x/?utm_source=recommendation")
    capture.record_view(clicked, Job())
    flush_events()
    kinds = list(Event.objects.order_by("id").values_list("kind", "source"))
    assert kinds == [("view", "recommendation"), ("recommendation_click", "recommendation")]
    apply = request("/jobs/x/apply/")
    apply.session, apply.user = clicked.session, clicked.user
    assert capture.apply_source_of(apply, Job.public_id) == "recommendation"
    assert capture.apply_source_of(apply, "another-job") == "marketplace"
    assert capture.apply_source_of(request("/jobs/x/apply/"), Job.public_id) == "marketplace"


def test_the_console_page_charts_the_match_scores_of_its_own_applicants_and_hires(
    known, staff_client, tenant_b
):
    html = staff_client(tenant_b, "viewer").get("/console/analytics/", RANGE).content.decode()
    charts = html[html.index('id="match-scores"') :]
    assert 'aria-label="Applications made in the range by match score"' in charts
    assert 'aria-label="Hires among those applications by match score"' in charts
    # Globex's own three hires are unscored; Acme's scored applicants (60-69, 70-79) are not on its page.
    assert charts.count(">unscored<") >= 2
    assert html.count('<svg class="chart') == 5


def test_the_platform_page_shows_recommendations_against_every_other_source(make_user, signed_in):
    html = signed_in(make_user(is_staff=True)).get("/staff/analytics/").content.decode()
    table = html[html.index('id="recommendation-rates"') :]
    assert "Recommended" in table and "Everything else" in table


# --- The score stored at apply ---------------------------------------------------------------------------------------


def _resume(seeker, text: str) -> Resume:
    return Resume.objects.create(
        owner=seeker,
        title="CV",
        file=ContentFile(b"x", name="cv.pdf"),
        original_filename="cv.pdf",
        kind="pdf",
        size=1,
        text=text,
        text_status=Resume.TextStatus.READY,
        is_default=True,
    )


def _apply(api_client_for, seeker, posting):
    response = api_client_for(seeker).post(
        f"/api/v1/jobs/{posting.public_id}/apply/", {}, content_type="application/json"
    )
    assert response.status_code == 201, response.json()


def _stored_score(tenant, posting, seeker):
    with tenant_context(tenant):
        return Application.objects.get(job__public_id=posting.public_id, seeker_user_id=seeker.pk).match_score


@pytest.fixture
def applied_with_scores(tenant_a, make_posting, make_user, on_plan, api_client_for, media_root):
    """Two seekers applied to an understood job through the apply endpoint: one with a Python resume (skills 40 +
    semantic 0 + seniority unknown 7.5 + remote 10 + salary unknown 5 = 62.5 -> 62), one with no resume and an
    empty profile (nothing to score)."""
    on_plan(tenant_a, "employer_growth")
    posting = make_posting(tenant_a)
    _understood(posting)
    with_resume, without = make_user(), make_user()
    resume = _resume(with_resume, "Backend developer: Python, ten projects.")
    _apply(api_client_for, with_resume, posting)
    _apply(api_client_for, without, posting)
    return posting, with_resume, resume, without


def test_the_match_score_is_stored_at_apply_and_null_without_a_resume(applied_with_scores, tenant_a):
    posting, with_resume, _resume_sent, without = applied_with_scores
    assert _stored_score(tenant_a, posting, with_resume) == 62
    assert _stored_score(tenant_a, posting, without) is None


def test_the_score_cohort_keeps_the_stored_score_after_the_resume_changes(
    applied_with_scores, tenant_a, staff_client
):
    from jobpilot.analytics.services import pipeline_rollup_tenant

    _posting, _with_resume, resume_sent, _without = applied_with_scores
    # Scored now, the changed resume would be 22 (no skill matched): the cohort must keep the 62 stored at apply.
    Resume.objects.filter(pk=resume_sent.pk).update(text="Cobol and Fortran on mainframes.")
    pipeline_rollup_tenant(tenant=tenant_a, days=[timezone.now().date()])
    data = staff_client(tenant_a, "viewer").get(METRICS).json()
    assert _buckets(data) == {"60-69": (1, 0), "unscored": (1, 0)}
