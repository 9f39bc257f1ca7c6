"""The inbound SMTP receiver, spoken to with smtplib over a real socket: it takes mail for live forwarding
addresses only, bounds the size, stores what it takes and refuses the rest with proper SMTP codes."""

import email.policy
import smtplib
from email.message import EmailMessage

import pytest

from jobpilot.inbox.models import ForwardingAddress, InboxMessage
from jobpilot.inbox.selectors import forwarding_email
from jobpilot.inbox.services import forwarding_address_disable, forwarding_address_reset
from jobpilot.notifications.models import Notification
from jobpilot.tracker.models import TrackedApplication
from tests.inbox.mail import recruiting_mail
from tests.seeker_factories import track_external

# The receiver serves from its own thread and database connection: it sees committed rows only.
pytestmark = pytest.mark.django_db(transaction=True)


def send(receiver, to, raw, *, sender="recruiting@hooli.example"):
    host, port = receiver
    with smtplib.SMTP(host, port, timeout=10) as client:
        return client.sendmail(sender, [to] if isinstance(to, str) else to, raw)


def test_a_forwarded_interview_invitation_is_stored_with_a_suggestion_and_a_notification(
    smtp_receiver, pro_seeker, forwarding_to
):
    application = track_external(pro_seeker, company="Hooli", title="Senior Platform Engineer")
    to = forwarding_to(pro_seeker)

    refused = send(smtp_receiver, to, recruiting_mail(to=to))

    assert refused == {}
    message = InboxMessage.objects.get(seeker=pro_seeker)
    assert message.source == "forwarded"
    assert message.sender == "Hooli Recruiting <recruiting@hooli.example>"
    assert message.sender_domain == "hooli.example"
    assert message.subject == "Interview invitation: Senior Platform Engineer"
    assert message.sent_at.isoformat() == "2026-03-04T16:58:00+00:00"
    assert "invite you to an interview" in message.body_text
    assert message.category == "interview"
    assert message.application_id == application.id
    assert (message.suggested_status, message.suggestion_state) == ("interviewing", "pending")
    # Nothing changed in the tracker: the seeker has not confirmed.
    assert TrackedApplication.objects.get(pk=application.pk).status == "applied"
    notification = Notification.objects.get(recipient=pro_seeker, type="inbox_suggestion")
    assert notification.data["message_id"] == str(message.id)
    assert ForwardingAddress.objects.get(user=pro_seeker).last_received_at is not None


def test_an_html_only_mail_is_stored_as_text(smtp_receiver, pro_seeker, forwarding_to):
    to = forwarding_to(pro_seeker)
    html = (
        "<html><head><style>p { color: red }</style></head><body><p>Dear Sam,</p>"
        "<p>We regret to inform you<br>that you were <b>not selected</b>.</p><script>alert(1)</script></body></html>"
    )
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "hr@globex.example", to, "Your application"
    message.set_content(html, subtype="html")

    send(smtp_receiver, to, message.as_bytes(policy=email.policy.SMTP))

    stored = InboxMessage.objects.get(seeker=pro_seeker)
    assert stored.body_text == "Dear Sam,\nWe regret to inform you\nthat you were not selected."
    assert stored.category == "rejection"


def test_mail_for_an_unknown_address_is_refused_with_550(smtp_receiver, pro_seeker, forwarding_to, settings):
    forwarding_to(pro_seeker)
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        send(smtp_receiver, f"nosuchtoken@{settings.INBOX_DOMAIN}", recruiting_mail(to="x@example.com"))
    assert list(refused.value.recipients.values())[0][0] == 550
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        send(smtp_receiver, "sam@gmail.com", recruiting_mail(to="sam@gmail.com"))  # not our domain: no relay
    assert not InboxMessage.objects.exists()


def test_a_switched_off_address_refuses_and_a_reset_one_replaces_the_old(
    smtp_receiver, pro_seeker, forwarding_to
):
    old = forwarding_to(pro_seeker)
    forwarding_address_disable(seeker=pro_seeker)
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        send(smtp_receiver, old, recruiting_mail(to=old))

    new = forwarding_email(forwarding_address_reset(seeker=pro_seeker))
    assert new != old
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        send(smtp_receiver, old, recruiting_mail(to=old))
    assert send(smtp_receiver, new.upper(), recruiting_mail(to=new)) == {}  # the local part's case is folded
    assert InboxMessage.objects.filter(seeker=pro_seeker).count() == 1


def test_an_address_whose_seeker_lost_the_plan_refuses(smtp_receiver, pro_seeker, forwarding_to, on_plan):
    to = forwarding_to(pro_seeker)
    on_plan(pro_seeker, "seeker_free")
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        send(smtp_receiver, to, recruiting_mail(to=to))
    assert list(refused.value.recipients.values())[0][0] == 550


def test_oversize_mail_is_refused_with_552_declared_or_not(
    smtp_receiver, pro_seeker, forwarding_to, settings
):
    settings.INBOX_MAX_MESSAGE_BYTES = 20_000
    to = forwarding_to(pro_seeker)
    big = recruiting_mail(to=to, body="We would like to invite you to an interview.\n" * 1_000)

    with pytest.raises(
        smtplib.SMTPSenderRefused
    ) as declared:  # smtplib sends SIZE= since the server offers it
        send(smtp_receiver, to, big)
    assert declared.value.smtp_code == 552

    host, port = smtp_receiver
    with smtplib.SMTP(host, port, timeout=10) as client:  # a sender that does not declare the size
        client.ehlo()
        assert client.mail("recruiting@hooli.example")[0] == 250
        assert client.rcpt(to)[0] == 250
        code, _ = client.data(big)
    assert code == 552
    assert not InboxMessage.objects.exists()


def test_a_malformed_mail_is_accepted_and_stored_with_what_can_be_read(
    smtp_receiver, pro_seeker, forwarding_to
):
    to = forwarding_to(pro_seeker)
    raw = (
        b"From: =?bogus?Q?broken?= <<<\r\nSubject: =?utf-8?B?not base64!!?=\r\nDate: yesterday-ish\r\n"
        b'Content-Type: multipart/alternative; boundary="nope"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
        b"\xff\xfe this is not what it claims \x00\r\n"
    )
    assert send(smtp_receiver, to, raw) == {}
    message = InboxMessage.objects.get(seeker=pro_seeker)
    assert message.sent_at is None
    assert message.category == "other"
    assert message.suggestion_state == "none"


def test_one_mail_to_two_seekers_lands_in_each_inbox_once(smtp_receiver, make_pro_seeker, forwarding_to):
    first, second = make_pro_seeker(), make_pro_seeker()
    to = [forwarding_to(first), forwarding_to(second)]
    raw = recruiting_mail(to=", ".join(to), message_id="<same@mail.example>")
    send(smtp_receiver, to, raw)
    send(smtp_receiver, to[0], raw)  # forwarded again: stored once
    assert InboxMessage.objects.filter(seeker=first).count() == 1
    assert InboxMessage.objects.filter(seeker=second).count() == 1
