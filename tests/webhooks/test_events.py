"""Each event is recorded where it happens, in the transaction of the change, for the endpoints subscribed to it."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from jobpilot.applications import services as pipeline
from jobpilot.jobs import services as jobs
from jobpilot.jobs.models import JobPosting
from jobpilot.tracker.services import tracked_application_withdraw
from jobpilot.webhooks.models import WebhookDelivery, WebhookEvent
from tenants import services as team
from tests.applications.conftest import stage_named
from tests.conftest import join_team, owner_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscribed(tenant_a, receiver, endpoint_for):
    """An endpoint of tenant_a subscribed to every event; `events()` are the bodies recorded since."""
    endpoint = endpoint_for(tenant_a, receiver.url)
    with tenant_context(tenant_a):
        start = WebhookEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def events(type_prefix: str = "") -> list[dict]:
        with tenant_context(tenant_a):
            rows = WebhookEvent.objects.filter(pk__gt=start, type__startswith=type_prefix).order_by("pk")
            assert all(WebhookDelivery.objects.filter(event=row, endpoint=endpoint).exists() for row in rows)
            return [json.loads(row.body) for row in rows]

    return events


def _types(events) -> list[str]:
    return [event["type"] for event in events]


def test_applying_records_application_received(subscribed, applied):
    _, application = applied()
    (event,) = subscribed("application.")
    assert event["type"] == "application.received"
    assert event["data"]["application"]["id"] == application.pk


def test_moves_record_stage_moved_and_the_outcome(subscribed, applied, tenant_a):
    _, application = applied()
    owner = owner_of(tenant_a)
    with tenant_context(tenant_a):
        for name, reason in [
            ("Screening", ""),
            ("Offer", ""),
            ("Hired", ""),
            ("Rejected", "Position filled"),
        ]:
            pipeline.applications_move(
                actor=owner,
                application_ids=[application.pk],
                stage_id=stage_named(tenant_a, name).pk,
                reason=reason,
            )
    moves = subscribed("application.")[1:]
    assert _types(moves) == [
        "application.stage_moved",
        "application.stage_moved",
        "application.offered",
        "application.stage_moved",
        "application.hired",
        "application.stage_moved",
        "application.rejected",
    ]
    assert moves[0]["data"]["previous_stage"]["name"] == "Applied"
    assert moves[0]["data"]["stage"]["name"] == "Screening"
    assert moves[-1]["data"]["application"]["rejection_reason"] == "Position filled"


def test_a_bulk_move_records_one_event_per_application(subscribed, applied, tenant_a):
    applications = [applied()[1] for _ in range(3)]
    with tenant_context(tenant_a):
        pipeline.applications_move(
            actor=owner_of(tenant_a),
            application_ids=[a.pk for a in applications],
            stage_id=stage_named(tenant_a, "Screening").pk,
        )
    moved = subscribed("application.stage_moved")
    assert sorted(e["data"]["application"]["id"] for e in moved) == sorted(a.pk for a in applications)


def test_the_seeker_withdrawing_records_application_withdrawn(subscribed, applied, tenant_a):
    from jobpilot.tracker.models import TrackedApplication

    seeker, application = applied()
    tracked = TrackedApplication.objects.get(seeker=seeker, tenant_application_id=application.pk)
    tracked_application_withdraw(seeker=seeker, application_id=tracked.pk)
    event = subscribed("application.")[-1]
    assert event["type"] == "application.withdrawn"
    assert event["data"]["application"]["withdrawn_at"] is not None


def test_interviews_record_scheduled_updated_and_cancelled(subscribed, applied, tenant_a):
    _, application = applied()
    owner = owner_of(tenant_a)
    starts = timezone.now() + timedelta(days=3)
    with tenant_context(tenant_a):
        interview = pipeline.interview_schedule(
            actor=owner, application_id=application.pk, fields={"starts_at": starts, "interviewers": ["Bo"]}
        )
        pipeline.interview_update(
            actor=owner,
            application_id=application.pk,
            interview_id=interview.pk,
            changes={"feedback": "Good"},
        )
        pipeline.interview_update(  # nothing changes: nothing to announce
            actor=owner,
            application_id=application.pk,
            interview_id=interview.pk,
            changes={"feedback": "Good"},
        )
        pipeline.interview_cancel(actor=owner, application_id=application.pk, interview_id=interview.pk)
    events = subscribed("interview.")
    assert _types(events) == ["interview.scheduled", "interview.updated", "interview.cancelled"]
    assert events[0]["data"]["interview"]["id"] == interview.pk
    assert events[0]["data"]["interview"]["interviewer_count"] == 1
    assert events[-1]["data"]["interview"]["status"] == "cancelled"
    assert "Good" not in json.dumps(events)  # feedback stays internal


def test_a_scorecard_records_scorecard_submitted(subscribed, applied, tenant_a):
    _, application = applied()
    with tenant_context(tenant_a):
        pipeline.scorecard_submit(
            actor=owner_of(tenant_a),
            application_id=application.pk,
            fields={"overall": 4, "comments": "Sharp"},
        )
    (event,) = subscribed("scorecard.")
    assert event["data"]["scorecard"]["overall"] == 4
    assert "Sharp" not in json.dumps(event)


def test_jobs_record_published_closed_expired(subscribed, make_posting, tenant_a):
    posting = make_posting(tenant_a)
    with tenant_context(tenant_a):
        jobs.job_posting_close(actor=None, posting=posting)
        jobs.job_posting_publish(actor=None, posting=posting)
        JobPosting.objects.filter(pk=posting.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
        assert jobs.job_postings_expire() == 1
        jobs.job_posting_publish(actor=None, posting=posting)
        jobs.job_posting_archive(actor=None, posting=posting)
    events = subscribed("job.")
    assert _types(events) == [
        "job.published",
        "job.closed",
        "job.published",
        "job.expired",
        "job.published",
        "job.closed",
    ]
    assert events[0]["data"]["job"]["id"] == str(posting.public_id)
    assert events[0]["data"]["job"]["url"].endswith(f"/jobs/{posting.public_id}/")
    assert events[3]["data"]["job"]["closed_reason"] == "expired"


def test_the_team_records_member_added_and_removed(subscribed, tenant_a, make_user):
    owner = owner_of(tenant_a)
    newcomer = make_user()
    membership = join_team(tenant_a, newcomer)
    team.membership_remove(actor=owner, tenant=tenant_a, membership_id=membership.pk)
    events = subscribed("member.")
    assert _types(events) == ["member.added", "member.removed"]
    assert events[0]["data"]["member"] == {"id": membership.pk, "user_id": newcomer.pk, "role": "recruiter"}
    assert events[1]["data"]["member"]["id"] == membership.pk


def test_an_endpoint_gets_only_the_types_it_subscribed_to(tenant_a, receiver, endpoint_for, make_posting):
    interviews = endpoint_for(tenant_a, receiver.url, event_types=["interview.scheduled"])
    jobs_endpoint = endpoint_for(tenant_a, receiver.url, event_types=["job.published"])
    make_posting(tenant_a)
    with tenant_context(tenant_a):
        assert not WebhookDelivery.objects.filter(endpoint=interviews).exists()
        assert (
            WebhookDelivery.objects.filter(endpoint=jobs_endpoint, event__type="job.published").count() == 1
        )


def test_an_employers_events_go_only_to_its_own_endpoints(
    tenant_a, tenant_b, receiver, endpoint_for, make_posting
):
    endpoint_b = endpoint_for(tenant_b, receiver.url, event_types=["job.published"])
    endpoint_for(tenant_a, receiver.url, event_types=["job.published"])
    posting = make_posting(tenant_a)
    with tenant_context(tenant_b):
        assert not WebhookDelivery.objects.filter(endpoint=endpoint_b).exists()
        assert not WebhookEvent.objects.filter(body__contains=str(posting.public_id)).exists()
