"""GET /api/v1/auth/export/ and DELETE /api/v1/auth/profile/: the seeker's data out, and the seeker's data gone."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.test import Client

from jobpilot.seekers.models import Resume, SeekerProfile
from jobpilot.seekers.services import seeker_profile_update
from jobpilot.tracker.models import TrackedApplication, TrackedApplicationEvent, TrackedInterview
from jobpilot.tracker.services import (
    tracked_application_sync_status,
    tracked_interview_sync_from_employer,
)
from tenants.models import Membership
from tests.conftest import TEST_PASSWORD
from tests.seeker_factories import apply_through_jobpilot, track_external, upload_resume

pytestmark = pytest.mark.django_db


def delete_account(client, password=TEST_PASSWORD):
    return client.delete("/api/v1/auth/profile/", {"password": password}, content_type="application/json")


# --- export -----------------------------------------------------------------------------------------------------------


def test_export_holds_the_account_profile_resumes_and_tracker(
    api_client_for, seeker, tenant_a, django_capture_on_commit_callbacks
):
    seeker_profile_update(
        seeker=seeker, changes={"headline": "Data engineer"}, skills=[{"name": "SQL", "level": "expert"}]
    )
    with django_capture_on_commit_callbacks(execute=True):
        resume = upload_resume(seeker)
    applied = apply_through_jobpilot(seeker, tenant_a, resume=resume, title="Data Engineer")
    tracked_application_sync_status(
        tenant=tenant_a, application_id=applied.tenant_application_id, public_status="interviewing"
    )
    track_external(seeker, company="Hooli", notes="Referred by Gavin")

    response = api_client_for(seeker).get("/api/v1/auth/export/")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="jobpilot-my-data.json"'
    data = json.loads(response.content)
    assert data["account"]["email"] == seeker.email
    assert data["email_addresses"] == []
    assert data["profile"]["headline"] == "Data engineer"
    assert data["profile"]["skills"] == [{"name": "SQL", "level": "expert"}]
    assert [r["id"] for r in data["resumes"]] == [str(resume.id)]
    assert f"Resume of {seeker.email}" in data["resumes"][0]["text"]
    by_company = {a["company"]: a for a in data["applications"]}
    assert by_company["Acme Corp"]["employer"] == "Acme Corp"
    assert [h["to_status"] for h in by_company["Acme Corp"]["history"]] == ["applied", "interviewing"]
    assert by_company["Hooli"]["notes"] == "Referred by Gavin"


def test_export_holds_saved_jobs_saved_searches_and_notification_preferences(
    api_client_for, seeker, make_user, tenant_a, make_posting
):
    posting = make_posting(tenant_a, title="Platform Engineer")
    client = api_client_for(seeker)
    assert client.post(f"/api/v1/jobs/{posting.public_id}/save/").status_code == 201
    search = {"name": "Remote Go", "q": "golang", "filters": {"remote": ["remote"]}, "frequency": "weekly"}
    assert client.post("/api/v1/saved-searches/", search, content_type="application/json").status_code == 201
    preference = {"preferences": [{"type": "saved_search_match", "in_app": False, "email": "instant"}]}
    assert (
        client.put(
            "/api/v1/notifications/preferences/", preference, content_type="application/json"
        ).status_code
        == 200
    )
    other = api_client_for(make_user())
    other.post("/api/v1/saved-searches/", {**search, "name": "Not mine"}, content_type="application/json")

    data = client.get("/api/v1/auth/export/").json()

    assert [(job["job_public_id"], job["title"]) for job in data["saved_jobs"]] == [
        (str(posting.public_id), "Platform Engineer")
    ]
    assert [(s["name"], s["q"], s["frequency"]) for s in data["saved_searches"]] == [
        ("Remote Go", "golang", "weekly")
    ]
    assert data["saved_searches"][0]["filters"]["remote"] == ["remote"]
    by_type = {row["type"]: row for row in data["notification_preferences"]}
    assert by_type["saved_search_match"] == {
        "type": "saved_search_match",
        "in_app": False,
        "email": "instant",
        "is_default": False,
    }
    assert all(row["is_default"] for type, row in by_type.items() if type != "saved_search_match")


def test_export_holds_nothing_of_another_seeker(api_client_for, seeker, make_user):
    other = make_user()
    track_external(other, company="Not mine")
    upload_resume(other)

    data = api_client_for(seeker).get("/api/v1/auth/export/").json()

    assert data["applications"] == []
    assert data["resumes"] == []
    assert data["profile"] is None
    assert data["saved_jobs"] == data["saved_searches"] == []


def test_export_needs_authentication(public_client):
    assert public_client.get("/api/v1/auth/export/").status_code == 401


# --- deletion ---------------------------------------------------------------------------------------------------------


def test_deleting_the_account_removes_profile_resumes_files_tracker_and_tokens(
    public_client, api_client_for, seeker, tenant_a, django_capture_on_commit_callbacks
):
    seeker_profile_update(seeker=seeker, changes={"headline": "Leaving"})
    resume = upload_resume(seeker)
    stored_file = resume.file.name
    applied = apply_through_jobpilot(seeker, tenant_a, resume=resume)
    tracked_interview_sync_from_employer(
        tenant=tenant_a,
        application_id=applied.tenant_application_id,
        interview_id=7,
        starts_at=applied.created_at,
        duration_minutes=30,
    )
    track_external(seeker)
    refresh_token = public_client.post(
        "/api/v1/auth/login/",
        {"email": seeker.email, "password": TEST_PASSWORD},
        content_type="application/json",
    ).json()["refresh_token"]

    with django_capture_on_commit_callbacks(execute=True):
        response = delete_account(api_client_for(seeker))

    assert response.status_code == 204
    assert not get_user_model().objects.filter(pk=seeker.pk).exists()
    assert not SeekerProfile.objects.filter(user_id=seeker.pk).exists()
    assert not Resume.objects.filter(owner_id=seeker.pk).exists()
    assert not default_storage.exists(stored_file)
    assert not TrackedApplication.objects.filter(seeker_id=seeker.pk).exists()
    assert not TrackedApplicationEvent.objects.filter(seeker_id=seeker.pk).exists()
    assert not TrackedInterview.objects.filter(seeker_id=seeker.pk).exists()
    assert not EmailAddress.objects.filter(email=seeker.email).exists()
    refused = public_client.post(
        "/api/v1/auth/refresh/", {"refresh_token": refresh_token}, content_type="application/json"
    )
    assert refused.status_code == 401


def test_deletion_leaves_other_seekers_alone(api_client_for, seeker, make_user):
    other = make_user()
    track_external(other)
    upload_resume(other)

    delete_account(api_client_for(seeker))

    assert TrackedApplication.objects.filter(seeker=other).count() == 1
    assert Resume.objects.filter(owner=other).count() == 1


def test_a_wrong_password_deletes_nothing(api_client_for, seeker):
    track_external(seeker)

    response = delete_account(api_client_for(seeker), password="not-my-password")

    assert response.status_code == 403
    assert response.json()["code"] == "wrong_password"
    assert TrackedApplication.objects.filter(seeker=seeker).exists()


def test_password_confirmation_is_throttled_like_login(api_client_for, seeker, settings):
    settings.LOGIN_THROTTLE_PER_EMAIL = 2
    client = api_client_for(seeker)
    for _ in range(2):
        delete_account(client, password="guess")

    assert delete_account(client).status_code == 429
    assert get_user_model().objects.filter(pk=seeker.pk).exists()


@pytest.mark.parametrize("payload", [{}, {"password": ""}, {"password": 42}])
def test_deletion_without_a_password_is_422(api_client_for, seeker, payload):
    response = api_client_for(seeker).delete(
        "/api/v1/auth/profile/", payload, content_type="application/json"
    )

    assert response.status_code == 422


def test_deletion_needs_authentication(public_client):
    assert delete_account(public_client).status_code == 401


def test_the_only_owner_of_an_employer_cannot_delete_the_account(client_for, tenant_a):
    owner = tenant_a.memberships.get(role="owner").user
    owner.set_password(TEST_PASSWORD)
    owner.save()
    client = Client(HTTP_HOST="localhost")
    client.force_login(owner)

    response = client.delete(
        "/api/v1/auth/profile/", {"password": TEST_PASSWORD}, content_type="application/json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "sole_owner"


def test_an_owner_with_a_co_owner_can_delete_the_account(api_client_for, tenant_a, make_user):
    co_owner = make_user()
    Membership.objects.create(user=co_owner, tenant=tenant_a, role=Membership.Role.OWNER)

    assert delete_account(api_client_for(co_owner)).status_code == 204


def test_deleting_through_the_web_session_also_logs_out(seeker):
    web = Client(HTTP_HOST="localhost")
    web.force_login(seeker)

    assert delete_account(web).status_code == 204
    assert web.get("/api/v1/auth/profile/").status_code == 401


def test_deletion_anonymizes_each_employers_copies_in_its_own_schema_and_keeps_the_counts(
    api_client_for, seeker, make_user, tenant_a, tenant_b, apply_for_real
):
    from django_tenants.utils import tenant_context

    from jobpilot.applications.models import Application
    from jobpilot.jobs.models import JobPosting

    a1 = apply_for_real(seeker, tenant_a)
    b1 = apply_for_real(seeker, tenant_b)
    someone_else = make_user(first_name="Other", last_name="Person")
    kept = apply_for_real(someone_else, tenant_a)  # someone else's application stays untouched
    track_external(seeker)
    seeker_id = seeker.pk

    assert delete_account(api_client_for(seeker)).status_code == 204

    for tenant, tracked in ((tenant_a, a1), (tenant_b, b1)):
        with tenant_context(tenant):
            application = Application.objects.get(pk=tracked.tenant_application_id)
            assert application.anonymized_at is not None
            assert (application.name, application.email, application.seeker_user_id) == (
                "Deleted candidate",
                "",
                None,
            )
            assert application.resume_public_id is None and application.answers == []
            assert not application.history.filter(actor_id=seeker_id).exists()
            assert JobPosting.objects.get(pk=application.job_id).application_count == 1
    with tenant_context(tenant_a):
        untouched = Application.objects.get(pk=kept.tenant_application_id)
        assert (untouched.name, untouched.anonymized_at) == ("Other Person", None)
