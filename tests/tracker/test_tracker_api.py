"""/api/v1/applications/: the seeker's tracker. External rows are the seeker's to edit; JobPilot rows follow the
employer, and the seeker can add notes or withdraw."""

import datetime
import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from jobpilot.tracker.models import TrackedApplication, TrackedApplicationEvent, TrackedInterview
from jobpilot.tracker.services import tracked_interview_sync_from_employer
from tests.conftest import access_token_for
from tests.seeker_factories import apply_through_jobpilot, track_external

pytestmark = pytest.mark.django_db

EXTERNAL = {
    "company": "Hooli",
    "title": "Senior Platform Engineer",
    "job_url": "https://careers.hooli.example/jobs/42",
    "location": "Palo Alto",
    "status": "applied",
    "applied_on": "2025-03-03",
    "deadline": "2025-04-01",
    "salary_min": 150000,
    "salary_max": 180000,
    "salary_currency": "USD",
    "notes": "Referred by Gavin.",
    "contacts": [{"name": "Denpok", "email": "denpok@hooli.example", "phone": "", "role": "Recruiter"}],
}


def url(application, suffix=""):
    return f"/api/v1/applications/{application.id}/{suffix}"


def patch(client, path, payload):
    return client.patch(path, payload, content_type="application/json")


# --- create, read, list -----------------------------------------------------------------------------------------


def test_a_seeker_tracks_an_external_application(api_client_for, seeker):
    response = api_client_for(seeker).post("/api/v1/applications/", EXTERNAL, content_type="application/json")

    assert response.status_code == 201
    body = response.json()
    assert {key: body[key] for key in EXTERNAL} == EXTERNAL
    assert body["source"] == "external"
    assert body["status_label"] == "Applied"
    assert body["resume_id"] is None
    history = TrackedApplicationEvent.objects.filter(application_id=body["id"])
    assert [(e.kind, e.to_status, e.actor) for e in history] == [("created", "applied", "seeker")]


def test_only_company_and_title_are_required(api_client_for, seeker):
    body = (
        api_client_for(seeker)
        .post(
            "/api/v1/applications/",
            {"company": "Pied Piper", "title": "CEO"},
            content_type="application/json",
        )
        .json()
    )

    assert body["status"] == "applied"
    assert body["applied_on"] == timezone.localdate().isoformat()


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"company": "Hooli"},
        {"company": "   ", "title": "Engineer"},
        {"company": "x" * 201, "title": "Engineer"},
        {"company": "Hooli", "title": "Engineer", "status": "ghosted"},
        {"company": "Hooli", "title": "Engineer", "job_url": "ftp://hooli.example"},
        {"company": "Hooli", "title": "Engineer", "job_url": "javascript:alert(1)"},
        {"company": "Hooli", "title": "Engineer", "applied_on": "yesterday"},
        {"company": "Hooli", "title": "Engineer", "applied_on": "2999-01-01"},
        {"company": "Hooli", "title": "Engineer", "salary_min": -5},
        {"company": "Hooli", "title": "Engineer", "salary_min": 200, "salary_max": 100},
        {"company": "Hooli", "title": "Engineer", "salary_currency": "dollars"},
        {"company": "Hooli", "title": "Engineer", "notes": "x" * 10_001},
        {"company": "Hooli", "title": "Engineer", "contacts": [{"email": "no-name@example.com"}]},
        {"company": "Hooli", "title": "Engineer", "contacts": [{"name": "A", "email": "not-an-email"}]},
        {"company": "Hooli", "title": "Engineer", "contacts": [{"name": "A"}] * 21},
    ],
)
def test_bad_payloads_are_422(api_client_for, seeker, payload):
    response = api_client_for(seeker).post("/api/v1/applications/", payload, content_type="application/json")

    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert not TrackedApplication.objects.filter(seeker=seeker).exists()


def test_the_detail_shows_history_and_interviews(api_client_for, seeker):
    application = track_external(seeker)
    client = api_client_for(seeker)
    patch(client, url(application, "status/"), {"status": "interviewing"})
    client.post(
        url(application, "interviews/"),
        {"starts_at": "2030-01-10T09:00:00Z", "kind": "onsite", "location": "HQ"},
        content_type="application/json",
    )

    body = client.get(url(application)).json()

    assert [
        (h["from_status"], h["to_status"]) for h in body["history"] if h["kind"] != "interview_scheduled"
    ] == [
        (None, "applied"),
        ("applied", "interviewing"),
    ]
    assert [(i["kind"], i["location"], i["from_employer"]) for i in body["interviews"]] == [
        ("onsite", "HQ", False)
    ]


