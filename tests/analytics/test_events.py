"""Event capture: one-liners in the views put events in the process's outbox, a flusher thread hands them to
Redis, the flush task COPYs them into the monthly-partitioned table; retention drops whole old months; export and
deletion cover them."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection

from jobpilot.analytics import capture, services
from jobpilot.analytics.models import Event, JobStat, PlatformStat, SeekerStat
from jobpilot.analytics.tasks import flush_events, maintain_partitions
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def flushed() -> list[Event]:
    flush_events()  # this process's outbox first, then the Redis list
    return list(Event.objects.order_by("id"))


def test_a_search_page_records_anonymous_impressions_with_the_tenant(
    tenant_a, make_posting, make_user, signed_in
):
    posting = make_posting(tenant_a, title="Rust Engineer")
    seeker = make_user()
    assert signed_in(seeker).get("/jobs/?utm_source=newsletter&utm_campaign=dec").status_code == 200
    [event] = flushed()
    assert (event.kind, event.source, event.tenant_id, event.job_public_id) == (
        "impression",
        "marketplace",
        tenant_a.pk,
        posting.public_id,
    )
    assert event.seeker_id is None  # never who saw a list
    assert event.utm == {"utm_source": "newsletter", "utm_campaign": "dec"}


def test_views_saves_and_applies_carry_the_seeker_and_source(tenant_a, make_posting, make_user, signed_in):
    posting = make_posting(tenant_a)
    seeker = make_user()
    client = signed_in(seeker)
    assert client.get(f"/jobs/{posting.public_id}/?utm_medium=email").status_code == 200
    assert client.post(f"/api/v1/jobs/{posting.public_id}/save/").status_code == 201
    events = flushed()
    assert [(e.kind, e.source, e.seeker_id) for e in events] == [
        ("view", "alert_email", seeker.pk),
        ("alert_click", "alert_email", seeker.pk),
        ("save", "api", seeker.pk),
    ]
    assert {e.tenant_id for e in events} == {tenant_a.pk}


def test_a_visit_through_an_alerts_link_counts_as_the_alerts(
    tenant_a, make_posting, make_user, signed_in, django_capture_on_commit_callbacks
):
    from jobpilot.marketplace.models import SavedSearch
    from jobpilot.notifications.models import Notification

    seeker = make_user()
    SavedSearch.objects.create(
        user=seeker, name="Lumen", q="lumenwright", frequency=SavedSearch.Frequency.INSTANT
    )
    with django_capture_on_commit_callbacks(execute=True):
        make_posting(tenant_a, title="Lumenwright")
    [alert] = Notification.objects.filter(recipient=seeker)
    path = "/" + alert.data["url"].split("://", 1)[1].split("/", 1)[1]  # the link of the email and the bell

    assert signed_in(seeker).get(path).status_code == 200
    assert [(e.kind, e.source) for e in flushed()] == [
        ("view", "alert_email"),
        ("alert_click", "alert_email"),
    ]


def test_the_careers_site_records_its_own_source(tenant_a, make_posting, client_for):
    posting = make_posting(tenant_a)
    assert client_for(tenant_a).get(f"/jobs/{posting.public_id}/").status_code == 200
    [event] = flushed()
    assert (event.kind, event.source, event.seeker_id) == ("view", "careers_site", None)


def test_an_impression_never_stores_a_seeker_even_when_asked(tenant_a, make_user):
    class Job:
        tenant_id, public_id = tenant_a.pk, "7d1b0c5e-0a4f-4a57-8d3e-4f7a0d9b1c22"

    capture.record("impression", job=Job(), source="api", seeker=make_user())
    [event] = flushed()
    assert event.seeker_id is None


def test_this_month_and_the_next_have_partitions_and_rows_land_in_them():
    services.event_partitions_ensure()
    names = [name for name, _ in services.event_partitions()]
    this_month = date.today().replace(day=1)
    assert f"analytics_event_y{this_month:%Y}m{this_month:%m}" in names
    capture._append(
        (datetime.now(UTC).isoformat(), "view", "api", None, "7d1b0c5e-0a4f-4a57-8d3e-4f7a0d9b1c22", None, {})
    )
    flushed()
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM analytics_event")
        assert cursor.fetchone()[0] == f"analytics_event_y{this_month:%Y}m{this_month:%m}"


def test_retention_drops_whole_old_months_and_nothing_else(settings):
    settings.ANALYTICS_RETENTION_MONTHS = 12
    today = date(2026, 12, 7)
    services.event_partitions_ensure(today=date(2025, 11, 1))  # Nov 2025 .. Jan 2026
    services.event_partitions_ensure(today=today)
    old = datetime(2025, 11, 20, tzinfo=UTC)
    kept = datetime(2025, 12, 2, tzinfo=UTC)  # Dec 2025 is within 12 months of Dec 2026
    for when in (old, kept, kept + timedelta(days=365)):
        capture._append(
            (when.isoformat(), "view", "api", None, "7d1b0c5e-0a4f-4a57-8d3e-4f7a0d9b1c22", None, {})
        )
    flushed()
    for when in (old, kept):
        services.rollup_day(day=when.date())
    dropped = services.event_partitions_drop_expired(today=today)
    assert dropped == ["analytics_event_y2025m11"]
    assert sorted(Event.objects.values_list("occurred_at", flat=True)) == [kept, kept + timedelta(days=365)]
    # Rollups follow: the old month's rows go, the kept month's stay.
    assert services.rollups_drop_expired(today=today) == 3  # the old day's job, platform and activity rows
    assert list(JobStat.objects.values_list("period_start", flat=True)) == [kept.date()]
    assert list(PlatformStat.objects.values_list("period_start", flat=True)) == [kept.date()]


def test_the_beat_task_keeps_partitions_ahead():
    result = maintain_partitions()
    assert set(result) == {"created", "dropped", "rollup_rows_dropped"}
    assert len(services.event_partitions()) >= 3


def test_export_holds_the_seekers_events_and_deletion_erases_them(
    tenant_a, make_posting, make_user, signed_in, api_client_for
):
    posting = make_posting(tenant_a)
    seeker, other = make_user(), make_user()
    signed_in(seeker).get(f"/jobs/{posting.public_id}/")
    signed_in(other).get(f"/jobs/{posting.public_id}/")
    flushed()
    services.rollup_day(day=datetime.now(UTC).date())
    data = api_client_for(seeker).get("/api/v1/auth/export/").json()
    assert [(e["kind"], e["job_public_id"]) for e in data["activity_events"]] == [
        ("view", str(posting.public_id))
    ]

    response = api_client_for(seeker).delete(
        "/api/v1/auth/profile/", {"password": TEST_PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 204
    assert list(Event.objects.values_list("seeker_id", flat=True)) == [other.pk]
    assert list(SeekerStat.objects.values_list("seeker_id", flat=True)) == [other.pk]
