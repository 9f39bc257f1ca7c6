"""Calendar invitations on interview emails: the seeker's interview notification email and an email to each
interviewer listed by address carry the interview as an `.ics` (METHOD:REQUEST, or METHOD:CANCEL once cancelled),
with the interview's one UID and a rising SEQUENCE, so a calendar replaces its copy instead of adding another."""

import logging

from celery import shared_task
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import connection, transaction
from django.forms import ValidationError
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from jobpilot.calendars.ics import Event, calendar, interview_uid, sequence_of
from tenants.selectors import tenant_site_origin

logger = logging.getLogger(__name__)


def _emails(values: list[str]) -> list[str]:
    found = []
    for value in values:
        try:
            validate_email(value.strip())
        except ValidationError:
            continue  # a name, not an address: nobody to send it to
        found.append(value.strip().lower())
    return list(dict.fromkeys(found))


def interview_ics(tenant, interview, *, for_staff: bool) -> tuple[str, bytes]:
    """(METHOD, document) for one interview, read in the tenant's schema. The seeker's copy has what the candidate
    is told; the staff copy links to the console instead of naming the candidate."""
    from jobpilot.applications.models import Interview

    application = interview.application
    cancelled = interview.status == Interview.Status.CANCELLED
    method = "CANCEL" if cancelled else "REQUEST"
    if for_staff:
        summary = f"Interview for {application.job.title} ({tenant.name})"
        url = f"{tenant_site_origin(tenant)}/console/applications/{application.pk}/"
    else:
        summary = interview.title or f"Interview: {application.job.title} at {tenant.name}"
        url = interview.meeting_url
    event = Event(
        uid=interview_uid(tenant.pk, interview.pk),
        sequence=sequence_of(interview.updated_at),
        summary=summary,
        starts_at=interview.starts_at,
        duration_minutes=interview.duration_minutes,
        location=interview.location,
        url=url,
        cancelled=cancelled,
        attendees=_emails(interview.interviewers) if for_staff else [],
    )
    return method, calendar([event], name="Interview", method=method, now=timezone.now())


def attachment_for_notification(notification) -> tuple[str, bytes, str] | None:
    """The `.ics` to attach to an interview notification email (None for any other notification, or when the
    interview is gone). Enters the schema of the notification's own tenant only."""
    from jobpilot.applications.models import Interview
    from jobpilot.notifications.types import NotificationType

    interview_id = (notification.data or {}).get("interview_id")
    if (
        notification.type != NotificationType.INTERVIEW_SCHEDULED
        or not interview_id
        or not notification.tenant
    ):
        return None
    with tenant_context(notification.tenant):
        interview = Interview.objects.select_related("application__job").filter(pk=interview_id).first()
        if interview is None:
            return None
        method, body = interview_ics(notification.tenant, interview, for_staff=False)
    return "interview.ics", body, f"text/calendar; method={method}; charset=utf-8"


def interview_invitations_send_later(interview_id: int) -> None:
    """After commit, email the interviewers their invitation (or its update or cancellation). Call it in the
    interview's schema, inside the change's transaction."""
    schema = connection.schema_name

    def send():
        with schema_context(schema):
            send_interview_invitations.delay(interview_id)

    transaction.on_commit(send)


@shared_task(
    name="calendars.send_interview_invitations", autoretry_for=(OSError,), retry_backoff=30, max_retries=5
)
def send_interview_invitations(interview_id: int) -> int:
    """Runs in the interview's schema (tenant-schemas-celery). Returns how many emails went out."""
    from jobpilot.applications.models import Interview
    from jobpilot.jobs.selectors import current_tenant

    interview = Interview.objects.select_related("application__job").filter(pk=interview_id).first()
    if interview is None:
        return 0
    recipients = _emails(interview.interviewers)
    if not recipients:
        return 0
    tenant = current_tenant()
    method, body = interview_ics(tenant, interview, for_staff=True)
    verb = "Cancelled" if method == "CANCEL" else "Interview"
    message = EmailMessage(
        subject=f"{verb}: {interview.application.job.title}, {interview.starts_at:%Y-%m-%d %H:%M} UTC",
        body=(
            f"{'This interview was cancelled.' if method == 'CANCEL' else 'You are on the panel of this interview.'}\n"
            f"{tenant_site_origin(tenant)}/console/applications/{interview.application_id}/\n"
        ),
        to=recipients,
    )
    message.attach("interview.ics", body, f"text/calendar; method={method}; charset=utf-8")
    message.send()
    return len(recipients)