def test_the_list_is_paginated_filtered_and_sorted(api_client_for, seeker):
    for day in range(1, 6):
        track_external(seeker, company=f"Company {day}", applied_on=datetime.date(2025, 1, day))
    track_external(
        seeker, company="Umbrella", title="Virologist", status="offer", applied_on=datetime.date(2025, 1, 9)
    )
    client = api_client_for(seeker)

    page = client.get("/api/v1/applications/?limit=2&page=2").json()
    assert page["pagination"] == {"page": 2, "limit": 2, "total": 6, "pages": 3}
    assert [a["company"] for a in page["results"]] == ["Company 4", "Company 3"]  # Umbrella, 5 are page 1

    assert [a["company"] for a in client.get("/api/v1/applications/?status=offer").json()["results"]] == [
        "Umbrella"
    ]
    assert [a["company"] for a in client.get("/api/v1/applications/?q=viro").json()["results"]] == [
        "Umbrella"
    ]
    dated = client.get(
        "/api/v1/applications/?applied_from=2025-01-02&applied_to=2025-01-03&sort=applied_on"
    ).json()
    assert [a["company"] for a in dated["results"]] == ["Company 2", "Company 3"]
    both = client.get("/api/v1/applications/?status=offer&status=applied").json()
    assert both["pagination"]["total"] == 6


@pytest.mark.parametrize(
    "query", ["limit=0", "limit=101", "page=0", "status=ghosted", "sort=password", "applied_from=soon"]
)
def test_bad_list_parameters_are_422(api_client_for, seeker, query):
    assert api_client_for(seeker).get(f"/api/v1/applications/?{query}").status_code == 422


# --- isolation and authentication -----------------------------------------------------------------------------------


def test_a_seeker_never_sees_or_touches_another_seekers_applications(
    api_client_for, seeker, make_user, tenant_a
):
    theirs = track_external(make_user(), company="Private Co")
    client = api_client_for(seeker)

    assert client.get("/api/v1/applications/").json()["results"] == []
    assert client.get(url(theirs)).status_code == 404
    assert patch(client, url(theirs), {"notes": "mine now"}).status_code == 404
    assert patch(client, url(theirs, "status/"), {"status": "offer"}).status_code == 404
    assert client.post(url(theirs, "withdraw/")).status_code == 404
    assert client.delete(url(theirs)).status_code == 404
    assert client.get(url(theirs, "interviews/")).status_code == 404
    assert (
        client.post(
            url(theirs, "interviews/"), {"starts_at": "2030-01-01T10:00:00Z"}, content_type="application/json"
        ).status_code
        == 404
    )
    theirs.refresh_from_db()
    assert (theirs.status, theirs.notes) == ("applied", "")


def test_the_tracker_is_the_same_on_an_employer_domain(api_client_for, seeker, tenant_a):
    track_external(seeker)

    assert api_client_for(seeker, tenant_a).get("/api/v1/applications/").json()["pagination"]["total"] == 1


def test_the_tracker_needs_authentication(public_client, seeker):
    application = track_external(seeker)

    assert public_client.get("/api/v1/applications/").status_code == 401
    assert public_client.get(url(application)).status_code == 401
    assert (
        public_client.post("/api/v1/applications/", EXTERNAL, content_type="application/json").status_code
        == 401
    )


# --- edit, status, withdraw, delete ---------------------------------------------------------------------------------


def test_an_external_application_can_be_edited(api_client_for, seeker):
    application = track_external(seeker, salary_min=100)

    body = patch(
        api_client_for(seeker), url(application), {"title": "Lead Developer", "salary_max": 200}
    ).json()

    assert body["title"] == "Lead Developer"
    assert (body["salary_min"], body["salary_max"]) == (100, 200)


def test_an_edit_that_inverts_the_salary_range_is_422(api_client_for, seeker):
    application = track_external(seeker, salary_min=100, salary_max=200)

    response = patch(api_client_for(seeker), url(application), {"salary_max": 50})

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_salary_range"


@pytest.mark.parametrize("payload", [{"title": ""}, {"title": None}, {"job_url": "nope"}, {"contacts": "x"}])
def test_bad_edits_are_422(api_client_for, seeker, payload):
    assert patch(api_client_for(seeker), url(track_external(seeker)), payload).status_code == 422


