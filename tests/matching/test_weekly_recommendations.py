"""The weekly recommendations notification: once per ISO week, only for seekers with the plan feature and the
preference on, through the notifications registry."""

from datetime import timedelta

import pytest
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
