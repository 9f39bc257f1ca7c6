# ruff: noqa: F811 - pytest fixtures imported from the applications and jobs test packages
"""The console pipeline on an employer's host: the kanban per job, all applicants, moving candidates (htmx and
plain forms, a reason when rejecting), the candidate page with notes, interviews and scorecards. Members only
(another employer's staff get 404), viewers read only (403 on writes), bad input a 4xx with the form, never 500."""

import pytest
from django_tenants.utils import tenant_context

from jobpilot.applications.models import Application, Interview, Note, Scorecard
from jobpilot.tracker.models import TrackedApplication
from tenants.models import Membership
from tests.applications.conftest import applied, apply_to, job, stage_named  # noqa: F401
from tests.jobs.conftest import member, signed_in, staff_client  # noqa: F401

pytestmark = pytest.mark.django_db
Role = Membership.Role
HTMX = {"HTTP_HX_REQUEST": "true"}


def board(posting) -> str:
    return f"/console/jobs/{posting.public_id}/pipeline/"


def candidate(application) -> str:
    return f"/console/applications/{application.pk}/"


@pytest.fixture
def candidate_in_pipeline(applied):
    return applied()


def test_the_board_shows_a_column_per_stage_and_the_candidate(
    staff_client, tenant_a, job, candidate_in_pipeline
):
    page = staff_client(tenant_a, Role.VIEWER).get(board(job)).content.decode()

    for stage in ("Applied", "Screening", "Interview", "Offer", "Hired", "Rejected"):
        assert f'>{stage} <span class="count">' in page
    assert "Ada Lovelace" in page
    assert "read only" in page and 'name="stage_id"' not in page


def test_all_applicants_lists_and_searches(staff_client, tenant_a, candidate_in_pipeline):
    client = staff_client(tenant_a, Role.VIEWER)

    assert "Ada Lovelace" in client.get("/console/applicants/").content.decode()
    assert "Ada Lovelace" not in client.get("/console/applicants/?q=nobody-like-this").content.decode()


def test_another_employers_staff_get_404_everywhere(
    staff_client, tenant_a, tenant_b, job, candidate_in_pipeline
):
    _, application = candidate_in_pipeline
    # B's owner on A's host is not a member there; on B's own host, A's job and application do not exist.
    other = staff_client(tenant_b, Role.OWNER)
    assert other.get(board(job)).status_code == 404
    assert other.get(candidate(application)).status_code == 404
    assert other.post(f"{candidate(application)}move/", {"stage_id": 1}).status_code == 404
    outsider_on_a = staff_client(tenant_b, Role.OWNER)
    outsider_on_a.defaults["HTTP_HOST"] = "acme.localhost"
    assert outsider_on_a.get(candidate(application)).status_code == 404
    assert outsider_on_a.get("/console/applicants/").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client_for, tenant_a, job):
    response = client_for(tenant_a).get(board(job))
    assert response.status_code == 302 and "/auth/continue/" in response["Location"]


def test_a_recruiter_moves_a_card_with_htmx_and_the_seeker_tracker_follows(
    staff_client, tenant_a, job, candidate_in_pipeline
):
    seeker, application = candidate_in_pipeline
    interview = stage_named(tenant_a, "Interview")

    response = staff_client(tenant_a, Role.RECRUITER).post(
        f"{candidate(application)}move/", {"stage_id": interview.pk}, **HTMX
    )

    assert response.status_code == 200
    assert 'id="pipeline-board"' in response.content.decode()
    with tenant_context(tenant_a):
        assert Application.objects.get(pk=application.pk).stage_id == interview.pk
    assert TrackedApplication.objects.get(seeker=seeker).status == "interviewing"


def test_moving_to_rejected_asks_for_a_reason_then_records_it(
    staff_client, tenant_a, job, candidate_in_pipeline
):
    _, application = candidate_in_pipeline
    rejected = stage_named(tenant_a, "Rejected")
    client = staff_client(tenant_a, Role.RECRUITER)

    asked = client.post(f"{candidate(application)}move/", {"stage_id": rejected.pk}, **HTMX)

    assert asked.status_code == 422
    assert "Reason for rejected" in asked.content.decode()
    with tenant_context(tenant_a):
        assert Application.objects.get(pk=application.pk).stage.name == "Applied"

    done = client.post(
        f"{candidate(application)}move/", {"stage_id": rejected.pk, "reason": "Position filled"}, **HTMX
    )

    assert done.status_code == 200
    with tenant_context(tenant_a):
        moved = Application.objects.get(pk=application.pk)
        assert (moved.stage.name, moved.rejection_reason) == ("Rejected", "Position filled")


