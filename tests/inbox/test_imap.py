"""The IMAP poller against a real IMAP server on loopback (tests/inbox/imap_server.py): it reads what arrived
after the last UID, never a message twice, read-only (EXAMINE and BODY.PEEK[]: no flag set, nothing stored or
expunged), keeps job mail only, and the app password is encrypted at rest."""

from datetime import UTC, datetime, timedelta

import pytest

from jobpilot.inbox.models import ImapConnection, InboxMessage
from jobpilot.inbox.services import imap_connection_poll, imap_connection_save
from tests.inbox.imap_server import LocalImapServer
from tests.inbox.mail import recruiting_mail
from tests.seeker_factories import track_external

pytestmark = pytest.mark.django_db

PASSWORD = "abcd efgh ijkl mnop"


@pytest.fixture
def imap_server():
    with LocalImapServer(username="sam@example.com", password=PASSWORD) as server:
        yield server


def fields(server, **overrides) -> dict:
    return {
        "host": "127.0.0.1",
        "port": server.port,
        "security": "plain",
        "username": "sam@example.com",
        "password": PASSWORD,
        "mailbox": "INBOX",
        **overrides,
    }


def invitation(n: int) -> bytes:
    return recruiting_mail(
        to="sam@example.com", subject=f"Interview invitation {n}: Senior Platform Engineer"
    )


def test_the_poller_reads_new_mail_once_and_read_only(imap_server, pro_seeker):
    track_external(pro_seeker, company="Hooli", title="Senior Platform Engineer")
    imap_server.add(invitation(1))
    imap_server.add(
        recruiting_mail(to="sam@example.com", sender="mom@family.example", subject="Dinner", body="6pm?")
    )
    connection = imap_connection_save(seeker=pro_seeker, fields=fields(imap_server))

    assert imap_connection_poll(connection_id=connection.pk) == 1  # the personal mail is read, not kept
    imap_server.add(invitation(3))
    assert imap_connection_poll(connection_id=connection.pk) == 1
    assert imap_connection_poll(connection_id=connection.pk) == 0

    subjects = sorted(InboxMessage.objects.filter(seeker=pro_seeker).values_list("subject", flat=True))
    assert subjects == [
        "Interview invitation 1: Senior Platform Engineer",
        "Interview invitation 3: Senior Platform Engineer",
    ]
    assert all(m.source == "imap" and m.suggestion_state == "pending" for m in InboxMessage.objects.all())
    assert imap_server.fetched_uids == [1, 2, 3]  # every body downloaded exactly once
    assert "SELECT" not in imap_server.commands and "EXAMINE" in imap_server.commands
    assert not {"STORE", "UID STORE", "EXPUNGE", "COPY", "UID COPY", "UID MOVE"} & set(imap_server.commands)
    assert all(mail.flags == set() for mail in imap_server.mails)  # not even \Seen
    connection.refresh_from_db()
    assert (connection.last_uid, connection.uid_validity, connection.last_error) == (3, 1, "")


def test_a_new_connection_reads_only_the_recent_past(imap_server, pro_seeker, settings):
    settings.INBOX_IMAP_BACKFILL_DAYS = 14
    imap_server.add(invitation(1), at=datetime.now(UTC) - timedelta(days=60))
    imap_server.add(invitation(2), at=datetime.now(UTC) - timedelta(days=2))
    connection = imap_connection_save(seeker=pro_seeker, fields=fields(imap_server))

    imap_connection_poll(connection_id=connection.pk)

    assert imap_server.fetched_uids == [2]
    connection.refresh_from_db()
    assert connection.last_uid == 2


def test_a_renumbered_mailbox_is_read_afresh_without_duplicates(imap_server, pro_seeker):
    imap_server.add(invitation(1))
    connection = imap_connection_save(seeker=pro_seeker, fields=fields(imap_server))
    imap_connection_poll(connection_id=connection.pk)

    imap_server.renumber()  # UIDVALIDITY changes: the old last UID means nothing now
    imap_connection_poll(connection_id=connection.pk)

    assert InboxMessage.objects.filter(seeker=pro_seeker).count() == 1  # same Message-ID: stored once
    connection.refresh_from_db()
    assert (connection.uid_validity, connection.last_uid) == (2, 2)


def test_oversize_mail_is_skipped_without_being_downloaded(imap_server, pro_seeker, settings):
    settings.INBOX_MAX_MESSAGE_BYTES = 5_000
    imap_server.add(
        recruiting_mail(to="s@example.com", body="We would like to invite you to an interview.\n" * 500)
    )
    imap_server.add(invitation(2))
    connection = imap_connection_save(seeker=pro_seeker, fields=fields(imap_server))

    imap_connection_poll(connection_id=connection.pk)

    assert imap_server.fetched_uids == [2]
    connection.refresh_from_db()
    assert connection.last_uid == 2


def test_the_password_is_stored_encrypted(imap_server, pro_seeker):
    connection = imap_connection_save(seeker=pro_seeker, fields=fields(imap_server))
    stored = ImapConnection.objects.values_list("password_encrypted", flat=True).get(pk=connection.pk)
    assert PASSWORD not in stored and "abcd" not in stored
    assert stored.startswith("gAAAA")  # a Fernet token


