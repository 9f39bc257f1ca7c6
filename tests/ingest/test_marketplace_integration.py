"""Imported jobs behave as marketplace jobs: the job page, apply (an external application in the tracker), the
changes feed API and instant saved-search alerts."""

# ruff: noqa: F811 - pytest fixtures imported from the API test package
import pytest

from jobpilot.ingest.services import source_run
from jobpilot.marketplace.models import MarketplaceJob, SavedSearch
from jobpilot.notifications.models import Notification
from jobpilot.tracker.models import TrackedApplication
from tests.api.conftest import api_customer, key_for, keyed_client  # noqa: F401

BOARD = "/posting-api/job-board/lumen"


@pytest.fixture
def imported(feed_server, make_source):
    def run():
        feed_server.route(BOARD, "ashby_board.json")
        source = make_source("ashby", feed_server.url + BOARD, company_name="Lumen")
        source_run(source=source)
        return source

    return run


@pytest.mark.django_db
def test_the_job_page_of_an_imported_job_links_to_the_original(imported, public_client):
    imported()
    job = MarketplaceJob.objects.get(title="Office Manager")
    answer = public_client.get(f"/api/v1/jobs/{job.public_id}/").json()
    assert answer["source"] == "imported"
    assert (
        answer["apply_url"]
        == "https://jobs.ashbyhq.com/lumen/a1a1a1a1-4444-4f4f-8f8f-3d3d3d3d3d3d/application"
    )
    assert answer["company"]["name"] == "Lumen"


@pytest.mark.django_db
def test_applying_to_an_imported_job_records_an_external_application(imported, api_client_for, seeker):
    imported()
    job = MarketplaceJob.objects.get(title="Office Manager")
    response = api_client_for(seeker).post(
        f"/api/v1/jobs/{job.public_id}/apply/", {}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["apply_url"] == job.apply_url
    tracked = TrackedApplication.objects.get(seeker=seeker)
    assert (tracked.source, tracked.tenant_id, tracked.company) == ("external", None, "Lumen")


@pytest.mark.django_db
def test_an_imported_job_alerts_instant_saved_searches(
    imported, make_user, django_capture_on_commit_callbacks
):
    seeker = make_user()
    SavedSearch.objects.create(
        user=seeker, name="ML", q="ranking models", frequency=SavedSearch.Frequency.INSTANT
    )
    with django_capture_on_commit_callbacks(execute=True):
        imported()
    [alert] = Notification.objects.filter(recipient=seeker)
    assert "Machine Learning Engineer" in alert.title


@pytest.mark.django_db(transaction=True)
def test_imported_jobs_are_in_the_changes_feed_api(
    imported, feed_server, api_customer, key_for, keyed_client
):
    _, secret = key_for(api_customer())
    client = keyed_client(secret)
    start = client.get("/api/v1/jobs/changes/", {"limit": 100}).json()["next_cursor"]
    source = imported()
    feed_server.route(BOARD, {"apiVersion": "1", "jobs": []})
    source_run(source=source)

    page = client.get("/api/v1/jobs/changes/", {"since": start, "limit": 100}).json()
    changes = sorted(row["change"] for row in page["results"])
    assert changes == ["closed", "closed", "created", "created"]
