"""A user's private calendar feed, read back with the `icalendar` library: the seeker's interviews (same UID as the
employer's, SEQUENCE rising with each change, cancellations kept as CANCELLED) and deadlines, and the staff
member's interviews; a reset URL stops working; nobody sees another's events."""

from datetime import date, timedelta

import icalendar
import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from jobpilot.applications import services as pipeline
from jobpilot.applications.models import Interview
from jobpilot.tracker.models import TrackedApplication
from tests.conftest import owner_of

pytestmark = pytest.mark.django_db
FEED = "/api/v1/calendar/feed/"


def _feed_path(api_client_for, user) -> str:
    response = api_client_for(user).post(FEED)
    assert response.status_code == 201
    url = response.json()["url"]
    assert url.endswith(".ics")
    return "/calendar/" + url.rsplit("/calendar/", 1)[1]


def _events(public_client, path) -> dict[str, icalendar.Event]:
    response = public_client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def _schedule(tenant, application, **fields):
    with tenant_context(tenant):
        return pipeline.interview_schedule(
            actor=owner_of(tenant),
            application_id=application.pk,
            fields={"starts_at": timezone.now() + timedelta(days=2), "location": "Room 4", **fields},
        )


def test_the_seekers_feed_follows_an_interview_through_changes_and_cancellation(
    applied, tenant_a, api_client_for, public_client
):
    seeker, application = applied()
    interview = _schedule(tenant_a, application)
    path = _feed_path(api_client_for, seeker)
    uid = f"interview-{tenant_a.pk}-{interview.pk}@localhost"
    first = _events(public_client, path)[uid]
    assert str(first["LOCATION"]) == "Room 4"
    assert str(first["STATUS"]) == "CONFIRMED"
    assert first.decoded("DTSTART") == interview.starts_at.replace(microsecond=0)

    from jobpilot.tracker.models import TrackedInterview

    TrackedInterview.objects.filter(employer_interview_id=interview.pk).update(
        updated_at=timezone.now() - timedelta(minutes=5)
    )
    first = _events(public_client, path)[uid]
    later = interview.starts_at + timedelta(hours=3)
    with tenant_context(tenant_a):
        pipeline.interview_update(
            actor=owner_of(tenant_a),
            application_id=application.pk,
            interview_id=interview.pk,
            changes={"starts_at": later},
        )
    moved = _events(public_client, path)[uid]  # the same event, replaced
    assert moved.decoded("DTSTART") == later.replace(microsecond=0)
    assert int(moved["SEQUENCE"]) > int(first["SEQUENCE"])

    with tenant_context(tenant_a):
        pipeline.interview_cancel(
            actor=owner_of(tenant_a), application_id=application.pk, interview_id=interview.pk
        )
    assert str(_events(public_client, path)[uid]["STATUS"]) == "CANCELLED"


def test_deadlines_are_all_day_events(applied, api_client_for, public_client):
    seeker, application = applied()
    tracked = TrackedApplication.objects.get(seeker=seeker, tenant_application_id=application.pk)
    TrackedApplication.objects.filter(pk=tracked.pk).update(deadline=date.today() + timedelta(days=5))
    event = _events(public_client, _feed_path(api_client_for, seeker))[f"deadline-{tracked.pk}@localhost"]
    assert event.decoded("DTSTART") == date.today() + timedelta(days=5)
    assert "Deadline:" in str(event["SUMMARY"])


def test_staff_see_the_interviews_they_run_without_candidate_names(
    applied, tenant_a, member, api_client_for, public_client
):
    _, application = applied()
    interviewer = member(tenant_a)
    with tenant_context(tenant_a):
        interview = pipeline.interview_schedule(
            actor=owner_of(tenant_a),
            application_id=application.pk,
            fields={"starts_at": timezone.now() + timedelta(days=1), "interviewers": [interviewer.email]},
        )
    events = _events(public_client, _feed_path(api_client_for, interviewer))
    event = events[f"interview-{tenant_a.pk}-{interview.pk}@localhost"]
    assert application.job.title in str(event["SUMMARY"])
    assert application.name not in public_client.get(_feed_path(api_client_for, interviewer)).content.decode()
    assert str(event["URL"]).endswith(f"/console/applications/{application.pk}/")
    owner_events = _events(public_client, _feed_path(api_client_for, owner_of(tenant_a)))
    assert f"interview-{tenant_a.pk}-{interview.pk}@localhost" in owner_events  # who scheduled it


def test_nobody_sees_anothers_events(
    applied, tenant_a, tenant_b, member, make_user, api_client_for, public_client
):
    seeker, application = applied()
    interview = _schedule(tenant_a, application)
    uid = f"interview-{tenant_a.pk}-{interview.pk}@localhost"
    other_seeker = make_user()
    other_staff = member(tenant_b)
    for user in (other_seeker, other_staff):
        assert uid not in _events(public_client, _feed_path(api_client_for, user))
    with tenant_context(tenant_a):
        assert Interview.objects.filter(pk=interview.pk).exists()


def test_a_reset_url_stops_working_and_delete_turns_the_feed_off(make_user, api_client_for, public_client):
    user = make_user()
    old = _feed_path(api_client_for, user)
    new = _feed_path(api_client_for, user)
    assert old != new
    assert public_client.get(old).status_code == 404
    assert public_client.get(new).status_code == 200
    assert api_client_for(user).get(FEED).json()["active"] is True
    assert api_client_for(user).delete(FEED).json()["active"] is False
    assert public_client.get(new).status_code == 404
    assert api_client_for(user).get(FEED).json() == {
        "active": False,
        "created_at": None,
        "last_read_at": None,
    }


def test_bad_tokens_and_anonymous_callers(public_client):
    assert public_client.get("/calendar/nonsense.ics").status_code == 404
    assert public_client.get("/calendar/" + "x" * 500 + ".ics").status_code == 404
    assert public_client.post("/calendar/nonsense.ics").status_code == 405
    assert public_client.post(FEED).status_code == 401
    assert public_client.get(FEED).status_code == 401
