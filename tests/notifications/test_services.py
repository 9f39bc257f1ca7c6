"""The service layer other apps call: notify, notify_tenant_staff, read state, preferences, emails."""

import json
import threading
import time
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from jobpilot.core.errors import Invalid
from jobpilot.notifications import services, tasks
from jobpilot.notifications.models import Notification, NotificationPreference
from jobpilot.notifications.realtime import frame
from jobpilot.notifications.services import notify, notify_tenant_staff
from jobpilot.notifications.types import TYPE_DEFAULTS, EmailDelivery, NotificationType
from tenants.models import Membership
from tests.servers import free_port

pytestmark = pytest.mark.django_db


def test_every_notification_type_has_a_default():
    assert set(TYPE_DEFAULTS) == set(NotificationType)


def test_notify_stores_the_notification_for_the_recipient(make_user):
    seeker = make_user()
    notification = notify(
        recipient=seeker,
        type=NotificationType.APPLICATION_STATUS_CHANGED,
        title="Your application moved to Interview",
        body="Acme Corp moved your application.",
        data={"url": "/applications/7/", "application_id": 7},
    )
    stored = Notification.objects.get(pk=notification.pk)
    assert stored.recipient == seeker
    assert stored.type == "application_status_changed"
    assert stored.data == {"url": "/applications/7/", "application_id": 7}
    assert stored.read_at is None and stored.in_app


def test_notify_works_from_inside_a_tenant_schema(tenant_a, make_user, django_capture_on_commit_callbacks):
    seeker = make_user()
    # Where pipeline services run: the rows still land in the public schema, and the email goes out.
    with schema_context(tenant_a.schema_name), django_capture_on_commit_callbacks(execute=True):
        notification = notify(
            recipient=seeker, type=NotificationType.INTERVIEW_SCHEDULED, title="Interview", tenant=tenant_a
        )
    assert Notification.objects.get(pk=notification.pk).tenant == tenant_a
    assert len(mail.outbox) == 1


def test_notify_turns_dates_uuids_and_decimals_into_json(make_user):
    key = uuid.uuid4()
    notification = notify(
        recipient=make_user(),
        type=NotificationType.USAGE_THRESHOLD,
        title="80% used",
        data={"on": date(2030, 1, 2), "key": key, "share": Decimal("0.8")},
    )
    assert notification.data == {"on": "2030-01-02", "key": str(key), "share": "0.8"}
    json.dumps(frame(notification))  # the websocket frame must survive the wire


def test_notify_refuses_data_that_uses_a_reserved_key(make_user):
    with pytest.raises(ValueError, match="reserved"):
        notify(recipient=make_user(), type=NotificationType.TRIAL_ENDING, title="x", data={"title": "y"})


def test_notify_refuses_an_unknown_type(make_user):
    with pytest.raises(ValueError):
        notify(recipient=make_user(), type="coffee_ready", title="x")


def test_a_long_title_is_shortened_not_refused(make_user):
    notification = notify(recipient=make_user(), type=NotificationType.SAVED_SEARCH_MATCH, title="x" * 500)
    assert len(notification.title) == 200 and notification.title.endswith("…")


def test_a_type_switched_off_on_every_channel_stores_nothing(make_user):
    seeker = make_user()
    NotificationPreference.objects.create(
        user=seeker, type=NotificationType.SAVED_SEARCH_MATCH, in_app=False, email=EmailDelivery.OFF
    )
    assert notify(recipient=seeker, type=NotificationType.SAVED_SEARCH_MATCH, title="3 new jobs") is None
    assert not Notification.objects.filter(recipient=seeker).exists()


def test_an_email_only_preference_stores_a_row_kept_out_of_the_feed(make_user):
    seeker = make_user()
    NotificationPreference.objects.create(
        user=seeker, type=NotificationType.INTERVIEW_SCHEDULED, in_app=False, email=EmailDelivery.INSTANT
    )
    notification = notify(recipient=seeker, type=NotificationType.INTERVIEW_SCHEDULED, title="Interview")
    assert not notification.in_app and notification.email == EmailDelivery.INSTANT