def test_a_plain_form_move_redirects_only_to_a_local_page(staff_client, tenant_a, job, candidate_in_pipeline):
    _, application = candidate_in_pipeline
    screening = stage_named(tenant_a, "Screening")

    response = staff_client(tenant_a, Role.RECRUITER).post(
        f"{candidate(application)}move/", {"stage_id": screening.pk, "next": "https://evil.example/"}
    )

    assert response.status_code == 302
    assert response["Location"] == candidate(application)


@pytest.mark.parametrize("stage_id", ["", "abc", "-3", "999999"])
def test_a_bad_stage_is_answered_never_a_500(staff_client, tenant_a, job, candidate_in_pipeline, stage_id):
    _, application = candidate_in_pipeline

    response = staff_client(tenant_a, Role.RECRUITER).post(
        f"{candidate(application)}move/", {"stage_id": stage_id}, **HTMX
    )

    assert response.status_code in (404, 422)


def test_a_viewer_cannot_move_note_schedule_or_score(staff_client, tenant_a, job, candidate_in_pipeline):
    _, application = candidate_in_pipeline
    viewer = staff_client(tenant_a, Role.VIEWER)
    page = viewer.get(candidate(application)).content.decode()

    assert "Add a note" not in page and "Schedule interview" not in page
    for path, data in [
        ("move/", {"stage_id": stage_named(tenant_a, "Offer").pk}),
        ("notes/", {"body": "hi"}),
        ("interviews/", {"starts_at": "2030-01-01T10:00"}),
        ("scorecard/", {"overall": "4"}),
    ]:
        assert viewer.post(f"{candidate(application)}{path}", data).status_code == 403
    with tenant_context(tenant_a):
        assert not Note.objects.filter(application_id=application.pk).exists()


def test_the_candidate_page_shows_the_snapshot(staff_client, tenant_a, job, candidate_in_pipeline):
    _, application = candidate_in_pipeline

    page = staff_client(tenant_a, Role.VIEWER).get(candidate(application)).content.decode()

    assert "Years of Python?" in page and "<dd>5</dd>" in page
    assert f"/api/v1/resumes/{application.resume_public_id}/download/" in page


def test_a_recruiter_adds_a_note_an_interview_and_a_scorecard(
    staff_client, tenant_a, job, candidate_in_pipeline
):
    seeker, application = candidate_in_pipeline
    client = staff_client(tenant_a, Role.RECRUITER)
    base = candidate(application)

    assert client.post(f"{base}notes/", {"body": "Strong on Python"}).status_code == 302
    assert (
        client.post(
            f"{base}interviews/", {"starts_at": "2030-01-15T14:00", "duration_minutes": "45", "kind": "video"}
        ).status_code
        == 302
    )
    assert client.post(f"{base}scorecard/", {"overall": "4", "recommendation": "yes"}).status_code == 302

    page = client.get(base).content.decode()
    assert "Strong on Python" in page and "4/5" in page and "45 min" in page
    with tenant_context(tenant_a):
        assert (
            Interview.objects.get(application_id=application.pk).starts_at.isoformat()
            == "2030-01-15T14:00:00+00:00"
        )
        assert Scorecard.objects.filter(application_id=application.pk).count() == 1
    assert TrackedApplication.objects.get(seeker=seeker).interviews.count() == 1


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("notes/", {"body": "   "}),
        ("interviews/", {"starts_at": "tomorrow"}),
        ("interviews/", {"starts_at": "2030-01-15T14:00", "duration_minutes": "0"}),
        ("interviews/", {"starts_at": "2030-01-15T14:00", "meeting_url": "javascript:alert(1)"}),
        ("scorecard/", {"overall": "9"}),
        ("scorecard/", {"overall": "x", "recommendation": "maybe"}),
    ],
)
def test_bad_input_on_the_candidate_page_is_a_422_with_the_message(
    staff_client, tenant_a, job, candidate_in_pipeline, path, data
):
    _, application = candidate_in_pipeline

    response = staff_client(tenant_a, Role.RECRUITER).post(f"{candidate(application)}{path}", data)

    assert response.status_code == 422
    assert 'class="field-error"' in response.content.decode()


def test_a_seeker_never_sees_notes_or_scorecards(
    staff_client, signed_in, tenant_a, job, candidate_in_pipeline
):
    seeker, application = candidate_in_pipeline
    client = staff_client(tenant_a, Role.RECRUITER)
    client.post(f"{candidate(application)}notes/", {"body": "Secret internal remark"})
    client.post(f"{candidate(application)}scorecard/", {"overall": "2", "comments": "Private scoring"})

    seeker_on_a = signed_in(seeker, tenant_a)
    assert seeker_on_a.get(candidate(application)).status_code == 404
    tracker = signed_in(seeker).get("/tracker/").content.decode()
    assert "Secret internal remark" not in tracker and "Private scoring" not in tracker
