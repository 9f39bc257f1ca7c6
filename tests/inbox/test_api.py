"""/api/v1/inbox/: the forwarding address, the messages and their suggestions. The seeker's click is the only
thing that changes the tracker; another seeker's message is a 404; the plan gate answers 402."""

import threading
import uuid

import pytest
from django.db import connection
from django.test import Client

from jobpilot.inbox.models import InboxMessage
from jobpilot.inbox.services import inbox_message_receive
from jobpilot.tracker.models import TrackedApplication, TrackedApplicationEvent
from tests.conftest import access_token_for
from tests.inbox.mail import recruiting_mail
from tests.seeker_factories import apply_through_jobpilot, track_external

pytestmark = pytest.mark.django_db


def receive(seeker, **mail) -> InboxMessage:
    return inbox_message_receive(
        seeker=seeker, raw=recruiting_mail(to="x@example.com", **mail), source="forwarded"
    )


def hooli(seeker, **fields) -> TrackedApplication:
    return track_external(seeker, company="Hooli", title="Senior Platform Engineer", **fields)


REJECTION = {
    "subject": "Your application to Hooli",
    "body": "Unfortunately we have decided to move forward with other candidates.",
}

# --- the forwarding address -------------------------------------------------------------------------------------


def test_a_seeker_makes_resets_and_switches_off_the_forwarding_address(api_client_for, pro_seeker, settings):
    client = api_client_for(pro_seeker)
    assert client.get("/api/v1/inbox/address/").json() == {
        "email": None,
        "active": False,
        "created_at": None,
        "last_received_at": None,
    }

    made = client.post("/api/v1/inbox/address/").json()
    local, domain = made["email"].split("@")
    assert domain == settings.INBOX_DOMAIN and len(local) == 24 and made["active"] is True
    assert client.post("/api/v1/inbox/address/").json()["email"] == made["email"]  # idempotent

    reset = client.post("/api/v1/inbox/address/reset/").json()
    assert reset["email"] != made["email"]

    off = client.delete("/api/v1/inbox/address/").json()
    assert (off["email"], off["active"]) == (reset["email"], False)
    assert client.post("/api/v1/inbox/address/").json() == {**off, "active": True}  # back on, same address


def test_addresses_are_personal(api_client_for, pro_seeker, make_pro_seeker):
    other = make_pro_seeker()
    mine = api_client_for(pro_seeker).post("/api/v1/inbox/address/").json()["email"]
    theirs = api_client_for(other).post("/api/v1/inbox/address/").json()["email"]
    assert mine != theirs
    assert api_client_for(other).get("/api/v1/inbox/address/").json()["email"] == theirs


def test_the_inbox_is_a_plan_feature(api_client_for, seeker):
    client = api_client_for(seeker)  # on the free plan
    for method, path in [
        ("get", "/api/v1/inbox/address/"),
        ("post", "/api/v1/inbox/address/"),
        ("post", "/api/v1/inbox/address/reset/"),
        ("get", "/api/v1/inbox/messages/"),
        ("get", "/api/v1/inbox/imap/"),
        ("post", "/api/v1/inbox/imap/test/"),
        ("post", f"/api/v1/inbox/messages/{uuid.uuid4()}/confirm/"),
    ]:
        response = getattr(client, method)(path)
        assert response.status_code == 402, path
        assert response.json()["code"] == "feature_not_in_plan"
        assert response.json()["feature"] == "email_ingestion"
    # Switching off is never sold.
    assert client.delete("/api/v1/inbox/address/").status_code == 200


def test_anonymous_callers_get_401(public_client):
    for method, path in [
        ("get", "/api/v1/inbox/address/"),
        ("post", "/api/v1/inbox/address/reset/"),
        ("get", "/api/v1/inbox/messages/"),
        ("put", "/api/v1/inbox/imap/"),
        ("post", f"/api/v1/inbox/messages/{uuid.uuid4()}/dismiss/"),
    ]:
        response = getattr(public_client, method)(path)
        assert response.status_code == 401, path
        assert response.json()["code"] == "not_authenticated"