def test_the_same_dedupe_key_notifies_once(make_user):
    seeker = make_user()
    first = notify(
        recipient=seeker,
        type=NotificationType.INTERVIEW_REMINDER,
        title="Tomorrow",
        dedupe_key="interview:9:24h",
    )
    with transaction.atomic():
        again = notify(
            recipient=seeker,
            type=NotificationType.INTERVIEW_REMINDER,
            title="Tomorrow",
            dedupe_key="interview:9:24h",
        )
        # The duplicate must not break the caller's transaction.
        other = notify(
            recipient=seeker, type=NotificationType.INTERVIEW_REMINDER, title="Soon", dedupe_key="i:9:1h"
        )
    assert first is not None and again is None and other is not None
    assert Notification.objects.filter(recipient=seeker).count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_calls_with_one_dedupe_key_notify_once(make_user):
    seeker = make_user()
    barrier = threading.Barrier(6)
    results = []

    def remind():
        barrier.wait()
        try:
            results.append(
                notify(
                    recipient=seeker,
                    type=NotificationType.DEADLINE_REMINDER,
                    title="Closes",
                    dedupe_key="job:1",
                )
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=remind) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(result is not None for result in results) == 1
    assert Notification.objects.filter(recipient=seeker, dedupe_key="job:1").count() == 1


def test_tenant_staff_are_notified_from_the_minimum_role_up(tenant_a, tenant_b, make_user):
    recruiter, viewer, other_tenants = make_user(), make_user(), make_user()
    Membership.objects.create(user=recruiter, tenant=tenant_a, role=Membership.Role.RECRUITER)
    Membership.objects.create(user=viewer, tenant=tenant_a, role=Membership.Role.VIEWER)
    Membership.objects.create(user=other_tenants, tenant=tenant_b, role=Membership.Role.OWNER)
    owner = tenant_a.memberships.get(role=Membership.Role.OWNER).user

    created = notify_tenant_staff(
        tenant=tenant_a, type=NotificationType.APPLICATION_RECEIVED, title="New application for Welder"
    )
    assert {n.recipient_id for n in created} == {owner.pk, recruiter.pk}
    assert all(n.tenant == tenant_a for n in created)

    admins = notify_tenant_staff(
        tenant=tenant_a,
        type=NotificationType.USAGE_THRESHOLD,
        title="80% of postings used",
        minimum_role=Membership.Role.ADMIN,
    )
    assert [n.recipient_id for n in admins] == [owner.pk]


def test_a_staff_event_is_one_publish_to_the_staff_group(
    tenant_a, make_user, monkeypatch, django_capture_on_commit_callbacks
):
    from jobpilot.notifications import realtime

    for _ in range(5):
        Membership.objects.create(user=make_user(), tenant=tenant_a, role=Membership.Role.RECRUITER)
    published = []
    monkeypatch.setattr(realtime, "push", lambda messages: published.append(messages) or True)

    with django_capture_on_commit_callbacks(execute=True):
        created = notify_tenant_staff(
            tenant=tenant_a, type=NotificationType.APPLICATION_RECEIVED, title="New"
        )

    [messages] = published
    [(group, message)] = messages
    assert group == realtime.tenant_staff_group(tenant_a.schema_name)
    assert len(created) == 6
    for notification in created:
        assert realtime.recipient_row_id(message["recipients"], notification.recipient_id) == notification.id
    assert realtime.recipient_row_id(message["recipients"], 10**9) is None


def test_staff_preferences_apply_per_member(tenant_a, make_user):
    quiet = make_user()
    Membership.objects.create(user=quiet, tenant=tenant_a, role=Membership.Role.ADMIN)
    NotificationPreference.objects.create(
        user=quiet, type=NotificationType.APPLICATION_RECEIVED, in_app=False, email=EmailDelivery.OFF
    )
    created = notify_tenant_staff(tenant=tenant_a, type=NotificationType.APPLICATION_RECEIVED, title="New")
    assert quiet.pk not in {n.recipient_id for n in created}
    assert created


def test_mark_read_marks_only_the_actors_own_notifications(make_user):
    alice, bob = make_user(), make_user()
    mine = notify(recipient=alice, type=NotificationType.TRIAL_ENDING, title="3 days left")
    theirs = notify(recipient=bob, type=NotificationType.TRIAL_ENDING, title="3 days left")

    assert services.notification_mark_read(actor=alice, ids=[mine.pk, theirs.pk]) == 1
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None
    assert services.notification_mark_read(actor=alice, ids=[mine.pk]) == 0  # already read


def test_mark_all_read(make_user):
    alice = make_user()
    for number in range(3):
        notify(recipient=alice, type=NotificationType.SAVED_SEARCH_MATCH, title=f"{number} new jobs")
    assert services.notification_mark_read(actor=alice, all=True) == 3
    assert services.notification_mark_read(actor=alice, all=True) == 0


