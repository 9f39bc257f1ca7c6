"""The seeker app's inbox page (/inbox/): the address, the messages with one-click confirm and dismiss, the
mailbox form; linked from the tracker; only the signed-in seeker's own messages."""

import pytest

from jobpilot.inbox.models import ForwardingAddress, InboxMessage
from jobpilot.inbox.services import forwarding_address_enable, inbox_message_receive
from jobpilot.tracker.models import TrackedApplication
from tests.inbox.mail import recruiting_mail
from tests.seeker_factories import track_external

pytestmark = pytest.mark.django_db


def receive(seeker, **mail) -> InboxMessage:
    return inbox_message_receive(
        seeker=seeker, raw=recruiting_mail(to="x@example.com", **mail), source="forwarded"
    )


def test_anonymous_visitors_are_sent_to_sign_in(public_client):
    response = public_client.get("/inbox/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_tracker_links_to_the_inbox(public_client, seeker):
    public_client.force_login(seeker)
    assert 'href="/inbox/"' in public_client.get("/tracker/").content.decode()


def test_a_seeker_without_the_plan_is_shown_the_upgrade(public_client, seeker):
    public_client.force_login(seeker)
    page = public_client.get("/inbox/").content.decode()
    assert "Included in Pro and Premium" in page and "Get my address" not in page
    public_client.post("/inbox/address/", {"action": "enable"})
    assert not ForwardingAddress.objects.filter(user=seeker).exists()


def test_the_page_shows_the_address_and_the_seekers_own_messages(public_client, pro_seeker, make_pro_seeker):
    other = make_pro_seeker()
    receive(other, subject="Their interview")
    track_external(pro_seeker, company="Hooli", title="Senior Platform Engineer")
    receive(pro_seeker)
    public_client.force_login(pro_seeker)

    public_client.post("/inbox/address/", {"action": "enable"})
    page = public_client.get("/inbox/").content.decode()

    token = ForwardingAddress.objects.get(user=pro_seeker).token
    assert token in page
    assert "Interview invitation: Senior Platform Engineer" in page
    assert "Mark as Interviewing" in page
    assert "Their interview" not in page


def test_one_click_confirms_and_one_dismisses(public_client, pro_seeker):
    application = track_external(pro_seeker, company="Hooli", title="Senior Platform Engineer")
    first = receive(pro_seeker)
    second = receive(pro_seeker, subject="Hooli: Offer letter", body="We are delighted to extend an offer.")
    public_client.force_login(pro_seeker)

    response = public_client.post(f"/inbox/messages/{first.id}/confirm/")
    assert response.status_code == 302
    assert TrackedApplication.objects.get(pk=application.pk).status == "interviewing"
    public_client.post(f"/inbox/messages/{second.id}/dismiss/")
    assert TrackedApplication.objects.get(pk=application.pk).status == "interviewing"
    second.refresh_from_db()
    assert second.suggestion_state == "dismissed"
    # Deciding again, or an unknown action, changes nothing and never errors.
    assert public_client.post(f"/inbox/messages/{first.id}/dismiss/").status_code == 302
    assert public_client.post(f"/inbox/messages/{first.id}/explode/").status_code == 404


def test_another_seekers_message_is_a_404_on_the_page(public_client, pro_seeker, make_pro_seeker):
    other = make_pro_seeker()
    track_external(other, company="Hooli", title="Senior Platform Engineer")
    theirs = receive(other)
    public_client.force_login(pro_seeker)
    assert public_client.post(f"/inbox/messages/{theirs.id}/confirm/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.suggestion_state == "pending"


def test_a_bad_mailbox_form_is_an_error_message_not_a_500(public_client, pro_seeker):
    forwarding_address_enable(seeker=pro_seeker)
    public_client.force_login(pro_seeker)
    response = public_client.post(
        "/inbox/imap/", {"host": "bad host!", "port": "x", "username": "", "password": ""}, follow=True
    )
    assert response.status_code == 200
    assert "Check these fields" in response.content.decode()
    response = public_client.post(
        "/inbox/imap/",
        {"host": "10.1.2.3", "port": "993", "username": "s", "password": "p", "security": "ssl"},
        follow=True,
    )
    assert "not a public address" in response.content.decode()


def test_plain_imap_is_not_offered_where_it_is_refused(public_client, pro_seeker, settings):
    public_client.force_login(pro_seeker)
    settings.INBOX_IMAP_ALLOW_PLAIN = False
    assert 'value="plain"' not in public_client.get("/inbox/").content.decode()
    settings.INBOX_IMAP_ALLOW_PLAIN = True
    assert 'value="plain"' in public_client.get("/inbox/").content.decode()
