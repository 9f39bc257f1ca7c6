"""/api/v1/dashboard/: stats, recent activity and what is coming up, from the seeker's own tracker only."""

import base64
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jobpilot.tracker.models import TrackedInterview
from jobpilot.tracker.services import (
    tracked_application_set_status,
    tracked_application_sync_status,
    tracked_application_withdraw,
    tracked_interview_create,
    tracked_interview_sync_from_employer,
)
from tests.seeker_factories import apply_through_jobpilot, track_external

pytestmark = pytest.mark.django_db


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def test_stats_count_statuses_funnel_responses_and_weeks(api_client_for, seeker, make_user, tenant_a):
    track_external(seeker, applied_on=days_ago(20))  # never answered
    answered = track_external(seeker, applied_on=days_ago(10))
    tracked_application_set_status(
        seeker=seeker, application_id=answered.id, status="in_review"
    )  # after 10 days
    via_jobpilot = apply_through_jobpilot(
        seeker, tenant_a, applied_at=timezone.now() - datetime.timedelta(days=4)
    )
    tracked_application_sync_status(
        tenant=tenant_a, application_id=via_jobpilot.tenant_application_id, public_status="interviewing"
    )  # after 4 days
    track_external(seeker, status="offer", applied_on=days_ago(30))  # answered before it was tracked
    gave_up = track_external(seeker, applied_on=days_ago(2))
    tracked_application_withdraw(seeker=seeker, application_id=gave_up.id)
    track_external(make_user(), status="hired")  # someone else's

    body = api_client_for(seeker).get("/api/v1/dashboard/stats/?weeks=6").json()

    assert body["total"] == 5
    assert body["active"] == 4
    assert body["by_status"] == {
        "applied": 1,
        "in_review": 1,
        "interviewing": 1,
        "offer": 1,
        "hired": 0,
        "not_selected": 0,
        "withdrawn": 1,
    }
    assert body["funnel"] == {
        "applied": 5,
        "interviewing": 2,
        "offer": 1,
        "applied_to_interview_rate": 0.4,
        "interview_to_offer_rate": 0.5,
    }
    assert body["response_rate"] == 0.75  # 3 answered of 4 (the one withdrawn before any answer is left out)
    assert body["average_days_to_first_response"] == 7.0  # (10 + 4) / 2
    weeks = body["applications_per_week"]
    assert len(weeks) == 6
    assert datetime.date.fromisoformat(weeks[-1]["week_start"]).weekday() == 0
    assert sum(week["count"] for week in weeks) == 5
    this_monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    applied_dates = [days_ago(20), days_ago(10), days_ago(4), days_ago(30), days_ago(2)]
    for week in weeks:
        start = datetime.date.fromisoformat(week["week_start"])
        assert week["count"] == sum(
            start <= day < start + datetime.timedelta(days=7) for day in applied_dates
        )
    assert weeks[-1]["week_start"] == this_monday.isoformat()


def test_stats_for_an_empty_tracker_have_no_rates(api_client_for, seeker):
    body = api_client_for(seeker).get("/api/v1/dashboard/stats/").json()

    assert body["total"] == 0
    assert body["response_rate"] is None
    assert body["average_days_to_first_response"] is None
    assert body["funnel"]["applied_to_interview_rate"] is None
    assert len(body["applications_per_week"]) == 12


@pytest.mark.parametrize("query", ["weeks=0", "weeks=53", "weeks=many"])
def test_bad_stats_parameters_are_422(api_client_for, seeker, query):
    assert api_client_for(seeker).get(f"/api/v1/dashboard/stats/?{query}").status_code == 422


def test_stats_queries_do_not_grow_with_the_number_of_applications(api_client_for, seeker):
    client = api_client_for(seeker)

    def queries_for_stats() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get("/api/v1/dashboard/stats/").status_code == 200
        return len(context.captured_queries)

    track_external(seeker)
    queries_for_stats()  # the first request also fills per-process caches (the host's route)
    with_one = queries_for_stats()
    for number in range(40):
        track_external(seeker, company=f"Co {number}", applied_on=days_ago(number), status="in_review")

    assert queries_for_stats() == with_one


# --- recent activity ----------------------------------------------------------------------------------------------