# --- messages and suggestions -----------------------------------------------------------------------------------


def test_messages_are_listed_newest_first_with_their_match(api_client_for, pro_seeker):
    application = hooli(pro_seeker)
    receive(pro_seeker)
    receive(pro_seeker, sender="Mom <mom@family.example>", subject="Sunday dinner", body="Lasagna at 6?")

    body = api_client_for(pro_seeker).get("/api/v1/inbox/messages/").json()

    assert body["pagination"]["total"] == 2
    dinner, invitation = body["results"]
    assert (dinner["category"], dinner["application"], dinner["suggestion_state"]) == ("other", None, "none")
    assert invitation["category"] == "interview"
    assert invitation["application"] == {
        "id": str(application.id),
        "company": "Hooli",
        "title": "Senior Platform Engineer",
        "status": "applied",
    }
    assert invitation["suggested_status"] == "interviewing"
    assert invitation["suggestion_state"] == "pending"
    assert invitation["matched_phrases"]
    assert invitation["match_reasons"]
    pending = api_client_for(pro_seeker).get("/api/v1/inbox/messages/?state=pending").json()
    assert [m["id"] for m in pending["results"]] == [invitation["id"]]


def test_confirming_applies_the_status_through_the_tracker_with_history(api_client_for, pro_seeker):
    application = hooli(pro_seeker)
    message = receive(pro_seeker, **REJECTION)
    assert message.suggested_status == "not_selected"

    response = api_client_for(pro_seeker).post(f"/api/v1/inbox/messages/{message.id}/confirm/")

    assert response.status_code == 200
    assert response.json()["suggestion_state"] == "confirmed"
    application.refresh_from_db()
    assert (application.status, application.responded) == ("not_selected", True)
    change = TrackedApplicationEvent.objects.get(application=application, kind="status_changed")
    assert (change.from_status, change.to_status, change.actor) == ("applied", "not_selected", "seeker")


def test_dismissing_changes_nothing(api_client_for, pro_seeker):
    application = hooli(pro_seeker)
    message = receive(pro_seeker)

    response = api_client_for(pro_seeker).post(f"/api/v1/inbox/messages/{message.id}/dismiss/")

    assert response.json()["suggestion_state"] == "dismissed"
    application.refresh_from_db()
    assert application.status == "applied"
    assert not TrackedApplicationEvent.objects.filter(application=application, kind="status_changed").exists()


def test_a_decided_suggestion_cannot_be_decided_again(api_client_for, pro_seeker):
    hooli(pro_seeker)
    message = receive(pro_seeker)
    client = api_client_for(pro_seeker)
    assert client.post(f"/api/v1/inbox/messages/{message.id}/dismiss/").status_code == 200

    again = client.post(f"/api/v1/inbox/messages/{message.id}/confirm/")

    assert again.status_code == 409
    assert again.json()["code"] == "suggestion_decided"


def test_a_suggestion_the_application_has_outgrown_is_refused(api_client_for, pro_seeker):
    application = hooli(pro_seeker)
    message = receive(pro_seeker)  # suggests Interviewing
    client = api_client_for(pro_seeker)
    client.patch(
        f"/api/v1/applications/{application.id}/status/",
        {"status": "withdrawn"},
        content_type="application/json",
    )

    response = client.post(f"/api/v1/inbox/messages/{message.id}/confirm/")

    assert (response.status_code, response.json()["code"]) == (409, "suggestion_outdated")
    application.refresh_from_db()
    assert application.status == "withdrawn"
    assert client.post(f"/api/v1/inbox/messages/{message.id}/dismiss/").status_code == 200


def test_a_message_without_a_match_or_a_suggestion_cannot_be_confirmed(api_client_for, pro_seeker):
    message = receive(pro_seeker)  # no tracked application at all
    assert (message.application_id, message.suggestion_state) == (None, "none")
    response = api_client_for(pro_seeker).post(f"/api/v1/inbox/messages/{message.id}/confirm/")
    assert response.status_code == 409


