"""Interview emails carry the interview as an .ics: the seeker's notification email and each interviewer's
invitation, an update with the same UID and a higher SEQUENCE, a cancellation as METHOD:CANCEL."""

from datetime import timedelta

import icalendar
import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from jobpilot.applications import services as pipeline
from jobpilot.applications.models import Interview
from jobpilot.calendars.ics import sequence_of
from tests.conftest import owner_of

pytestmark = pytest.mark.django_db


def _ics(message) -> icalendar.Calendar:
    (name, content, mimetype) = next(a for a in message.attachments if a[0] == "interview.ics")
    assert mimetype.startswith("text/calendar; method=")
    return icalendar.Calendar.from_ical(content)


def _event(cal) -> icalendar.Event:
    (event,) = cal.walk("VEVENT")
    return event


def test_the_panel_and_the_seeker_get_invitations_updates_and_cancellations(
    applied, tenant_a, mailoutbox, django_capture_on_commit_callbacks
):
    seeker, application = applied()
    mailoutbox.clear()
    owner = owner_of(tenant_a)
    with django_capture_on_commit_callbacks(execute=True), tenant_context(tenant_a):
        interview = pipeline.interview_schedule(
            actor=owner,
            application_id=application.pk,
            fields={
                "starts_at": timezone.now() + timedelta(days=2),
                "interviewers": ["Pat@Acme.example", "Sam (no address)"],
                "location": "Room 4",
            },
        )
    panel = next(m for m in mailoutbox if m.to == ["pat@acme.example"])
    to_seeker = next(m for m in mailoutbox if m.to == [seeker.email])
    uid = f"interview-{tenant_a.pk}-{interview.pk}@localhost"
    for message in (panel, to_seeker):
        cal = _ics(message)
        assert str(cal["METHOD"]) == "REQUEST"
        assert str(_event(cal)["UID"]) == uid
    assert application.name not in _ics(panel).to_ical().decode()  # the panel's copy names no candidate
    assert [str(a) for a in [_event(_ics(panel))["ATTENDEE"]]] == ["mailto:pat@acme.example"]
    # Seconds-grained SEQUENCE: as if the invitation had gone out five minutes ago.
    backdated = timezone.now() - timedelta(minutes=5)
    with tenant_context(tenant_a):
        Interview.objects.filter(pk=interview.pk).update(updated_at=backdated)
    first_sequence = sequence_of(backdated)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True), tenant_context(tenant_a):
        pipeline.interview_update(
            actor=owner,
            application_id=application.pk,
            interview_id=interview.pk,
            changes={"location": "Room 9"},
        )
    update = next(m for m in mailoutbox if m.to == ["pat@acme.example"])
    event = _event(_ics(update))
    assert str(event["UID"]) == uid
    assert str(event["LOCATION"]) == "Room 9"
    assert int(event["SEQUENCE"]) > first_sequence

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True), tenant_context(tenant_a):
        pipeline.interview_update(  # feedback is internal: no calendar change, no email
            actor=owner,
            application_id=application.pk,
            interview_id=interview.pk,
            changes={"feedback": "Strong"},
        )
    assert not [m for m in mailoutbox if m.to == ["pat@acme.example"]]

    with django_capture_on_commit_callbacks(execute=True), tenant_context(tenant_a):
        pipeline.interview_cancel(actor=owner, application_id=application.pk, interview_id=interview.pk)
    for message in (
        next(m for m in mailoutbox if m.to == ["pat@acme.example"]),
        next(m for m in mailoutbox if m.to == [seeker.email]),
    ):
        cal = _ics(message)
        assert str(cal["METHOD"]) == "CANCEL"
        assert str(_event(cal)["STATUS"]) == "CANCELLED"
        assert str(_event(cal)["UID"]) == uid
