"""The employer's pipeline under /api/v1/employer/: lists, detail, moves, notes, interviews, scorecards, stages."""

import pytest
from django.conf import settings
from django.utils import timezone
from django_tenants.utils import tenant_context

from jobpilot.applications.models import PipelineStage, StatusChange
from jobpilot.tracker.models import TrackedApplication
from tenants.models import Membership
from tests.applications.conftest import QUESTIONS, stage_named

Role = Membership.Role
BASE = "/api/v1/employer"


def post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def patch(client, url, body):
    return client.patch(url, body, content_type="application/json")


def tracked_row(seeker) -> TrackedApplication:
    return TrackedApplication.objects.get(seeker=seeker)


# --- Lists and detail -------------------------------------------------------------------------------------------------


def test_a_viewer_lists_the_tenants_applications_with_filters_and_pages(
    applied, staff_client, tenant_a, make_user, make_posting
):
    _, ada = applied()
    _, bob = applied(make_user(first_name="Bob", last_name="Builder"))
    other_job = make_posting(tenant_a, screening_questions=QUESTIONS)
    _, cy = applied(make_user(first_name="Cy", last_name="Twombly"), posting=other_job)
    viewer = staff_client(tenant_a, Role.VIEWER)

    everything = viewer.get(f"{BASE}/applications/?limit=2").json()
    by_job = viewer.get(f"{BASE}/applications/?job={other_job.public_id}").json()
    by_name = viewer.get(f"{BASE}/applications/?q=builder").json()
    by_email = viewer.get(f"{BASE}/applications/?q={cy.email}").json()

    assert everything["pagination"]["total"] >= 3 and len(everything["results"]) == 2
    assert [row["id"] for row in by_job["results"]] == [cy.pk]
    assert [row["id"] for row in by_name["results"]] == [bob.pk]
    assert [row["id"] for row in by_email["results"]] == [cy.pk]
    assert ada.pk not in [row["id"] for row in by_name["results"]]


def test_the_stage_and_rating_filters(applied, staff_client, tenant_a):
    _, first = applied()
    _, second = applied()
    recruiter = staff_client(tenant_a, Role.RECRUITER)
    screening = stage_named(tenant_a, "Screening")
    post(recruiter, f"{BASE}/applications/{second.pk}/move/", {"stage_id": screening.pk})
    recruiter.put(
        f"{BASE}/applications/{second.pk}/scorecards/mine/", {"overall": 5}, content_type="application/json"
    )

    in_screening = recruiter.get(
        f"{BASE}/applications/?stage={screening.pk}&job={first.job.public_id}"
    ).json()
    well_rated = recruiter.get(f"{BASE}/applications/?min_rating=4&job={first.job.public_id}").json()

    assert [row["id"] for row in in_screening["results"]] == [second.pk]
    assert [row["id"] for row in well_rated["results"]] == [second.pk]
    assert well_rated["results"][0]["rating"] == 5


def test_the_detail_shows_the_snapshot_answers_and_history(applied, staff_client, tenant_a):
    seeker, application = applied()

    detail = staff_client(tenant_a, Role.VIEWER).get(f"{BASE}/applications/{application.pk}/").json()

    assert detail["email"] == seeker.email
    assert detail["answers"] == [{"question_id": "years", "question": "Years of Python?", "answer": 5}]
    assert [entry["kind"] for entry in detail["history"]] == ["applied"]
    assert detail["resume_download_url"] == f"/api/v1/resumes/{application.resume_public_id}/download/"


def test_another_employer_can_never_read_the_applicants(
    applied, staff_client, tenant_a, tenant_b, signed_in, member, on_plan
):
    _, application = applied()
    on_plan(tenant_b, "employer_growth")  # the dashboard is hiring analytics
    b_owner = staff_client(tenant_b, Role.OWNER)
    # tenant B's member, even on tenant A's domain
    b_member_on_a = signed_in(member(tenant_b, Role.ADMIN), tenant_a)

    assert application.pk not in [r["id"] for r in b_owner.get(f"{BASE}/applications/").json()["results"]]
    assert b_owner.get(f"{BASE}/applications/{application.pk}/").status_code == 404
    for url in ("applications/", f"applications/{application.pk}/", f"applications/{application.pk}/notes/"):
        assert b_member_on_a.get(f"{BASE}/{url}").status_code == 404
    assert (
        post(b_member_on_a, f"{BASE}/applications/{application.pk}/notes/", {"body": "x"}).status_code == 404
    )
    assert b_owner.get(f"{BASE}/dashboard/").json()["total"] == 0 or all(
        job["job_id"] != str(application.job.public_id)
        for job in b_owner.get(f"{BASE}/dashboard/").json()["jobs"]
    )


