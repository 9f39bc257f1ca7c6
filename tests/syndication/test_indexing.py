"""Google Indexing API notifications against a local stub of Google's token and publish endpoints: off by default,
one pending row per URL, new jobs and removals first, the daily quota kept, a 429 waits for the next run. The stub
checks the service account's signed JWT with its public key."""

import json
import threading
import urllib.parse
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.cache import cache
from django.utils import timezone
from django_tenants.utils import tenant_context

from jobpilot.jobs import services as jobs
from jobpilot.syndication.indexing import TOKEN_CACHE_KEY, indexing_notifications_send
from jobpilot.syndication.models import IndexingNotification

pytestmark = pytest.mark.django_db


class GoogleStub:
    def __init__(self, public_key):
        self.published: list[dict] = []
        self.tokens_issued = 0
        self.answers: list[int] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path == "/token":
                    form = urllib.parse.parse_qs(body.decode())
                    claims = jwt.decode(
                        form["assertion"][0], public_key, algorithms=["RS256"], audience=stub.url("/token")
                    )
                    assert claims["scope"] == "https://www.googleapis.com/auth/indexing"
                    stub.tokens_issued += 1
                    return self._answer(200, {"access_token": "stub-token", "expires_in": 3600})
                assert self.headers["Authorization"] == "Bearer stub-token"
                status = stub.answers.pop(0) if stub.answers else 200
                if status == 200:
                    stub.published.append(json.loads(body))
                return self._answer(status, {})

            def _answer(self, status, data):
                payload = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"


@pytest.fixture
def google(settings, tmp_path):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    stub = GoogleStub(key.public_key())
    account = tmp_path / "service-account.json"
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    account.write_text(
        json.dumps({"client_email": "bot@example.iam", "private_key": pem, "token_uri": stub.url("/token")})
    )
    settings.GOOGLE_INDEXING_ENABLED = True
    settings.GOOGLE_INDEXING_SERVICE_ACCOUNT_FILE = str(account)
    settings.GOOGLE_INDEXING_ENDPOINT = stub.url("/v3/urlNotifications:publish")
    settings.GOOGLE_INDEXING_DAILY_QUOTA = 200
    cache.delete(TOKEN_CACHE_KEY)
    IndexingNotification.objects.all().delete()
    yield stub
    stub.server.shutdown()


def test_off_by_default_nothing_is_queued(make_posting, tenant_a):
    IndexingNotification.objects.all().delete()
    make_posting(tenant_a)
    assert not IndexingNotification.objects.exists()
    assert indexing_notifications_send() == 0


def test_publish_and_close_notify_google_with_the_careers_url(google, make_posting, tenant_a):
    posting = make_posting(tenant_a)
    assert indexing_notifications_send() == 1
    (first,) = google.published
    assert first == {
        "url": f"https://acme.localhost/jobs/{posting.public_id}/{posting.slug}/",
        "type": "URL_UPDATED",
    }
    with tenant_context(tenant_a):
        jobs.job_posting_close(actor=None, posting=posting)
    assert indexing_notifications_send() == 1
    assert google.published[-1]["type"] == "URL_DELETED"
    assert google.tokens_issued == 1  # the access token is cached


def test_a_later_change_replaces_the_unsent_one(google, make_posting, tenant_a):
    posting = make_posting(tenant_a)
    with tenant_context(tenant_a):
        jobs.job_posting_close(actor=None, posting=posting)
    assert IndexingNotification.objects.filter(sent_at__isnull=True).count() == 1
    indexing_notifications_send()
    assert google.published == [{"url": google.published[0]["url"], "type": "URL_DELETED"}]


def test_new_jobs_and_removals_go_first_within_the_daily_quota(google, settings, make_posting, tenant_a):
    edited = make_posting(tenant_a, title="Edited")
    indexing_notifications_send()
    google.published.clear()
    with tenant_context(tenant_a):
        jobs.job_posting_update(
            actor=None, posting=edited, changes={"title": "Edited again"}
        )  # an edit: later
    gone = make_posting(tenant_a, title="Gone")
    with tenant_context(tenant_a):
        jobs.job_posting_close(actor=None, posting=gone)  # a removal: first
    new = make_posting(tenant_a, title="New")  # a new job: first
    settings.GOOGLE_INDEXING_DAILY_QUOTA = 1 + 2  # one already sent today, room for two
    assert indexing_notifications_send() == 2
    sent = [(n["type"], n["url"].split("/")[4]) for n in google.published]
    assert sent == [("URL_DELETED", str(gone.public_id)), ("URL_UPDATED", str(new.public_id))]
    assert indexing_notifications_send() == 0  # the edit waits for tomorrow
    tomorrow = timezone.now() + timedelta(days=1)
    assert indexing_notifications_send(now=tomorrow) == 1
    assert google.published[-1]["url"].split("/")[4] == str(edited.public_id)


def test_a_429_stops_the_run_and_keeps_the_row(google, make_posting, tenant_a):
    make_posting(tenant_a)
    google.answers = [429]
    assert indexing_notifications_send() == 0
    row = IndexingNotification.objects.get()
    assert row.sent_at is None and row.attempts == 0 and row.last_status == 429
    assert indexing_notifications_send() == 1


def test_a_row_failing_five_times_is_given_up(google, make_posting, tenant_a):
    make_posting(tenant_a)
    google.answers = [400] * 5
    for _ in range(5):
        indexing_notifications_send()
    row = IndexingNotification.objects.get()
    assert row.gave_up_at is not None and row.attempts == 5
