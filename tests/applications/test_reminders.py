"""Interview reminders, 24 hours and 1 hour ahead, each sent once."""

import datetime

from django.utils import timezone
from django_tenants.utils import tenant_context

from jobpilot.applications import services
from jobpilot.applications.tasks import send_interview_reminders
from jobpilot.notifications.models import Notification
from tests.conftest import owner_of


def schedule(tenant, application, starts_at):
    with tenant_context(tenant):
        return services.interview_schedule(
            actor=owner_of(tenant), application_id=application.pk, fields={"starts_at": starts_at}
        )


def reminders(seeker) -> list[str]:
    return list(
        Notification.objects.filter(recipient=seeker, type="interview_reminder")
        .order_by("id")
        .values_list("title", flat=True)
    )


def test_a_reminder_a_day_ahead_then_an_hour_ahead_each_once(applied, tenant_a):
    seeker, application = applied()
    now = timezone.now()
    schedule(tenant_a, application, now + datetime.timedelta(hours=23))

    send_interview_reminders()
    send_interview_reminders()
    assert len(reminders(seeker)) == 1 and "tomorrow" in reminders(seeker)[0]

    later = now + datetime.timedelta(hours=22, minutes=30)
    with tenant_context(tenant_a):
        services.interview_reminders_send(now=later)
        services.interview_reminders_send(now=later)
    assert len(reminders(seeker)) == 2 and "in 1 hour" in reminders(seeker)[1]


def test_an_interview_within_the_hour_gets_only_the_hour_reminder(applied, tenant_a):
    seeker, application = applied()
    schedule(tenant_a, application, timezone.now() + datetime.timedelta(minutes=30))

    send_interview_reminders()

    assert len(reminders(seeker)) == 1 and "in 1 hour" in reminders(seeker)[0]


def test_far_off_cancelled_and_past_interviews_get_no_reminder(applied, tenant_a):
    seeker, application = applied()
    now = timezone.now()
    schedule(tenant_a, application, now + datetime.timedelta(days=3))
    cancelled = schedule(tenant_a, application, now + datetime.timedelta(hours=2))
    with tenant_context(tenant_a):
        services.interview_cancel(
            actor=owner_of(tenant_a), application_id=application.pk, interview_id=cancelled.pk
        )

    send_interview_reminders()

    assert reminders(seeker) == []


def test_moving_an_interview_re_arms_its_reminders(applied, tenant_a):
    seeker, application = applied()
    now = timezone.now()
    interview = schedule(tenant_a, application, now + datetime.timedelta(hours=20))
    send_interview_reminders()
    with tenant_context(tenant_a):
        services.interview_update(
            actor=owner_of(tenant_a),
            application_id=application.pk,
            interview_id=interview.pk,
            changes={"starts_at": now + datetime.timedelta(hours=22)},
        )

    send_interview_reminders()

    assert len(reminders(seeker)) == 2


def test_tracked_deadlines_remind_the_seeker_once_per_deadline(seeker):
    from jobpilot.applications.tasks import send_deadline_reminders
    from tests.seeker_factories import track_external

    today = timezone.localdate()
    soon = track_external(seeker, title="Soon", deadline=today + datetime.timedelta(days=1))
    track_external(seeker, title="Far", deadline=today + datetime.timedelta(days=10))
    track_external(seeker, title="Passed", deadline=today - datetime.timedelta(days=1))
    track_external(seeker, title="Closed", deadline=today, status="not_selected")

    send_deadline_reminders()
    send_deadline_reminders()

    titles = list(
        Notification.objects.filter(recipient=seeker, type="deadline_reminder").values_list(
            "title", flat=True
        )
    )
    assert titles == ["Deadline tomorrow: Soon at Initech"]

    soon.deadline = today + datetime.timedelta(days=2)
    soon.save()
    send_deadline_reminders()
    assert Notification.objects.filter(recipient=seeker, type="deadline_reminder").count() == 2