def test_the_pipeline_is_not_served_on_the_public_domain(applied, signed_in, tenant_a):
    _, application = applied()
    owner = tenant_a.memberships.get(role="owner").user

    assert signed_in(owner).get(f"{BASE}/applications/{application.pk}/").status_code == 404


def test_bad_filters_are_422(staff_client, tenant_a):
    viewer = staff_client(tenant_a, Role.VIEWER)

    for query in ("job=nope", "stage=0", "min_rating=9", "limit=1000", "page=0"):
        response = viewer.get(f"{BASE}/applications/?{query}")
        assert response.status_code == 422, query
        assert "code" in response.json()


# --- Moves ------------------------------------------------------------------------------------------------------------


def test_the_pipeline_history_cannot_be_rewritten(applied, tenant_a):
    from django.db import DatabaseError, transaction

    _, application = applied()
    with tenant_context(tenant_a):
        entry = StatusChange.objects.get(application=application)
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            StatusChange.objects.filter(pk=entry.pk).update(reason="rewritten")


def test_a_move_appends_history_and_the_seekers_tracker_follows_at_once(
    applied, staff_client, tenant_a, api_client_for
):
    seeker, application = applied()
    recruiter = staff_client(tenant_a, Role.RECRUITER)
    interview = stage_named(tenant_a, "Interview")

    response = post(recruiter, f"{BASE}/applications/{application.pk}/move/", {"stage_id": interview.pk})

    assert response.status_code == 200
    assert response.json()["stage"]["name"] == "Interview"
    tracker = api_client_for(seeker).get(f"/api/v1/applications/{tracked_row(seeker).pk}/").json()
    assert tracker["status"] == "interviewing"
    with tenant_context(tenant_a):
        assert list(StatusChange.objects.filter(application=application).values_list("kind", flat=True)) == [
            "applied",
            "moved",
        ]


def test_a_move_notifies_the_seeker_and_the_notification_is_listed_unread(
    applied, staff_client, tenant_a, api_client_for
):
    seeker, application = applied()
    post(
        staff_client(tenant_a, Role.RECRUITER),
        f"{BASE}/applications/{application.pk}/move/",
        {"stage_id": stage_named(tenant_a, "Screening").pk},
    )

    feed = api_client_for(seeker).get("/api/v1/notifications/?unread=true").json()

    assert [n["type"] for n in feed["results"]] == ["application_status_changed"]
    assert "In review" in feed["results"][0]["title"]
    # It links to the application in the seeker's tracker, on the public site (emails and any host).
    tracked = TrackedApplication.objects.get(seeker=seeker)
    assert feed["results"][0]["data"]["url"] == f"{settings.SITE_URL.rstrip('/')}/tracker/{tracked.pk}/"


def test_a_move_between_stages_of_one_public_status_does_not_notify(
    applied, staff_client, tenant_a, api_client_for
):
    seeker, application = applied()
    with tenant_context(tenant_a):
        PipelineStage.objects.get_or_create(
            name="Phone screen X", defaults={"public_status": "applied", "position": 1}
        )
        phone = PipelineStage.objects.get(name="Phone screen X")

    post(
        staff_client(tenant_a, Role.RECRUITER),
        f"{BASE}/applications/{application.pk}/move/",
        {"stage_id": phone.pk},
    )

    assert api_client_for(seeker).get("/api/v1/notifications/?unread=true").json()["results"] == []


def test_a_bulk_move_moves_all_or_none(applied, staff_client, tenant_a):
    (_, first), (_, second) = applied(), applied()
    recruiter = staff_client(tenant_a, Role.RECRUITER)
    offer = stage_named(tenant_a, "Offer")

    missing = post(
        recruiter,
        f"{BASE}/applications/move/",
        {"application_ids": [first.pk, 99_999_999], "stage_id": offer.pk},
    )
    moved = post(
        recruiter,
        f"{BASE}/applications/move/",
        {"application_ids": [first.pk, second.pk], "stage_id": offer.pk},
    )

    assert missing.status_code == 404
    assert moved.status_code == 200
    assert {row["stage"]["name"] for row in moved.json()["moved"]} == {"Offer"}
    assert (
        TrackedApplication.objects.filter(
            tenant=tenant_a, tenant_application_id__in=[first.pk, second.pk], status="offer"
        ).count()
        == 2
    )