def test_a_server_that_starts_refusing_is_noted_on_the_connection(imap_server, pro_seeker):
    connection = imap_connection_save(seeker=pro_seeker, fields=fields(imap_server))
    imap_server.password = "changed"

    assert imap_connection_poll(connection_id=connection.pk) == 0

    connection.refresh_from_db()
    assert "refused" in connection.last_error
    assert connection.last_uid == 0


def test_the_poller_does_not_read_for_a_seeker_who_lost_the_plan(imap_server, pro_seeker, on_plan):
    imap_server.add(invitation(1))
    connection = imap_connection_save(seeker=pro_seeker, fields=fields(imap_server))
    on_plan(pro_seeker, "seeker_free")
    assert imap_connection_poll(connection_id=connection.pk) == 0
    assert imap_server.fetched_uids == []


# --- the API ------------------------------------------------------------------------------------------------------


def test_connecting_a_mailbox_through_the_api(api_client_for, imap_server, pro_seeker):
    client = api_client_for(pro_seeker)

    saved = client.put("/api/v1/inbox/imap/", fields(imap_server), content_type="application/json")

    assert saved.status_code == 200
    assert "password" not in saved.json() and "password_encrypted" not in saved.json()
    assert saved.json()["host"] == "127.0.0.1"
    assert client.get("/api/v1/inbox/imap/").json()["username"] == "sam@example.com"
    assert client.post("/api/v1/inbox/imap/test/").json() == {"ok": True}
    assert client.delete("/api/v1/inbox/imap/").json() == {"connected": False}
    assert client.get("/api/v1/inbox/imap/").status_code == 404
    assert client.post("/api/v1/inbox/imap/test/").status_code == 404


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"password": "wrong"}, "imap_login_failed"),
        ({"mailbox": "Nope"}, "imap_mailbox_missing"),
        ({"host": "no-such-host.invalid"}, "imap_host_not_allowed"),
        ({"host": "10.0.0.1"}, "imap_host_not_allowed"),  # private: no SSRF
        ({"host": "169.254.169.254"}, "imap_host_not_allowed"),  # cloud metadata
        ({"port": 1}, "imap_unreachable"),
    ],
)
def test_a_connection_that_does_not_work_is_refused_with_a_clear_422(
    api_client_for, imap_server, pro_seeker, overrides, code
):
    response = api_client_for(pro_seeker).put(
        "/api/v1/inbox/imap/", fields(imap_server, **overrides), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["code"] == code
    assert not ImapConnection.objects.exists()


def test_plain_imap_is_refused_where_it_is_not_allowed(api_client_for, imap_server, pro_seeker, settings):
    settings.INBOX_IMAP_ALLOW_PLAIN = False
    response = api_client_for(pro_seeker).put(
        "/api/v1/inbox/imap/", fields(imap_server), content_type="application/json"
    )
    assert (response.status_code, response.json()["code"]) == (422, "imap_tls_required")


def test_tls_against_a_server_that_does_not_speak_it_is_a_422(api_client_for, imap_server, pro_seeker):
    response = api_client_for(pro_seeker).put(
        "/api/v1/inbox/imap/", fields(imap_server, security="ssl"), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["code"] in {"imap_tls_failed", "imap_unreachable"}


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"host": "imap.example.com", "username": "sam", "password": ""},
        {"host": "imap.example.com; rm -rf", "username": "sam", "password": "x"},
        {"host": "imap.example.com", "username": "sam", "password": "x\r\nA1 LOGOUT"},
        {"host": "imap.example.com", "username": "sam", "password": "x", "port": 70000},
        {"host": "imap.example.com", "username": "sam", "password": "x", "security": "carrier-pigeon"},
    ],
)
def test_malformed_connection_bodies_are_422(api_client_for, pro_seeker, payload):
    response = api_client_for(pro_seeker).put("/api/v1/inbox/imap/", payload, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_another_seekers_connection_is_invisible(api_client_for, imap_server, pro_seeker, make_pro_seeker):
    imap_connection_save(seeker=pro_seeker, fields=fields(imap_server))
    other = api_client_for(make_pro_seeker())
    assert other.get("/api/v1/inbox/imap/").status_code == 404
    assert other.post("/api/v1/inbox/imap/test/").status_code == 404
    assert other.delete("/api/v1/inbox/imap/").status_code == 200
    assert ImapConnection.objects.filter(user=pro_seeker).exists()


def test_beat_reads_every_active_connection(imap_server, pro_seeker, make_pro_seeker):
    from jobpilot.inbox.tasks import poll_imap

    imap_server.add(invitation(1))
    imap_connection_save(seeker=pro_seeker, fields=fields(imap_server))
    switched_off = imap_connection_save(seeker=make_pro_seeker(), fields=fields(imap_server))
    ImapConnection.objects.filter(pk=switched_off.pk).update(active=False)

    assert poll_imap() == 1  # tasks run in-process in the tests

    assert InboxMessage.objects.filter(seeker=pro_seeker).count() == 1
    assert ImapConnection.objects.get(user=pro_seeker).last_uid == 1
