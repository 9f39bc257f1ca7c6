import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from jobpilot.marketplace.models import MarketplaceJob
from jobpilot.seekers.services import seeker_profile_update
from tests.jobs.conftest import make_posting  # noqa: F401

DESCRIPTION = (
    "<p>You will build the payment APIs that our customers rely on.</p>"
    "<p>You have 5+ years of experience with Python and PostgreSQL.</p>"
    "<p>Kubernetes is required. Terraform is a plus.</p>"
)


@pytest.fixture
def backend_job(tenant_a, make_posting):  # noqa: F811 - the fixture imported above
    posting = make_posting(
        tenant_a, title="Senior Backend Engineer", description=DESCRIPTION, skills=["Python", "Kubernetes"]
    )
    return MarketplaceJob.objects.get(tenant=tenant_a, posting_id=posting.pk)


@pytest.fixture
def pro_seeker(make_user, on_plan):
    user = make_user(first_name="Dana", last_name="Reyes")
    on_plan(user, "seeker_pro")
    seeker_profile_update(
        seeker=user,
        changes={
            "headline": "backend engineer",
            "experience_years": 7,
            "bio": "I build reliable payment systems.",
        },
        skills=[{"name": "Python", "level": "expert"}, {"name": "PostgreSQL", "level": "advanced"}],
    )
    return user


class StubProvider:
    """An OpenAI-compatible chat-completions server on loopback: records each request, answers what it is told."""

    def __init__(self):
        self.requests: list[dict] = []
        self.status = 200
        self.answer = "Dear hiring team, this letter came from the provider."
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                stub.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                payload = (
                    {"choices": [{"index": 0, "message": {"role": "assistant", "content": stub.answer}}]}
                    if stub.status == 200
                    else {"error": {"message": "overloaded"}}
                )
                data = json.dumps(payload).encode()
                self.send_response(stub.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def provider(settings):
    stub = StubProvider()
    settings.DRAFTS_PROVIDER = "openai"
    settings.DRAFTS_OPENAI_BASE_URL = stub.url
    settings.DRAFTS_OPENAI_API_KEY = "sk-test-only"
    settings.DRAFTS_OPENAI_MODEL = "stub-model"
    settings.DRAFTS_OPENAI_TIMEOUT = 5.0
    yield stub
    stub.close()
