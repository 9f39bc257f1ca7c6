"""The tracker functions the apply flow and the employer's pipeline call, and the seeker's tracker reflecting
them at once."""

import datetime
import threading
import uuid

import pytest
from django.db import connection, transaction
from django.utils import timezone

from jobpilot.core.errors import Conflict, Invalid
from jobpilot.tracker.models import TrackedApplication, TrackedApplicationEvent, TrackedInterview
from jobpilot.tracker.services import (
    tracked_application_create_for_jobpilot_apply,
    tracked_application_record_external_apply,
    tracked_application_sync_status,
    tracked_interview_sync_from_employer,
)
from tests.seeker_factories import apply_through_jobpilot, upload_resume

pytestmark = pytest.mark.django_db


def test_applying_creates_a_linked_tracker_row(seeker, tenant_a):
    resume = upload_resume(seeker)
    job = uuid.uuid4()

    application = tracked_application_create_for_jobpilot_apply(
        seeker=seeker,
        tenant=tenant_a,
        application_id=4242,
        job_public_id=job,
        title="Robotics Engineer",
        company="Acme Corp",
        resume=resume,
        location="Remote",
    )

    application.refresh_from_db()
    assert (application.source, application.status) == ("jobpilot", "applied")
    assert (application.tenant, application.tenant_application_id, application.job_public_id) == (
        tenant_a,
        4242,
        job,
    )
    assert application.resume == resume
    assert TrackedApplicationEvent.objects.filter(application=application, kind="created").count() == 1


def test_applying_twice_to_one_job_is_a_conflict_and_the_callers_transaction_survives(seeker, tenant_a):
    job = uuid.uuid4()
    apply_through_jobpilot(seeker, tenant_a, job_public_id=job)

    with transaction.atomic():
        with pytest.raises(Conflict) as conflict:
            apply_through_jobpilot(seeker, tenant_a, job_public_id=job)
        assert conflict.value.code == "already_applied"
        assert (
            TrackedApplication.objects.filter(seeker=seeker).count() == 1
        )  # the transaction is still usable


def test_a_resume_of_another_seeker_cannot_be_attached(seeker, make_user, tenant_a):
    with pytest.raises(Invalid):
        apply_through_jobpilot(seeker, tenant_a, resume=upload_resume(make_user()))


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_applies_to_one_job_create_one_tracker_row(make_user, tenant_a):
    seeker = make_user()
    job = uuid.uuid4()
    outcomes = []
    barrier = threading.Barrier(20)

    def apply(number):
        try:
            barrier.wait()
            with transaction.atomic():
                apply_through_jobpilot(seeker, tenant_a, job_public_id=job, application_id=900_000 + number)
            outcomes.append("created")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=apply, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["conflict"] * 19 + ["created"]
    assert TrackedApplication.objects.filter(seeker=seeker, job_public_id=job).count() == 1


def test_an_employer_stage_move_shows_in_the_seekers_tracker_at_once(api_client_for, seeker, tenant_a):
    application = apply_through_jobpilot(seeker, tenant_a)

    tracked_application_sync_status(
        tenant=tenant_a, application_id=application.tenant_application_id, public_status="interviewing"
    )

    body = api_client_for(seeker).get(f"/api/v1/applications/{application.id}/").json()
    assert (body["status"], body["status_label"]) == ("interviewing", "Interviewing")
    assert [(h["actor"], h["to_status"]) for h in body["history"]] == [
        ("seeker", "applied"),
        ("employer", "interviewing"),
    ]


def test_a_stage_move_records_the_first_response_and_funnel_progress(seeker, tenant_a):
    application = apply_through_jobpilot(seeker, tenant_a)
    moved_at = timezone.now() + datetime.timedelta(days=3)

    tracked_application_sync_status(
        tenant=tenant_a,
        application_id=application.tenant_application_id,
        public_status="offer",
        occurred_at=moved_at,
    )

    application.refresh_from_db()
    assert application.first_response_at == moved_at
    assert application.responded and application.reached_interview and application.reached_offer


def test_another_tenant_cannot_move_an_application_with_the_same_id(seeker, tenant_a, tenant_b):
    application = apply_through_jobpilot(seeker, tenant_a)

    result = tracked_application_sync_status(
        tenant=tenant_b, application_id=application.tenant_application_id, public_status="not_selected"
    )

    assert result is None
    application.refresh_from_db()
    assert application.status == "applied"