def test_recent_activity_pages_through_my_events_newest_first(api_client_for, seeker, make_user):
    for number in range(12):
        application = track_external(seeker, company=f"Co {number}")
        tracked_application_set_status(seeker=seeker, application_id=application.id, status="in_review")
    track_external(make_user(), company="Not mine")
    client = api_client_for(seeker)

    seen, url = [], "/api/v1/dashboard/recent-activity/?page_size=10"
    while url:
        page = client.get(url).json()
        seen.extend(page["results"])
        url = page["next"]

    assert len(seen) == 24
    assert len({event["id"] for event in seen}) == 24
    assert [event["occurred_at"] for event in seen] == sorted((e["occurred_at"] for e in seen), reverse=True)
    assert {event["company"] for event in seen} == {f"Co {n}" for n in range(12)}
    assert seen[0]["kind"] == "status_changed"
    assert (seen[0]["from_status"], seen[0]["to_status"]) == ("applied", "in_review")


def test_a_forged_activity_cursor_is_422(api_client_for, seeker):
    cursor = base64.b64encode(b"p=not-a-date").decode()

    response = api_client_for(seeker).get(f"/api/v1/dashboard/recent-activity/?cursor={cursor}")

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_cursor"


def test_a_malformed_activity_cursor_is_422(api_client_for, seeker):
    assert api_client_for(seeker).get("/api/v1/dashboard/recent-activity/?cursor=%%%").status_code == 422


# --- upcoming -------------------------------------------------------------------------------------------------------


def test_upcoming_lists_interviews_and_deadlines_of_the_next_14_days_soonest_first(
    api_client_for, seeker, make_user, tenant_a
):
    now = timezone.now()
    soon = track_external(seeker, company="Soon", deadline=timezone.localdate() + datetime.timedelta(days=3))
    track_external(seeker, company="Far", deadline=timezone.localdate() + datetime.timedelta(days=30))
    track_external(seeker, company="Past", deadline=timezone.localdate() - datetime.timedelta(days=1))
    closed = track_external(
        seeker, company="Closed", deadline=timezone.localdate() + datetime.timedelta(days=2)
    )
    tracked_application_withdraw(seeker=seeker, application_id=closed.id)
    tracked_interview_create(
        seeker=seeker, application_id=soon.id, fields={"starts_at": now + datetime.timedelta(days=1, hours=1)}
    )
    cancelled = tracked_interview_create(
        seeker=seeker, application_id=soon.id, fields={"starts_at": now + datetime.timedelta(days=2)}
    )
    TrackedInterview.objects.filter(pk=cancelled.pk).update(status="cancelled")
    via_jobpilot = apply_through_jobpilot(seeker, tenant_a)
    tracked_interview_sync_from_employer(
        tenant=tenant_a,
        application_id=via_jobpilot.tenant_application_id,
        interview_id=5,
        starts_at=now + datetime.timedelta(days=5),
        duration_minutes=30,
    )
    other = track_external(make_user(), deadline=timezone.localdate() + datetime.timedelta(days=1))
    tracked_interview_create(
        seeker=other.seeker, application_id=other.id, fields={"starts_at": now + datetime.timedelta(hours=5)}
    )

    body = api_client_for(seeker).get("/api/v1/dashboard/upcoming/").json()

    assert body["days"] == 14
    assert [(item["type"], item["company"]) for item in body["items"]] == [
        ("interview", "Soon"),
        ("deadline", "Soon"),
        ("interview", "Acme Corp"),
    ]
    assert body["items"][2]["interview"]["from_employer"] is True
    assert body["items"][1]["at"] is None


def test_upcoming_can_look_further_ahead(api_client_for, seeker):
    track_external(seeker, company="Far", deadline=timezone.localdate() + datetime.timedelta(days=30))

    items = api_client_for(seeker).get("/api/v1/dashboard/upcoming/?days=31").json()["items"]

    assert [item["company"] for item in items] == ["Far"]


@pytest.mark.parametrize("query", ["days=0", "days=61", "days=soon"])
def test_bad_upcoming_parameters_are_422(api_client_for, seeker, query):
    assert api_client_for(seeker).get(f"/api/v1/dashboard/upcoming/?{query}").status_code == 422


def test_the_dashboard_needs_authentication(public_client):
    for path in ("stats/", "recent-activity/", "upcoming/"):
        assert public_client.get(f"/api/v1/dashboard/{path}").status_code == 401
