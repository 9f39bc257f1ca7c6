"""The weekly recommendations notification: once per ISO week, only for seekers with the plan feature and the
preference on, through the notifications registry; each job in its email links to the job page with
`utm_source=recommendation`, so a click is recorded with that source."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from bench.matching_eval.dataset import build
from jobpilot.matching.tasks import send_weekly_recommendations
from jobpilot.notifications.models import Notification
from jobpilot.notifications.types import NotificationType

pytestmark = pytest.mark.django_db


def test_a_planned_seeker_gets_one_notification_a_week_with_reasons(listed_jobs, seeker_like):
    nurse = seeker_like(next(r for r in build().resumes if r.occupation == "nursing"))
    free = seeker_like(build().resumes[0], plan=None)
    assert send_weekly_recommendations() >= 1
    assert send_weekly_recommendations() == 0  # the same week: nothing twice
    sent = Notification.objects.get(recipient=nurse, type=NotificationType.JOB_RECOMMENDATIONS)
    assert "jobs for you this week" in sent.title and "skills match yours" in sent.body
    assert sent.data["url"].startswith("/dashboard/")
    assert not Notification.objects.filter(recipient=free, type=NotificationType.JOB_RECOMMENDATIONS).exists()


def test_a_seeker_who_switched_recommendations_off_gets_none(listed_jobs, seeker_like):
    from jobpilot.seekers.models import SeekerProfile

    nurse = seeker_like(next(r for r in build().resumes if r.occupation == "nursing"))
    SeekerProfile.objects.filter(user=nurse).update(notify_job_recommendations=False)
    send_weekly_recommendations()
    assert not Notification.objects.filter(recipient=nurse).exists()


def test_the_next_week_sends_again(listed_jobs, seeker_like):
    from jobpilot.matching.services import recommendations_weekly_notify

    nurse = seeker_like(next(r for r in build().resumes if r.occupation == "nursing"))
    now = timezone.now()
    assert recommendations_weekly_notify(seeker=nurse, now=now)
    assert not recommendations_weekly_notify(seeker=nurse, now=now)
    assert recommendations_weekly_notify(seeker=nurse, now=now + timedelta(days=7))


def test_a_click_on_a_job_in_the_email_is_recorded_with_source_recommendation(
    listed_jobs, seeker_like, client_for, settings
):
    """Through the real path: the email as sent, its first job link, a GET of it, the analytics flush."""
    from jobpilot.analytics import capture
    from jobpilot.analytics.models import Event
    from jobpilot.analytics.tasks import flush_events
    from jobpilot.matching.services import recommendations_weekly_notify
    from jobpilot.notifications.services import notification_email_send

    if settings.REDIS_URL:
        capture._client().delete(capture.REDIS_KEY)
    nurse = seeker_like(next(r for r in build().resumes if r.occupation == "nursing"))
    assert recommendations_weekly_notify(seeker=nurse, now=timezone.now())
    sent = Notification.objects.get(recipient=nurse, type=NotificationType.JOB_RECOMMENDATIONS)
    mail.outbox.clear()
    assert notification_email_send(notification_id=sent.pk)
    [email] = mail.outbox
    links = re.findall(r"^(https?://\S+)$", email.body, re.MULTILINE)
    job_links = [link for link in links if "utm_source=recommendation" in link]
    assert len(job_links) == len(sent.data["job_ids"])  # every recommended job has its own link
    first = urlsplit(job_links[0])
    assert first.path.startswith(f"/jobs/{sent.data['job_ids'][0]}/")
    # Each link follows its job's line (title at company: reason) in the email.
    assert email.body.index(sent.body.splitlines()[0]) < email.body.index(job_links[0])

    browser = client_for(None)  # the public domain, signed in as the seeker
    browser.force_login(nurse)
    assert browser.get(f"{first.path}?{first.query}").status_code == 200
    flush_events()
    clicked = Event.objects.filter(job_public_id=sent.data["job_ids"][0], seeker_id=nurse.pk)
    assert set(clicked.values_list("kind", "source")) == {
        ("view", "recommendation"),
        ("recommendation_click", "recommendation"),
    }