def test_a_withdrawn_application_stays_withdrawn_when_the_employer_moves_it(api_client_for, seeker, tenant_a):
    application = apply_through_jobpilot(seeker, tenant_a)
    api_client_for(seeker).post(f"/api/v1/applications/{application.id}/withdraw/")

    tracked_application_sync_status(
        tenant=tenant_a, application_id=application.tenant_application_id, public_status="interviewing"
    )

    application.refresh_from_db()
    assert application.status == "withdrawn"


def test_a_stage_move_for_an_unknown_application_is_a_no_op(tenant_a):
    assert tracked_application_sync_status(tenant=tenant_a, application_id=1, public_status="hired") is None


def test_an_unknown_public_status_is_refused(seeker, tenant_a):
    application = apply_through_jobpilot(seeker, tenant_a)

    with pytest.raises(ValueError):
        tracked_application_sync_status(
            tenant=tenant_a, application_id=application.tenant_application_id, public_status="Screening"
        )


def test_withdrawing_a_jobpilot_application_withdraws_the_employers_copy_in_its_schema(
    api_client_for, seeker, tenant_a, tenant_b, apply_for_real
):
    from django_tenants.utils import tenant_context

    from jobpilot.applications.models import Application

    application = apply_for_real(seeker, tenant_a)
    other = apply_for_real(seeker, tenant_b)  # same seeker at another employer: stays open

    response = api_client_for(seeker).post(f"/api/v1/applications/{application.id}/withdraw/")

    assert response.status_code == 200
    with tenant_context(tenant_a):
        withdrawn = Application.objects.get(pk=application.tenant_application_id)
        assert withdrawn.withdrawn_at is not None
        assert list(withdrawn.history.values_list("kind", flat=True)) == ["applied", "withdrawn"]
    with tenant_context(tenant_b):
        assert Application.objects.get(pk=other.tenant_application_id).withdrawn_at is None
    assert connection.schema_name == "public"


def test_interviews_from_the_employer_are_mirrored_idempotently(seeker, tenant_a):
    application = apply_through_jobpilot(seeker, tenant_a)
    starts = timezone.now() + datetime.timedelta(days=5)
    sync = {
        "tenant": tenant_a,
        "application_id": application.tenant_application_id,
        "interview_id": 11,
        "duration_minutes": 45,
        "kind": "onsite",
        "location": "Acme HQ, room 4",
    }

    tracked_interview_sync_from_employer(**sync, starts_at=starts)
    tracked_interview_sync_from_employer(**sync, starts_at=starts + datetime.timedelta(hours=2))
    tracked_interview_sync_from_employer(**sync, starts_at=starts, cancelled=True)

    interview = TrackedInterview.objects.get(application=application)
    assert (interview.starts_at, interview.status, interview.seeker_id) == (starts, "cancelled", seeker.pk)
    kinds = (
        TrackedApplicationEvent.objects.filter(application=application)
        .order_by("id")
        .values_list("kind", flat=True)
    )
    assert list(kinds) == ["created", "interview_scheduled", "interview_updated", "interview_cancelled"]


def test_interviews_of_another_tenants_application_are_not_touched(seeker, tenant_a, tenant_b):
    application = apply_through_jobpilot(seeker, tenant_a)

    result = tracked_interview_sync_from_employer(
        tenant=tenant_b,
        application_id=application.tenant_application_id,
        interview_id=1,
        starts_at=timezone.now(),
        duration_minutes=30,
    )

    assert result is None
    assert not TrackedInterview.objects.filter(application=application).exists()


def test_an_external_apply_click_is_tracked_once_per_job(seeker):
    job = uuid.uuid4()
    first, created = tracked_application_record_external_apply(
        seeker=seeker,
        job_public_id=job,
        title="Engineer",
        company="Elsewhere Inc",
        job_url="https://else.example",
    )
    again, created_again = tracked_application_record_external_apply(
        seeker=seeker, job_public_id=job, title="Engineer", company="Elsewhere Inc"
    )

    assert (created, created_again) == (True, False)
    assert first.pk == again.pk
    assert (first.source, first.tenant_id, first.resume_id) == ("external", None, None)