def test_mark_read_needs_ids_or_all_but_not_both(make_user):
    with pytest.raises(Invalid):
        services.notification_mark_read(actor=make_user())
    with pytest.raises(Invalid):
        services.notification_mark_read(actor=make_user(), ids=[1], all=True)


def test_preferences_update_overwrites_the_previous_choice(make_user):
    user = make_user()
    change = {"type": "saved_search_match", "in_app": False, "email": "instant"}
    services.notification_preferences_update(actor=user, changes=[change])
    services.notification_preferences_update(actor=user, changes=[{**change, "in_app": True, "email": "off"}])
    preference = NotificationPreference.objects.get(user=user)
    assert (preference.in_app, preference.email) == (True, "off")


def test_preferences_update_refuses_a_type_twice(make_user):
    change = {"type": "trial_ending", "in_app": False, "email": "off"}
    with pytest.raises(Invalid):
        services.notification_preferences_update(actor=make_user(), changes=[change, change])


# --- Emails -----------------------------------------------------------------------------------------------------


def test_an_email_preferring_type_is_emailed_after_commit(make_user, django_capture_on_commit_callbacks):
    seeker = make_user(email="sam@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(
            recipient=seeker,
            type=NotificationType.INTERVIEW_SCHEDULED,
            title="Interview with Acme on Monday",
            body="Monday 10:00, video call.",
            data={"url": "/applications/3/"},
        )
        assert mail.outbox == []  # nothing leaves before commit
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["sam@example.com"]
    assert email.subject == "Interview with Acme on Monday"
    assert "Monday 10:00, video call." in email.body
    assert "/applications/3/" in email.body
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_a_type_with_email_off_sends_no_email(make_user, django_capture_on_commit_callbacks):
    seeker = make_user()
    NotificationPreference.objects.create(
        user=seeker, type=NotificationType.INTERVIEW_SCHEDULED, in_app=True, email=EmailDelivery.OFF
    )
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=seeker, type=NotificationType.INTERVIEW_SCHEDULED, title="Interview")
    assert mail.outbox == []


def test_an_instant_email_is_sent_once(make_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(
            recipient=make_user(), type=NotificationType.PAYMENT_FAILED, title="Card declined"
        )
    assert services.notification_email_send(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1


def test_the_sweeper_sends_instant_emails_whose_task_was_lost(make_user):
    notification = notify(recipient=make_user(), type=NotificationType.PAYMENT_FAILED, title="Card declined")
    # No commit callbacks ran: the task was never enqueued, as when the broker is down.
    Notification.objects.filter(pk=notification.pk).update(created_at=timezone.now() - timedelta(minutes=10))
    assert tasks.send_stale_instant_emails() == 1
    assert tasks.send_stale_instant_emails() == 0
    assert [email.subject for email in mail.outbox] == ["Card declined"]


def test_the_daily_digest_lists_unread_daily_notifications_once(make_user):
    seeker, quiet = make_user(email="digest@example.com"), make_user()
    first = notify(recipient=seeker, type=NotificationType.SAVED_SEARCH_MATCH, title="4 new welding jobs")
    notify(recipient=seeker, type=NotificationType.SAVED_SEARCH_MATCH, title="2 new remote jobs")
    read = notify(recipient=seeker, type=NotificationType.SAVED_SEARCH_MATCH, title="Already seen")
    services.notification_mark_read(actor=seeker, ids=[read.pk])
    notify(recipient=quiet, type=NotificationType.PAYMENT_FAILED, title="Not a digest type")
    assert first.email == EmailDelivery.DAILY

    assert tasks.send_email_digests() == 1
    assert tasks.send_email_digests() == 0
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == ["digest@example.com"]
    assert "2 new notifications" in digest.subject
    assert "4 new welding jobs" in digest.body and "2 new remote jobs" in digest.body
    assert "Already seen" not in digest.body


# --- Delivery when Redis is down ----------------------------------------------------------------------------------


def test_notify_succeeds_and_stores_when_the_channel_layer_is_down(
    make_user, settings, django_capture_on_commit_callbacks, caplog
):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [f"redis://127.0.0.1:{free_port()}/0"]},
        }
    }
    seeker = make_user()
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(
            recipient=seeker, type=NotificationType.APPLICATION_STATUS_CHANGED, title="Moved"
        )
    assert Notification.objects.filter(pk=notification.pk).exists()
    assert "Live push" in caplog.text
    print(f"push with Redis down took {time.monotonic() - started:.2f}s")