def test_quick_status_update_appends_to_the_history(api_client_for, seeker):
    application = track_external(seeker)
    client = api_client_for(seeker)

    assert patch(client, url(application, "status/"), {"status": "in_review"}).json()["status"] == "in_review"
    assert patch(client, url(application, "status/"), {"status": "offer"}).json()["status_label"] == "Offer"
    patch(client, url(application, "status/"), {"status": "offer"})  # no change, no history row

    history = TrackedApplicationEvent.objects.filter(application=application, kind="status_changed")
    assert [(e.from_status, e.to_status) for e in history.order_by("occurred_at")] == [
        ("applied", "in_review"),
        ("in_review", "offer"),
    ]
    application.refresh_from_db()
    assert application.responded and application.reached_interview and application.reached_offer
    assert application.first_response_at is not None


def test_a_bad_status_is_422(api_client_for, seeker):
    response = patch(api_client_for(seeker), url(track_external(seeker), "status/"), {"status": "ghosted"})

    assert response.status_code == 422


def test_the_history_cannot_be_rewritten(seeker):
    from django.db import DatabaseError, transaction

    application = track_external(seeker)
    event = TrackedApplicationEvent.objects.get(application=application)

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        TrackedApplicationEvent.objects.filter(pk=event.pk).update(to_status="hired")


def test_withdrawing_closes_the_application(api_client_for, seeker):
    application = track_external(seeker)
    client = api_client_for(seeker)

    response = client.post(url(application, "withdraw/"))

    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    again = client.post(url(application, "withdraw/"))
    assert again.status_code == 409
    assert again.json()["code"] == "application_closed"


def test_an_external_application_can_be_deleted(api_client_for, seeker):
    application = track_external(seeker)

    assert api_client_for(seeker).delete(url(application)).status_code == 204
    assert not TrackedApplication.objects.filter(pk=application.pk).exists()


def test_a_jobpilot_application_takes_notes_but_not_edits_of_the_posting(api_client_for, seeker, tenant_a):
    application = apply_through_jobpilot(seeker, tenant_a, title="Robot Wrangler")
    client = api_client_for(seeker)

    assert (
        patch(client, url(application), {"notes": "Prepare demo", "deadline": "2030-01-01"}).status_code
        == 200
    )
    refused = patch(client, url(application), {"title": "CEO", "notes": "sneaky"})
    assert refused.status_code == 409
    assert refused.json() == {
        "detail": "This application was made through JobPilot: only notes, contacts and deadline can be edited.",
        "code": "managed_by_employer",
        "fields": ["title"],
    }
    application.refresh_from_db()
    assert (application.title, application.notes) == ("Robot Wrangler", "Prepare demo")


def test_a_jobpilot_application_status_is_the_employers_to_set(api_client_for, seeker, tenant_a):
    application = apply_through_jobpilot(seeker, tenant_a)
    client = api_client_for(seeker)

    response = patch(client, url(application, "status/"), {"status": "hired"})

    assert response.status_code == 409
    assert response.json()["code"] == "managed_by_employer"
    assert client.delete(url(application)).status_code == 409
    assert client.post(url(application, "withdraw/")).json()["status"] == "withdrawn"


def test_the_seeker_sees_no_employer_link_details(api_client_for, seeker, tenant_a):
    application = apply_through_jobpilot(seeker, tenant_a)

    body = api_client_for(seeker).get(url(application)).json()

    assert "tenant_application_id" not in body
    assert "tenant" not in body
    assert body["source"] == "jobpilot"
    assert body["company"] == "Acme Corp"


# --- interviews -------------------------------------------------------------------------------------------------------


def test_the_seeker_adds_edits_and_removes_interviews_of_external_applications(api_client_for, seeker):
    application = track_external(seeker)
    client = api_client_for(seeker)

    created = client.post(
        url(application, "interviews/"),
        {
            "starts_at": "2030-02-01T15:00:00+01:00",
            "duration_minutes": 45,
            "meeting_url": "https://meet.example/x",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    interview = created.json()
    path = url(application, f"interviews/{interview['id']}/")
    assert patch(client, path, {"status": "cancelled"}).json()["status"] == "cancelled"
    assert client.delete(path).status_code == 204
    assert client.get(url(application, "interviews/")).json() == []
    kinds = TrackedApplicationEvent.objects.filter(application=application).values_list("kind", flat=True)
    assert sorted(kinds) == ["created", "interview_cancelled", "interview_cancelled", "interview_scheduled"]


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"starts_at": "2030-02-01T15:00:00"},  # no time zone
        {"starts_at": "2030-02-01T15:00:00Z", "duration_minutes": 0},
        {"starts_at": "2030-02-01T15:00:00Z", "kind": "carrier-pigeon"},
        {"starts_at": "2030-02-01T15:00:00Z", "meeting_url": "zoom"},
    ],
)
def test_bad_interviews_are_422(api_client_for, seeker, payload):
    response = api_client_for(seeker).post(
        url(track_external(seeker), "interviews/"), payload, content_type="application/json"
    )

    assert response.status_code == 422