def test_rejecting_needs_one_of_the_stages_reasons(applied, staff_client, tenant_a, api_client_for):
    seeker, application = applied()
    recruiter = staff_client(tenant_a, Role.RECRUITER)
    rejected = stage_named(tenant_a, "Rejected")
    url = f"{BASE}/applications/{application.pk}/move/"

    without = post(recruiter, url, {"stage_id": rejected.pk})
    made_up = post(recruiter, url, {"stage_id": rejected.pk, "reason": "Too tall"})
    fine = post(recruiter, url, {"stage_id": rejected.pk, "reason": "Position filled"})

    assert (without.status_code, without.json()["code"]) == (422, "reason_required")
    assert made_up.status_code == 422
    assert fine.status_code == 200 and fine.json()["rejection_reason"] == "Position filled"
    assert tracked_row(seeker).status == "not_selected"
    # the seeker sees the public status, never the internal reason
    assert (
        "Position filled"
        not in api_client_for(seeker).get(f"/api/v1/applications/{tracked_row(seeker).pk}/").content.decode()
    )


def test_a_withdrawn_application_cannot_be_moved(applied, staff_client, tenant_a, api_client_for):
    seeker, application = applied()
    api_client_for(seeker).post(f"/api/v1/applications/{tracked_row(seeker).pk}/withdraw/")

    response = post(
        staff_client(tenant_a, Role.RECRUITER),
        f"{BASE}/applications/{application.pk}/move/",
        {"stage_id": stage_named(tenant_a, "Offer").pk},
    )

    assert (response.status_code, response.json()["code"]) == (409, "application_closed")
    assert tracked_row(seeker).status == "withdrawn"


def test_a_viewer_cannot_move_and_bad_moves_are_4xx(applied, staff_client, tenant_a):
    _, application = applied()
    url = f"{BASE}/applications/{application.pk}/move/"
    offer = stage_named(tenant_a, "Offer")

    assert post(staff_client(tenant_a, Role.VIEWER), url, {"stage_id": offer.pk}).status_code == 403
    recruiter = staff_client(tenant_a, Role.RECRUITER)
    assert post(recruiter, url, {"stage_id": 99_999}).status_code == 404
    assert post(recruiter, url, {"stage_id": "x"}).status_code == 422
    assert (
        post(
            recruiter, f"{BASE}/applications/move/", {"application_ids": [], "stage_id": offer.pk}
        ).status_code
        == 422
    )


# --- Notes and scorecards -----------------------------------------------------------------------------------------------


def test_notes_crud_by_recruiters_only_the_author_edits(applied, staff_client, tenant_a, member, signed_in):
    _, application = applied()
    url = f"{BASE}/applications/{application.pk}/notes/"
    author = staff_client(tenant_a, Role.RECRUITER)
    colleague = staff_client(tenant_a, Role.RECRUITER)
    admin = staff_client(tenant_a, Role.ADMIN)

    note = post(author, url, {"body": "Strong Django background"}).json()
    assert author.get(url).json()[0]["body"] == "Strong Django background"
    assert patch(colleague, f"{url}{note['id']}/", {"body": "mine now"}).status_code == 409
    assert patch(author, f"{url}{note['id']}/", {"body": "Very strong"}).json()["body"] == "Very strong"
    assert colleague.delete(f"{url}{note['id']}/").status_code == 409
    assert admin.delete(f"{url}{note['id']}/").status_code == 204
    assert author.get(url).json() == []


def test_viewers_read_notes_but_cannot_write_and_bad_notes_are_422(applied, staff_client, tenant_a):
    _, application = applied()
    url = f"{BASE}/applications/{application.pk}/notes/"
    viewer = staff_client(tenant_a, Role.VIEWER)

    assert viewer.get(url).status_code == 200
    assert post(viewer, url, {"body": "hi"}).status_code == 403
    assert post(staff_client(tenant_a, Role.RECRUITER), url, {"body": "  "}).status_code == 422


def test_scorecards_one_per_reviewer_average_into_the_rating(applied, staff_client, tenant_a):
    _, application = applied()
    url = f"{BASE}/applications/{application.pk}/scorecards/mine/"
    first, second = staff_client(tenant_a, Role.RECRUITER), staff_client(tenant_a, Role.RECRUITER)

    first.put(url, {"overall": 2, "ratings": {"python": 2}}, content_type="application/json")
    first.put(
        url,
        {"overall": 4, "ratings": {"python": 4}, "recommendation": "yes"},
        content_type="application/json",
    )
    second.put(url, {"overall": 5}, content_type="application/json")

    cards = first.get(f"{BASE}/applications/{application.pk}/scorecards/").json()
    assert sorted(card["overall"] for card in cards) == [4, 5]
    assert first.get(f"{BASE}/applications/{application.pk}/").json()["rating"] == 4.5
    assert second.delete(url).status_code == 204
    assert first.get(f"{BASE}/applications/{application.pk}/").json()["rating"] == 4


