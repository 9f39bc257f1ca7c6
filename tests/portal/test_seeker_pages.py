"""The seeker's app on the public host: tracker (list, board, quick status, add, CSV import), dashboard and
notifications, each only ever showing the signed-in seeker's own rows."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jobpilot.notifications.models import Notification
from jobpilot.notifications.services import notify
from jobpilot.tracker.models import TrackedApplication
from tests.seeker_factories import apply_through_jobpilot, track_external

pytestmark = pytest.mark.django_db

SEEKER_PAGES = ["/tracker/", "/tracker/?view=board", "/tracker/new/", "/dashboard/", "/notifications/"]


@pytest.mark.parametrize("path", SEEKER_PAGES)
def test_seeker_pages_send_anonymous_visitors_to_sign_in(public_client, path):
    response = public_client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("path", SEEKER_PAGES)
def test_seeker_pages_exist_only_on_the_public_host(client_for, tenant_a, seeker, path):
    client = client_for(tenant_a)
    client.force_login(seeker)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", SEEKER_PAGES)
def test_seeker_pages_render_for_a_new_seeker(public_client, seeker, path):
    public_client.force_login(seeker)
    assert public_client.get(path).status_code == 200


def test_the_tracker_lists_only_the_seekers_own_applications(public_client, make_user):
    alice, bob = make_user(), make_user()
    track_external(alice, company="Initech", title="Alice's job")
    track_external(bob, company="Hooli", title="Bob's job")
    public_client.force_login(alice)
    for path in ("/tracker/", "/tracker/?view=board"):
        page = public_client.get(path).content.decode()
        assert "Alice&#x27;s job" in page
        assert "Bob&#x27;s job" not in page


def test_the_board_puts_each_application_in_its_status_column(public_client, seeker):
    track_external(seeker, company="Initech", title="Reviewer", status="in_review")
    public_client.force_login(seeker)
    page = public_client.get("/tracker/?view=board").content.decode()
    column = page.split('id="col-in_review"')[1].split("</section>")[0]
    assert "Reviewer" in column


def test_quick_status_change_moves_an_external_application_with_htmx(public_client, seeker):
    application = track_external(seeker, company="Initech", title="Mover")
    public_client.force_login(seeker)
    response = public_client.post(
        f"/tracker/{application.pk}/status/",
        {"status": "interviewing", "view": "board"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert "Mover at Initech is now Interviewing." in body
    assert "Mover" in body.split('id="col-interviewing"')[1].split("</section>")[0]
    application.refresh_from_db()
    assert application.status == "interviewing"
    assert application.events.filter(kind="status_changed", to_status="interviewing").exists()


def test_quick_status_change_without_javascript_redirects_back(public_client, seeker):
    application = track_external(seeker, company="Initech", title="Plain")
    public_client.force_login(seeker)
    response = public_client.post(f"/tracker/{application.pk}/status/", {"status": "offer"})
    assert response.status_code == 302 and response["Location"] == "/tracker/"


def test_a_jobpilot_application_follows_the_employer(public_client, seeker, tenant_a):
    application = apply_through_jobpilot(seeker, tenant_a, title="Managed")
    public_client.force_login(seeker)
    page = public_client.get("/tracker/").content.decode()
    assert f'id="status-{application.pk}"' not in page  # no quick-change select for it
    response = public_client.post(
        f"/tracker/{application.pk}/status/", {"status": "offer"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 409
    assert "The employer updates the status" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "applied"


def test_a_seeker_cannot_change_another_seekers_application(public_client, make_user):
    alice, bob = make_user(), make_user()
    application = track_external(alice, company="Initech", title="Hers")
    public_client.force_login(bob)
    response = public_client.post(f"/tracker/{application.pk}/status/", {"status": "hired"})
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == "applied"


def test_an_unknown_status_is_a_form_error(public_client, seeker):
    application = track_external(seeker, company="Initech", title="Odd")
    public_client.force_login(seeker)
    response = public_client.post(
        f"/tracker/{application.pk}/status/", {"status": "promoted"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    assert "Choose one of the listed statuses." in response.content.decode()


def test_a_seeker_adds_an_external_application(public_client, seeker):
    public_client.force_login(seeker)
    response = public_client.post(
        "/tracker/new/",
        {
            "title": "Data Engineer",
            "company": "Umbrella",
            "status": "applied",
            "applied_on": "2026-01-05",
            "job_url": "https://jobs.example/1",
        },
    )
    assert response.status_code == 302
    application = TrackedApplication.objects.get(seeker=seeker)
    assert (application.title, application.company, application.source) == (
        "Data Engineer",
        "Umbrella",
        "external",
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "This field is required."),  # an empty form is answered with its errors, not a blank page
        ({"company": "Umbrella", "status": "applied", "applied_on": "2026-01-05"}, "This field is required."),
        ({"title": "X", "company": "U", "status": "applied", "applied_on": "2999-01-01"}, "future"),
        (
            {"title": "X", "company": "U", "status": "boss", "applied_on": "2026-01-05"},
            "Select a valid choice",
        ),
        (
            {"title": "X", "company": "U", "status": "applied", "applied_on": "yesterday"},
            "Enter a valid date.",
        ),
    ],
)
def test_bad_application_input_is_a_form_error(public_client, seeker, data, message):
    public_client.force_login(seeker)
    response = public_client.post("/tracker/new/", data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not TrackedApplication.objects.filter(seeker=seeker).exists()


def test_a_csv_import_adds_rows_and_a_bad_file_is_explained(public_client, seeker):
    public_client.force_login(seeker)
    good = SimpleUploadedFile(
        "a.csv", b"company,title,status\nInitech,Analyst,applied\n", content_type="text/csv"
    )
    response = public_client.post("/tracker/import/", {"file": good}, follow=True)
    assert "Imported 1 application" in response.content.decode()
    assert TrackedApplication.objects.filter(seeker=seeker, title="Analyst").exists()

    bad = SimpleUploadedFile("b.csv", b"company,title,status\nInitech,,nope\n", content_type="text/csv")
    response = public_client.post("/tracker/import/", {"file": bad}, follow=True)
    assert "nothing was imported" in response.content.decode()
    missing = public_client.post("/tracker/import/", {}, follow=True)
    assert "Choose a CSV file" in missing.content.decode()


def test_the_export_link_downloads_the_seekers_csv(public_client, seeker):
    track_external(seeker, company="Initech", title="Exported")
    public_client.force_login(seeker)
    assert 'href="/api/v1/applications/export/"' in public_client.get("/tracker/").content.decode()
    response = public_client.get("/api/v1/applications/export/")
    assert response.status_code == 200 and b"Exported" in response.content


def test_the_dashboard_shows_the_seekers_own_figures_and_chart_data(public_client, make_user):
    alice, bob = make_user(), make_user()
    track_external(alice, company="A", title="One", status="interviewing")
    track_external(alice, company="B", title="Two")
    for n in range(5):
        track_external(bob, company="C", title=f"Bob {n}")
    public_client.force_login(alice)
    page = public_client.get("/dashboard/").content.decode()
    assert '"funnel": {"labels": ["Applied", "Interviewing", "Offer"], "values": [2, 1, 0]}' in page
    assert "chart.umd.min.js" in page


def test_the_notifications_page_and_bell_show_only_the_seekers_own(public_client, make_user):
    alice, bob = make_user(), make_user()
    notify(recipient=alice, type="saved_search_match", title="New jobs for Alice")
    notify(recipient=bob, type="saved_search_match", title="New jobs for Bob")
    public_client.force_login(alice)
    page = public_client.get("/notifications/").content.decode()
    assert "New jobs for Alice" in page and "New jobs for Bob" not in page
    assert 'id="bell-count">1<' in public_client.get("/jobs/").content.decode()

    public_client.post("/notifications/read/")
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=bob, read_at__isnull=True).exists()
    assert 'id="bell-count" hidden>0<' in public_client.get("/jobs/").content.decode()