def test_employer_interviews_are_shown_but_not_editable(api_client_for, seeker, tenant_a):
    application = apply_through_jobpilot(seeker, tenant_a)
    interview = tracked_interview_sync_from_employer(
        tenant=tenant_a,
        application_id=application.tenant_application_id,
        interview_id=99,
        starts_at=timezone.now() + datetime.timedelta(days=2),
        duration_minutes=60,
        kind="video",
        meeting_url="https://meet.acme.example/abc",
    )
    client = api_client_for(seeker)

    listed = client.get(url(application, "interviews/")).json()
    assert [(i["id"], i["from_employer"]) for i in listed] == [(str(interview.id), True)]
    path = url(application, f"interviews/{interview.id}/")
    assert patch(client, path, {"status": "cancelled"}).status_code == 409
    assert client.delete(path).status_code == 409
    refused = client.post(
        url(application, "interviews/"),
        {"starts_at": "2030-01-01T10:00:00Z"},
        content_type="application/json",
    )
    assert refused.status_code == 409


def test_an_interview_id_under_another_application_is_404(api_client_for, seeker):
    first, second = track_external(seeker), track_external(seeker)
    client = api_client_for(seeker)
    interview = client.post(
        url(first, "interviews/"), {"starts_at": "2030-01-01T10:00:00Z"}, content_type="application/json"
    ).json()

    assert client.delete(url(second, f"interviews/{interview['id']}/")).status_code == 404
    assert TrackedInterview.objects.filter(pk=interview["id"]).exists()


# --- concurrency ----------------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_status_updates_keep_a_consistent_history(make_user, public_tenant):
    owner = make_user()
    application = track_external(owner)
    token = access_token_for(owner)
    statuses = ["in_review", "interviewing", "offer", "not_selected", "hired", "in_review"] * 2
    barrier = threading.Barrier(len(statuses))

    def move(status):
        try:
            barrier.wait()
            client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {token}")
            patch(client, url(application, "status/"), {"status": status})
        finally:
            connection.close()

    threads = [threading.Thread(target=move, args=(s,)) for s in statuses]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    application.refresh_from_db()
    history = list(
        TrackedApplicationEvent.objects.filter(application=application, kind="status_changed").order_by("id")
    )
    # Each change starts where the previous one ended: no lost update, no fork in the history.
    assert [e.from_status for e in history] == ["applied"] + [e.to_status for e in history[:-1]]
    assert history[-1].to_status == application.status


@pytest.mark.django_db(transaction=True)
def test_deleting_an_application_while_its_interview_is_deleted_never_deadlocks(make_user, public_tenant):
    """Both writes lock the application first, then the interview (found by schemathesis: a deadlock, a 500)."""
    owner = make_user()
    token = access_token_for(owner)
    answers = []
    for _ in range(8):
        application = track_external(owner)
        interview = TrackedInterview.objects.create(
            application=application, seeker=owner, starts_at=timezone.now() + datetime.timedelta(days=1)
        )
        barrier = threading.Barrier(2)

        def delete(path, barrier=barrier):
            try:
                barrier.wait()
                answers.append(
                    Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {token}").delete(path)
                )
            finally:
                connection.close()

        paths = [url(application), url(application, f"interviews/{interview.id}/")]
        threads = [threading.Thread(target=delete, args=(path,)) for path in paths]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted({answer.status_code for answer in answers}) in ([204], [204, 404])
    assert not TrackedApplication.objects.filter(seeker=owner).exists()


def test_unknown_application_ids_are_404(api_client_for, seeker):
    assert api_client_for(seeker).get(f"/api/v1/applications/{uuid.uuid4()}/").status_code == 404


def test_edited_contacts_are_stored_whole(api_client_for, seeker):
    application = track_external(seeker)

    patch(api_client_for(seeker), url(application), {"contacts": [{"name": "Monica"}]})

    application.refresh_from_db()
    assert application.contacts == [{"name": "Monica", "email": "", "phone": "", "role": ""}]
