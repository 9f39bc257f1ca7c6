"""What a user's calendar feed shows: the seeker's tracked interviews and deadlines, and the interviews the user
runs or sits in as staff of each employer (entered one schema at a time, through `tenant_context`)."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tenants.utils import tenant_context

from jobpilot.calendars.ics import Event, interview_uid, sequence_of
from jobpilot.calendars.models import CalendarFeed
from jobpilot.core.errors import NotFound
from jobpilot.tracker.models import CLOSED_STATUSES, TrackedApplication, TrackedInterview
from tenants.selectors import memberships_of, tenant_site_origin

FEED_DAYS_BACK = 90  # past events a feed still carries


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_feed_owner(*, token: str):
    """The user whose feed this token opens; 404 for an unknown or reset token."""
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=token_hash(token)).first()
    if feed is None or not feed.user.is_active:
        raise NotFound("No such calendar.", code="calendar_not_found")
    return feed


def _seeker_events(user, since) -> list[Event]:
    events = []
    interviews = TrackedInterview.objects.filter(seeker=user, starts_at__gte=since).select_related(
        "application__tenant"
    )
    for interview in interviews:
        application = interview.application
        if interview.employer_interview_id and application.tenant_id:
            uid = interview_uid(application.tenant_id, interview.employer_interview_id)
        else:
            uid = f"tracked-interview-{interview.pk}@{settings.BASE_DOMAIN}"
        events.append(
            Event(
                uid=uid,
                sequence=sequence_of(interview.updated_at),
                summary=interview.title or f"Interview: {application.title} at {application.company}",
                starts_at=interview.starts_at,
                duration_minutes=interview.duration_minutes,
                location=interview.location,
                url=interview.meeting_url or application.job_url,
                cancelled=interview.status == TrackedInterview.Status.CANCELLED,
            )
        )
    deadlines = TrackedApplication.objects.filter(seeker=user, deadline__gte=since.date()).exclude(
        status__in=CLOSED_STATUSES
    )
    for tracked in deadlines:
        events.append(
            Event(
                uid=f"deadline-{tracked.pk}@{settings.BASE_DOMAIN}",
                sequence=sequence_of(tracked.updated_at),
                summary=f"Deadline: {tracked.title} at {tracked.company}",
                all_day=tracked.deadline,
                url=tracked.job_url,
            )
        )
    return events


def _staff_events(user, since) -> list[Event]:
    """Interviews the user scheduled or is listed on (by email), in every employer they work for. Only the job
    title and a console link: a calendar URL that leaks must not carry candidates' names."""
    from jobpilot.applications.models import Interview

    events = []
    for membership in memberships_of(user):
        tenant = membership.tenant
        origin = tenant_site_origin(tenant)
        with tenant_context(tenant):
            interviews = Interview.objects.filter(
                Q(created_by_id=user.pk) | Q(interviewers__contains=[user.email]), starts_at__gte=since
            ).select_related("application__job")
            for interview in interviews:
                events.append(
                    Event(
                        uid=interview_uid(tenant.pk, interview.pk),
                        sequence=sequence_of(interview.updated_at),
                        summary=f"Interview for {interview.application.job.title} ({tenant.name})",
                        starts_at=interview.starts_at,
                        duration_minutes=interview.duration_minutes,
                        location=interview.location,
                        url=f"{origin}/console/applications/{interview.application_id}/",
                        cancelled=interview.status == Interview.Status.CANCELLED,
                    )
                )
    return events


def calendar_feed_events(*, user) -> list[Event]:
    since = timezone.now() - timedelta(days=FEED_DAYS_BACK)
    events = _seeker_events(user, since) + _staff_events(user, since)
    return sorted(events, key=lambda e: (e.starts_at.date() if e.starts_at else e.all_day, e.uid))