def test_bad_scorecards_are_422_and_viewers_cannot_score(applied, staff_client, tenant_a):
    _, application = applied()
    url = f"{BASE}/applications/{application.pk}/scorecards/mine/"
    recruiter = staff_client(tenant_a, Role.RECRUITER)

    for body in (
        {"overall": 6},
        {"overall": 0},
        {"overall": 3, "ratings": {"x": 9}},
        {"overall": 3, "recommendation": "meh"},
    ):
        assert recruiter.put(url, body, content_type="application/json").status_code == 422, body
    assert (
        staff_client(tenant_a, Role.VIEWER)
        .put(url, {"overall": 3}, content_type="application/json")
        .status_code
        == 403
    )


def test_a_seeker_never_sees_notes_scorecards_or_feedback(applied, staff_client, tenant_a, api_client_for):
    seeker, application = applied()
    recruiter = staff_client(tenant_a, Role.RECRUITER)
    base = f"{BASE}/applications/{application.pk}"
    post(recruiter, f"{base}/notes/", {"body": "SECRET-NOTE-7f3"})
    recruiter.put(
        f"{base}/scorecards/mine/",
        {"overall": 2, "comments": "SECRET-CARD-7f3"},
        content_type="application/json",
    )
    interview = post(
        recruiter,
        f"{base}/interviews/",
        {"starts_at": "2030-01-02T10:00:00Z", "interviewers": ["SECRET-PANEL-7f3"]},
    ).json()
    patch(recruiter, f"{base}/interviews/{interview['id']}/", {"feedback": "SECRET-FEEDBACK-7f3"})

    seeker_client = api_client_for(seeker)
    seeker_on_tenant = api_client_for(seeker, tenant_a)
    tracked = tracked_row(seeker)
    pages = [
        seeker_client.get("/api/v1/applications/"),
        seeker_client.get(f"/api/v1/applications/{tracked.pk}/"),
        seeker_client.get(f"/api/v1/applications/{tracked.pk}/interviews/"),
        seeker_client.get("/api/v1/applications/export/"),
        seeker_client.get("/api/v1/auth/export/"),
        seeker_client.get("/api/v1/notifications/"),
        seeker_client.get("/api/v1/dashboard/recent-activity/"),
        seeker_on_tenant.get(f"{base}/notes/"),
        seeker_on_tenant.get(f"{base}/scorecards/"),
        seeker_on_tenant.get(f"{base}/"),
    ]
    for response in pages:
        assert "SECRET-" not in response.content.decode(), response.request["PATH_INFO"]
    assert [r.status_code for r in pages[-3:]] == [404, 404, 404]


# --- Interviews -------------------------------------------------------------------------------------------------------


def test_scheduling_an_interview_mirrors_it_and_tells_the_seeker(
    applied, staff_client, tenant_a, api_client_for
):
    seeker, application = applied()
    recruiter = staff_client(tenant_a, Role.RECRUITER)
    url = f"{BASE}/applications/{application.pk}/interviews/"

    created = post(
        recruiter,
        url,
        {"starts_at": "2030-03-04T09:00:00Z", "duration_minutes": 45, "kind": "onsite", "location": "HQ"},
    )
    interview_id = created.json()["id"]
    moved = patch(recruiter, f"{url}{interview_id}/", {"starts_at": "2030-03-05T09:00:00Z"})
    feedback_only = patch(recruiter, f"{url}{interview_id}/", {"feedback": "good"})

    assert created.status_code == 201 and moved.status_code == 200 and feedback_only.status_code == 200
    mirrored = api_client_for(seeker).get(f"/api/v1/applications/{tracked_row(seeker).pk}/interviews/").json()
    assert [(i["starts_at"][:10], i["location"], i["status"]) for i in mirrored] == [
        ("2030-03-05", "HQ", "scheduled")
    ]
    feed = api_client_for(seeker).get("/api/v1/notifications/").json()["results"]
    assert [n["type"] for n in feed] == ["interview_scheduled", "interview_scheduled"]  # scheduled, moved
    assert {n["data"]["url"] for n in feed} == {
        f"{settings.SITE_URL.rstrip('/')}/tracker/{tracked_row(seeker).pk}/"
    }

    cancelled = post(recruiter, f"{url}{interview_id}/cancel/")
    assert cancelled.json()["status"] == "cancelled"
    mirrored = api_client_for(seeker).get(f"/api/v1/applications/{tracked_row(seeker).pk}/interviews/").json()
    assert mirrored[0]["status"] == "cancelled"


