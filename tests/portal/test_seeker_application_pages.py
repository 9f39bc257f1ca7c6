"""The seeker's application page (history, interviews the employer scheduled on the reader's clock, deadline,
contacts, salary, the job as applied), notes edited in place, withdrawal with a confirmation step, the dashboard's
coming-up and activity lists, notification settings, data export and account deletion. Each page shows the
signed-in user's own rows only; anonymous visitors sign in first; bad input re-renders the form with its errors."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tenants.utils import tenant_context

from jobpilot.applications import services as pipeline
from jobpilot.applications.models import Application
from jobpilot.core.time_zones import format_moment
from jobpilot.notifications.models import NotificationPreference
from jobpilot.notifications.types import TYPE_DEFAULTS
from jobpilot.tracker.models import TrackedApplication
from jobpilot.tracker.schemas import MAX_NOTES
from tests.conftest import TEST_PASSWORD, owner_of
from tests.seeker_factories import apply_through_jobpilot, track_external

pytestmark = pytest.mark.django_db


def _schedule(tenant, tracked: TrackedApplication, *, in_days: int = 2, **fields):
    """The employer schedules an interview in its pipeline (which mirrors it on the seeker's tracker)."""
    with tenant_context(tenant):
        return pipeline.interview_schedule(
            actor=owner_of(tenant),
            application_id=tracked.tenant_application_id,
            fields={
                "starts_at": timezone.now() + timedelta(days=in_days),
                "location": "Room 4",
                "title": "Technical interview",
                **fields,
            },
        )


def _pages(application_id) -> list[str]:
    return [
        f"/tracker/{application_id}/",
        f"/tracker/{application_id}/withdraw/",
        "/account/notifications/",
        "/account/privacy/",
    ]


# --- who may see what ---------------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(public_client, seeker):
    application = track_external(seeker, title="Mine")
    for path in _pages(application.pk):
        response = public_client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/login/"), path
    for path in (
        f"/tracker/{application.pk}/notes/",
        f"/tracker/{application.pk}/withdraw/",
        "/account/delete/",
    ):
        response = public_client.post(path, {"notes": "x", "confirm": "on", "password": TEST_PASSWORD})
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), path
    application.refresh_from_db()
    assert (application.notes, application.status) == ("", "applied")


def test_the_pages_exist_only_on_the_public_host(client_for, tenant_a, seeker):
    application = track_external(seeker, title="Mine")
    client = client_for(tenant_a)
    client.force_login(seeker)
    for path in _pages(application.pk):
        assert client.get(path).status_code == 404, path


def test_another_seekers_application_is_a_404_and_stays_as_it_was(public_client, make_user, tenant_a):
    alice, bob = make_user(), make_user()
    external = track_external(alice, title="Hers", notes="private")
    through_jobpilot = apply_through_jobpilot(alice, tenant_a, title="Also hers")
    public_client.force_login(bob)
    for application in (external, through_jobpilot):
        assert public_client.get(f"/tracker/{application.pk}/").status_code == 404
        assert public_client.get(f"/tracker/{application.pk}/withdraw/").status_code == 404
        assert (
            public_client.post(f"/tracker/{application.pk}/notes/", {"notes": "Bob was here"}).status_code
            == 404
        )
        assert (
            public_client.post(f"/tracker/{application.pk}/withdraw/", {"confirm": "on"}).status_code == 404
        )
        application.refresh_from_db()
        assert application.status == "applied" and "Bob" not in application.notes
    assert "Hers" not in public_client.get("/dashboard/").content.decode()