def test_no_suggestion_for_an_application_the_employer_updates(api_client_for, pro_seeker, tenant_a):
    apply_through_jobpilot(pro_seeker, tenant_a, title="Senior Platform Engineer", company="Hooli")
    message = receive(pro_seeker)
    assert message.application_id is not None
    assert message.suggestion_state == "none"


def test_no_suggestion_that_moves_an_application_backwards(pro_seeker):
    hooli(pro_seeker, status="offer")
    message = receive(pro_seeker)  # an interview invitation after the offer
    assert message.suggestion_state == "none"


def test_another_seekers_messages_are_invisible_and_their_suggestions_404(
    api_client_for, pro_seeker, make_pro_seeker
):
    other = make_pro_seeker()
    hooli(other)
    theirs = receive(other)
    client = api_client_for(pro_seeker)

    assert client.get("/api/v1/inbox/messages/").json()["results"] == []
    for path in (
        f"/api/v1/inbox/messages/{theirs.id}/",
        f"/api/v1/inbox/messages/{theirs.id}/confirm/",
        f"/api/v1/inbox/messages/{theirs.id}/dismiss/",
    ):
        response = client.get(path) if path.endswith(f"{theirs.id}/") else client.post(path)
        assert response.status_code == 404, path
    assert client.delete(f"/api/v1/inbox/messages/{theirs.id}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.suggestion_state == "pending"


def test_a_message_is_read_and_deleted_by_its_owner(api_client_for, pro_seeker):
    message = receive(pro_seeker)
    client = api_client_for(pro_seeker)
    detail = client.get(f"/api/v1/inbox/messages/{message.id}/").json()
    assert "invite you to an interview" in detail["body_text"]
    assert client.delete(f"/api/v1/inbox/messages/{message.id}/").status_code == 204
    assert client.get(f"/api/v1/inbox/messages/{message.id}/").status_code == 404


def test_bad_ids_and_filters_are_4xx(api_client_for, pro_seeker):
    client = api_client_for(pro_seeker)
    assert client.post("/api/v1/inbox/messages/not-a-uuid/confirm/").status_code == 404
    assert client.get("/api/v1/inbox/messages/?state=maybe").status_code == 422
    assert client.get("/api/v1/inbox/messages/?limit=1000").status_code == 422


@pytest.mark.django_db(transaction=True)
def test_a_confirm_racing_a_dismiss_resolves_once(public_tenant, pro_seeker):
    # Committed data (the threads use their own connections) and the public site to route "localhost" to.
    application = hooli(pro_seeker)
    message = receive(pro_seeker, **REJECTION)
    token = access_token_for(pro_seeker)
    barrier = threading.Barrier(2)
    answers = {}

    def decide(action):
        try:
            barrier.wait()
            client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {token}")
            answers[action] = client.post(f"/api/v1/inbox/messages/{message.id}/{action}/").status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(action,)) for action in ("confirm", "dismiss")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(answers.values()) == [200, 409]
    message.refresh_from_db()
    application.refresh_from_db()
    changes = TrackedApplicationEvent.objects.filter(application=application, kind="status_changed").count()
    if message.suggestion_state == "confirmed":
        assert (answers["confirm"], application.status, changes) == (200, "not_selected", 1)
    else:
        assert (answers["dismiss"], application.status, changes) == (200, "applied", 0)


def test_the_privacy_export_carries_the_inbox_but_never_the_imap_password(api_client_for, pro_seeker):
    from jobpilot.inbox.models import ImapConnection
    from jobpilot.inbox.services import forwarding_address_enable

    forwarding_address_enable(seeker=pro_seeker)
    ImapConnection.objects.create(
        user=pro_seeker, host="imap.example.com", username="sam", password_encrypted="gAAAA-secret-token"
    )
    receive(pro_seeker)

    data = api_client_for(pro_seeker).get("/api/v1/auth/export/").json()

    assert data["inbox"]["forwarding_address"]["active"] is True
    assert data["inbox"]["imap_connection"]["host"] == "imap.example.com"
    assert "gAAAA" not in str(data["inbox"])
    assert [m["subject"] for m in data["inbox"]["messages"]] == [
        "Interview invitation: Senior Platform Engineer"
    ]