def test_interviews_need_a_recruiter_and_valid_input(applied, staff_client, tenant_a, tenant_b):
    _, application = applied()
    url = f"{BASE}/applications/{application.pk}/interviews/"
    recruiter = staff_client(tenant_a, Role.RECRUITER)

    assert (
        post(staff_client(tenant_a, Role.VIEWER), url, {"starts_at": "2030-01-01T10:00:00Z"}).status_code
        == 403
    )
    assert (
        post(staff_client(tenant_b, Role.OWNER), url, {"starts_at": "2030-01-01T10:00:00Z"}).status_code
        == 404
    )
    for body in (
        {},
        {"starts_at": "2030-01-01T10:00:00"},
        {"starts_at": "2030-01-01T10:00:00Z", "duration_minutes": 1},
        {"starts_at": "2030-01-01T10:00:00Z", "meeting_url": "javascript:alert(1)"},
        {"starts_at": "2030-01-01T10:00:00Z", "kind": "carrier-pigeon"},
    ):
        assert post(recruiter, url, body).status_code == 422, body
    assert patch(recruiter, f"{url}99999999/", {"feedback": "x"}).status_code == 404


# --- Stages -----------------------------------------------------------------------------------------------------------


def test_every_tenant_starts_with_the_default_stages(staff_client, tenant_b):
    stages = staff_client(tenant_b, Role.VIEWER).get(f"{BASE}/stages/").json()

    assert [stage["name"] for stage in stages][:6] == [
        "Applied",
        "Screening",
        "Interview",
        "Offer",
        "Hired",
        "Rejected",
    ]
    assert [stage["public_status"] for stage in stages][:6] == [
        "applied",
        "in_review",
        "interviewing",
        "offer",
        "hired",
        "not_selected",
    ]
    assert stages[0]["is_initial"] and stages[5]["rejection_reasons"]


def test_admins_configure_stages_recruiters_cannot(staff_client, tenant_a):
    admin = staff_client(tenant_a, Role.ADMIN)
    name = f"Take-home {timezone.now().timestamp()}"

    assert (
        post(
            staff_client(tenant_a, Role.RECRUITER),
            f"{BASE}/stages/",
            {"name": name, "public_status": "in_review"},
        ).status_code
        == 403
    )
    created = post(admin, f"{BASE}/stages/", {"name": name, "public_status": "in_review"})
    assert created.status_code == 201
    stage_id = created.json()["id"]
    assert patch(admin, f"{BASE}/stages/{stage_id}/", {"position": 2}).json()["position"] == 2
    assert post(admin, f"{BASE}/stages/", {"name": name, "public_status": "in_review"}).status_code == 409
    assert post(admin, f"{BASE}/stages/", {"name": "X", "public_status": "withdrawn"}).status_code == 422
    assert post(admin, f"{BASE}/stages/", {"name": "", "public_status": "offer"}).status_code == 422
    assert admin.delete(f"{BASE}/stages/{stage_id}/").status_code == 204


def test_a_used_or_initial_stage_cannot_be_deleted(applied, staff_client, tenant_a):
    applied()
    admin = staff_client(tenant_a, Role.ADMIN)

    response = admin.delete(f"{BASE}/stages/{stage_named(tenant_a, 'Applied').pk}/")

    assert (response.status_code, response.json()["code"]) == (409, "initial_stage_required")


def test_stages_of_one_tenant_are_invisible_to_another(staff_client, tenant_a, tenant_b):
    admin_a = staff_client(tenant_a, Role.ADMIN)
    name = f"Only at A {timezone.now().timestamp()}"
    assert post(admin_a, f"{BASE}/stages/", {"name": name, "public_status": "offer"}).status_code == 201

    assert name not in [s["name"] for s in staff_client(tenant_b, Role.ADMIN).get(f"{BASE}/stages/").json()]
    with tenant_context(tenant_b):
        assert not PipelineStage.objects.filter(name=name).exists()


def test_interview_notifications_give_the_time_on_the_seekers_clock(
    applied, staff_client, tenant_a, api_client_for
):
    seeker, application = applied()
    type(seeker).objects.filter(pk=seeker.pk).update(time_zone="Europe/Berlin")
    recruiter = staff_client(tenant_a, Role.RECRUITER)

    post(
        recruiter,
        f"{BASE}/applications/{application.pk}/interviews/",
        {"starts_at": "2030-12-09T04:45:00Z", "duration_minutes": 30, "kind": "video"},
    )

    feed = api_client_for(seeker).get("/api/v1/notifications/").json()["results"]
    assert feed[0]["body"] == "Starts Mon 9 Dec 2030, 05:45 CET (30 minutes)."