def test_an_employer_only_user_has_no_seeker_application_but_has_settings(public_client, tenant_a, seeker):
    application = apply_through_jobpilot(seeker, tenant_a, title="Candidate's")
    owner = owner_of(tenant_a)
    public_client.force_login(owner)
    assert public_client.get(f"/tracker/{application.pk}/").status_code == 404
    assert public_client.get("/account/notifications/").status_code == 200
    assert public_client.get("/account/privacy/").status_code == 200
    # The only owner of an employer cannot delete the account: said on the form, nothing deleted.
    response = public_client.post("/account/delete/", {"password": TEST_PASSWORD, "confirm": "on"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Transfer ownership first" in page and "Acme Corp" in page
    assert get_user_model().objects.filter(pk=owner.pk).exists()


# --- the application page -----------------------------------------------------------------------------------------


def test_the_page_shows_history_and_the_interview_the_employer_scheduled_on_the_readers_clock(
    public_client, seeker, tenant_a, apply_for_real
):
    seeker.time_zone = "Asia/Tokyo"
    seeker.save(update_fields=["time_zone"])
    tracked = apply_for_real(seeker, tenant_a, title="Platform Engineer")
    interview = _schedule(tenant_a, tracked)
    public_client.force_login(seeker)

    page = public_client.get(f"/tracker/{tracked.pk}/").content.decode()
    assert "Platform Engineer" in page and "Acme Corp" in page
    assert "Technical interview" in page and "Room 4" in page and "scheduled by Acme Corp" in page
    assert format_moment(interview.starts_at, "Asia/Tokyo") in page  # e.g. "Wed 9 Dec 2026, 13:45 JST"
    assert "JST" in page and "+00:00" not in page
    assert "Added as Applied" in page and "Interview scheduled for" in page
    assert "by the employer" in page
    # The tracker's list leads to it.
    assert f'href="/tracker/{tracked.pk}/"' in public_client.get("/tracker/").content.decode()
    assert f'href="/tracker/{tracked.pk}/"' in public_client.get("/tracker/?view=board").content.decode()


def test_the_page_shows_deadline_contacts_salary_and_the_job_once_the_posting_is_closed(
    public_client, seeker, tenant_a
):
    external = track_external(
        seeker,
        title="Analyst",
        deadline=timezone.localdate() + timedelta(days=5),
        salary_min=50_000,
        salary_max=60_000,
        salary_currency="EUR",
        contacts=[
            {"name": "Rita Recruiter", "email": "rita@initech.example", "phone": "", "role": "Recruiter"}
        ],
    )
    gone = apply_through_jobpilot(
        seeker,
        tenant_a,
        title="Closed role",
        job_snapshot={
            "title": "Closed role",
            "company": "Acme Corp",
            "description_html": "<p>Snapshot description kept</p>",
            "salary": {"min": 70000, "max": 90000, "currency": "EUR", "period": "year"},
            "location": "Berlin",
            "remote": "",
            "captured_at": timezone.now().isoformat(),
            "source": "jobpilot",
        },
    )
    public_client.force_login(seeker)
    page = public_client.get(f"/tracker/{external.pk}/").content.decode()
    assert "EUR 50000–60000" in page
    assert "Rita Recruiter" in page and "mailto:rita@initech.example" in page
    assert (timezone.localdate() + timedelta(days=5)).strftime("%Y") in page
    closed = public_client.get(f"/tracker/{gone.pk}/").content.decode()
    assert "The job as you applied" in closed and "Snapshot description kept" in closed
    assert "€70,000–90,000 a year" in closed


def test_notes_are_saved_and_too_long_notes_are_a_form_error(public_client, seeker, tenant_a):
    application = apply_through_jobpilot(seeker, tenant_a, title="Noted")
    public_client.force_login(seeker)
    response = public_client.post(
        f"/tracker/{application.pk}/notes/", {"notes": "Ask about the on-call rota"}
    )
    assert response.status_code == 302 and response["Location"] == f"/tracker/{application.pk}/"
    application.refresh_from_db()
    assert application.notes == "Ask about the on-call rota"
    assert "Ask about the on-call rota" in public_client.get(f"/tracker/{application.pk}/").content.decode()

    response = public_client.post(f"/tracker/{application.pk}/notes/", {"notes": "x" * (MAX_NOTES + 1)})
    assert response.status_code == 422
    assert "Ensure this value has at most" in response.content.decode()
    application.refresh_from_db()
    assert application.notes == "Ask about the on-call rota"


def test_the_csrf_token_is_required(seeker):
    from django.test import Client

    application = track_external(seeker, title="Guarded")
    client = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
    client.force_login(seeker)
    assert client.post(f"/tracker/{application.pk}/notes/", {"notes": "forged"}).status_code == 403
    assert client.post(f"/tracker/{application.pk}/withdraw/", {"confirm": "on"}).status_code == 403
    application.refresh_from_db()
    assert (application.notes, application.status) == ("", "applied")


# --- withdrawing ----------------------------------------------------------------------------------------------------


def test_withdrawing_asks_first_then_withdraws_the_employers_copy_too(
    public_client, seeker, tenant_a, apply_for_real
):
    tracked = apply_for_real(seeker, tenant_a, title="Leaving")
    public_client.force_login(seeker)
    assert (
        f'href="/tracker/{tracked.pk}/withdraw/"'
        in public_client.get(f"/tracker/{tracked.pk}/").content.decode()
    )
    confirm = public_client.get(f"/tracker/{tracked.pk}/withdraw/").content.decode()
    assert "Acme Corp is told that you withdrew" in confirm

    unconfirmed = public_client.post(f"/tracker/{tracked.pk}/withdraw/", {})
    assert unconfirmed.status_code == 422
    assert "Tick the box to confirm" in unconfirmed.content.decode()
    tracked.refresh_from_db()
    assert tracked.status == "applied"

    response = public_client.post(f"/tracker/{tracked.pk}/withdraw/", {"confirm": "on"})
    assert response.status_code == 302 and response["Location"] == f"/tracker/{tracked.pk}/"
    tracked.refresh_from_db()
    assert tracked.status == "withdrawn"
    with tenant_context(tenant_a):
        assert Application.objects.get(pk=tracked.tenant_application_id).withdrawn_at is not None
    page = public_client.get(f"/tracker/{tracked.pk}/").content.decode()
    assert "Withdrawn" in page and f'href="/tracker/{tracked.pk}/withdraw/"' not in page

    # Once closed there is nothing to confirm, and a replayed POST is explained, not a 500.
    assert "already closed" in public_client.get(f"/tracker/{tracked.pk}/withdraw/").content.decode()
    again = public_client.post(f"/tracker/{tracked.pk}/withdraw/", {"confirm": "on"})
    assert again.status_code == 409
    assert "already closed" in again.content.decode()


# --- dashboard ------------------------------------------------------------------------------------------------------


def test_the_dashboard_shows_whats_coming_up_and_recent_activity(
    public_client, make_user, tenant_a, apply_for_real
):
    seeker, other = make_user(time_zone="Europe/Berlin"), make_user()
    tracked = apply_for_real(seeker, tenant_a, title="Interviewing Role")
    interview = _schedule(tenant_a, tracked, in_days=3)
    track_external(seeker, title="Deadline Role", deadline=timezone.localdate() + timedelta(days=4))
    track_external(seeker, title="Far Role", deadline=timezone.localdate() + timedelta(days=40))
    other_app = track_external(other, title="Not Yours", deadline=timezone.localdate() + timedelta(days=2))
    public_client.force_login(seeker)

    page = public_client.get("/dashboard/").content.decode()
    upcoming = page.split('id="upcoming"')[1].split("</ul>")[0]
    assert "Interviewing Role" in upcoming and "scheduled by the employer" in upcoming
    assert format_moment(interview.starts_at, "Europe/Berlin") in upcoming
    assert "Deadline Role" in upcoming and "Far Role" not in upcoming
    assert upcoming.index("Interviewing Role") < upcoming.index("Deadline Role")  # soonest first
    activity = page.split('id="recent-activity"')[1].split("</ul>")[0]
    assert "Interview scheduled for" in activity and "by the employer" in activity
    assert f'href="/tracker/{tracked.pk}/"' in activity
    assert "Not Yours" not in page and str(other_app.pk) not in page


# --- notification settings --------------------------------------------------------------------------------------


def test_notification_settings_save_only_what_changed(public_client, seeker):
    public_client.force_login(seeker)
    page = public_client.get("/account/notifications/").content.decode()
    assert "Interview scheduled" in page and 'name="interview_scheduled-email"' in page
    # What the page shows unchanged: every type's defaults (the registry), then two changes.
    form = {}
    for type, defaults in TYPE_DEFAULTS.items():
        form[f"{type.value}-email"] = defaults.email.value
        if defaults.in_app:
            form[f"{type.value}-in_app"] = "on"
    form["interview_scheduled-email"] = "daily"
    form.pop("saved_search_match-in_app")  # unticked
    response = public_client.post("/account/notifications/", form)
    assert response.status_code == 302 and response["Location"] == "/account/notifications/"
    chosen = {p.type: (p.in_app, p.email) for p in NotificationPreference.objects.filter(user=seeker)}
    assert chosen == {"interview_scheduled": (True, "daily"), "saved_search_match": (False, "daily")}


def test_an_unknown_email_choice_is_a_form_error(public_client, seeker):
    public_client.force_login(seeker)
    response = public_client.post("/account/notifications/", {"interview_scheduled-email": "hourly"})
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert not NotificationPreference.objects.filter(user=seeker).exists()


# --- your data --------------------------------------------------------------------------------------------------


def test_the_data_page_downloads_the_apis_export(public_client, seeker):
    track_external(seeker, title="Exported Role")
    public_client.force_login(seeker)
    page = public_client.get("/account/privacy/").content.decode()
    assert 'href="/api/v1/auth/export/"' in page
    response = public_client.get("/api/v1/auth/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="jobpilot-my-data.json"'
    assert response.json()["applications"][0]["title"] == "Exported Role"


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"password": "wrong-password", "confirm": "on"}, 403, "The password is not correct."),
        ({"password": TEST_PASSWORD}, 422, "Tick the box to confirm"),
        ({"confirm": "on"}, 422, "This field is required."),
    ],
)
def test_bad_account_deletion_forms_are_explained_and_delete_nothing(
    public_client, seeker, data, status, message
):
    track_external(seeker, title="Kept")
    public_client.force_login(seeker)
    response = public_client.post("/account/delete/", data)
    assert response.status_code == status
    assert message in response.content.decode()
    assert get_user_model().objects.filter(pk=seeker.pk).exists()
    assert TrackedApplication.objects.filter(seeker=seeker).exists()


