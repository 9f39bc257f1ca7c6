"""Saved-search alerts: an instant alert when a matching job is listed, only to searches it matches and whose scope
holds it; daily and weekly digests once per period, also when two beat runs race."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.utils import timezone

from jobpilot.marketplace.models import MarketplaceJob, SavedSearch
from jobpilot.marketplace.services import saved_search_alert_digest
from jobpilot.marketplace.tasks import send_saved_search_digests
from jobpilot.notifications.models import Notification
from jobpilot.notifications.services import _email_context
from jobpilot.notifications.types import NotificationType

pytestmark = pytest.mark.django_db


def _search(user, *, q="", tenant=None, frequency=SavedSearch.Frequency.INSTANT, filters=None, age=None):
    saved = SavedSearch.objects.create(
        user=user, tenant=tenant, name=q or "Everything", q=q, filters=filters or {}, frequency=frequency
    )
    if age is not None:
        SavedSearch.objects.filter(pk=saved.pk).update(created_at=timezone.now() - age)
        saved.refresh_from_db()
    return saved


def _alerts(user):
    return list(Notification.objects.filter(recipient=user, type=NotificationType.SAVED_SEARCH_MATCH))


def test_publishing_a_job_alerts_only_the_instant_searches_it_matches(
    tenant_a, tenant_b, make_user, make_posting, django_capture_on_commit_callbacks
):
    matching, other_words, other_tenant, daily = make_user(), make_user(), make_user(), make_user()
    search = _search(matching, q="quasarflux", filters={"location": "berlin"})
    _search(other_words, q="gardener")
    _search(other_tenant, q="quasarflux", tenant=tenant_b)
    _search(daily, q="quasarflux", frequency=SavedSearch.Frequency.DAILY)

    with django_capture_on_commit_callbacks(execute=True):
        posting = make_posting(tenant_a, title="Quasarflux Engineer", city="Berlin")

    [alert] = _alerts(matching)
    assert alert.dedupe_key == f"saved-search:{search.pk}:job:{posting.public_id}"
    assert alert.data["url"].endswith(
        f"/jobs/{posting.public_id}/{posting.slug}/?utm_source=saved_search&utm_medium=email"
    )
    assert alert.data["job_id"] == str(posting.public_id) and "Quasarflux Engineer" in alert.title
    assert _alerts(other_words) == [] and _alerts(other_tenant) == [] and _alerts(daily) == []


def test_a_search_saved_on_an_employers_portal_hears_of_that_employers_jobs(
    tenant_a, make_user, make_posting, django_capture_on_commit_callbacks
):
    seeker = make_user()
    _search(seeker, q="nebulight", tenant=tenant_a)
    with django_capture_on_commit_callbacks(execute=True):
        posting = make_posting(tenant_a, title="Nebulight Designer")
    [alert] = _alerts(seeker)
    assert (
        alert.data["url"].split("://")[1].startswith("acme.localhost/jobs/")
        and str(posting.public_id) in alert.data["url"]
    )


def test_an_update_to_a_listed_job_does_not_alert_again(
    tenant_a, make_user, make_posting, django_capture_on_commit_callbacks
):
    from django_tenants.utils import tenant_context

    from jobpilot.jobs import services as job_services

    seeker = make_user()
    _search(seeker, q="photonwright")
    with django_capture_on_commit_callbacks(execute=True):
        posting = make_posting(tenant_a, title="Photonwright")
    with django_capture_on_commit_callbacks(execute=True), tenant_context(tenant_a):
        job_services.job_posting_update(actor=None, posting=posting, changes={"department": "Optics"})
    assert len(_alerts(seeker)) == 1


def test_the_daily_digest_sums_up_new_matches_once_per_day(tenant_a, make_user, make_posting):
    seeker = make_user()
    search = _search(seeker, q="gravitonic", frequency=SavedSearch.Frequency.DAILY, age=timedelta(days=2))
    for title in ("Gravitonic Lead", "Gravitonic Analyst", "Unrelated Baker"):
        make_posting(tenant_a, title=title)

    assert send_saved_search_digests() == 1
    [digest] = _alerts(seeker)
    assert digest.title.startswith("2 new jobs") and digest.data["count"] == 2
    assert {job["title"] for job in digest.data["jobs"]} == {"Gravitonic Lead", "Gravitonic Analyst"}
    email = render_to_string("notifications/email/notification.txt", _email_context(digest))
    for job in digest.data["jobs"]:  # the email lists each job under its own (tagged) link
        assert f"{job['title']} at " in email and job["url"] in email
        assert "utm_medium=email" in job["url"]
    search.refresh_from_db()
    assert search.last_alerted_at is not None

    # Not due again the same day, even with a new match.
    make_posting(tenant_a, title="Gravitonic Intern")
    assert send_saved_search_digests() == 0
    assert len(_alerts(seeker)) == 1


def test_a_weekly_search_alerted_yesterday_is_not_due(tenant_a, make_user, make_posting):
    seeker = make_user()
    search = _search(seeker, q="tachyonix", frequency=SavedSearch.Frequency.WEEKLY, age=timedelta(days=30))
    SavedSearch.objects.filter(pk=search.pk).update(last_alerted_at=timezone.now() - timedelta(days=1))
    make_posting(tenant_a, title="Tachyonix Engineer")
    assert send_saved_search_digests() == 0
    SavedSearch.objects.filter(pk=search.pk).update(last_alerted_at=timezone.now() - timedelta(days=8))
    assert send_saved_search_digests() == 1 and len(_alerts(seeker)) == 1


def test_a_due_search_without_new_matches_moves_on_silently(make_user, public_tenant):
    seeker = make_user()
    search = _search(
        seeker, q="nothingmatchesthis", frequency=SavedSearch.Frequency.DAILY, age=timedelta(days=3)
    )
    assert send_saved_search_digests() == 1
    search.refresh_from_db()
    assert search.last_alerted_at is not None and _alerts(seeker) == []


@pytest.mark.django_db(transaction=True)
def test_two_racing_digest_runs_alert_once(tenant_a, make_user, make_posting):
    seeker = make_user()
    search = _search(seeker, q="chronoweave", frequency=SavedSearch.Frequency.DAILY, age=timedelta(days=2))
    make_posting(tenant_a, title="Chronoweave Engineer")
    assert MarketplaceJob.objects.filter(title="Chronoweave Engineer").exists()

    barrier = threading.Barrier(2)
    claimed = []

    def run():
        stale = SavedSearch.objects.select_related("user", "tenant").get(pk=search.pk)  # both read "never"
        barrier.wait()
        try:
            claimed.append(saved_search_alert_digest(saved_search=stale, now=timezone.now()))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(claimed) == [False, True]
    assert len(_alerts(seeker)) == 1