def test_deleting_the_account_goes_through_the_service_and_signs_out(
    public_client, seeker, tenant_a, apply_for_real
):
    tracked = apply_for_real(seeker, tenant_a, title="Before I go")
    public_client.force_login(seeker)
    response = public_client.post("/account/delete/", {"password": TEST_PASSWORD, "confirm": "on"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert not get_user_model().objects.filter(pk=seeker.pk).exists()
    assert not TrackedApplication.objects.filter(pk=tracked.pk).exists()
    with tenant_context(tenant_a):  # the employer keeps an anonymized copy
        assert Application.objects.get(pk=tracked.tenant_application_id).anonymized_at is not None
    assert public_client.get("/dashboard/").status_code == 302  # signed out


def test_password_guessing_on_the_deletion_form_is_throttled_like_a_login(public_client, seeker, settings):
    settings.LOGIN_THROTTLE_PER_EMAIL = 2
    public_client.force_login(seeker)
    for _ in range(2):
        response = public_client.post("/account/delete/", {"password": "guess", "confirm": "on"})
        assert response.status_code == 403
    response = public_client.post("/account/delete/", {"password": TEST_PASSWORD, "confirm": "on"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many attempts" in response.content.decode()
    assert get_user_model().objects.filter(pk=seeker.pk).exists()


def test_with_htmx_the_notes_card_is_saved_in_place(public_client, seeker):
    application = track_external(seeker, title="In place")
    public_client.force_login(seeker)
    response = public_client.post(
        f"/tracker/{application.pk}/notes/", {"notes": "Called back on Monday"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    card = response.content.decode()
    assert "<html" not in card and 'id="notes-card"' in card
    assert "Notes saved." in card and "Called back on Monday" in card
    application.refresh_from_db()
    assert application.notes == "Called back on Monday"

    response = public_client.post(
        f"/tracker/{application.pk}/notes/", {"notes": "x" * (MAX_NOTES + 1)}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    assert (
        "<html" not in response.content.decode()
        and "Ensure this value has at most" in response.content.decode()
    )
