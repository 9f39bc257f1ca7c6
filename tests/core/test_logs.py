"""Structured logs: a request's lines carry its request id, tenant, user and route, and the answer names the id."""

import json
import logging

import pytest
import structlog

from jobpilot.core import logs

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines():
    """The JSON lines the production formatter writes while the test runs."""
    records = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(self.format(record))

    handler = Collect()
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(**{k: v for k, v in logs.formatter("json").items() if k != "()"})
    )
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in records]
    root.removeHandler(handler)


def test_a_request_logs_its_id_tenant_user_and_route(json_lines, api_client_for, seeker, tenant_a):
    response = api_client_for(seeker, tenant_a).get("/api/v1/applications/", HTTP_X_REQUEST_ID="req-123-abc")

    assert response["X-Request-ID"] == "req-123-abc"
    [finished] = [line for line in json_lines() if line["event"] == "request_finished"]
    assert finished["request_id"] == "req-123-abc"
    assert finished["tenant"] == tenant_a.schema_name
    assert finished["user_id"] == seeker.pk
    assert finished["route"] == "/api/v1/applications/"
    assert finished["level"] == "info" and "timestamp" in finished


def test_a_plain_logging_line_during_a_request_carries_the_request_context(json_lines, client, public_tenant):
    # The checkout return logs with the standard library when a session cannot be synced.
    client.get("/billing/return/?session_id=cs_unknown", HTTP_HOST="localhost", HTTP_X_REQUEST_ID="req-456")
    [line] = [line for line in json_lines() if line["logger"] == "billing.views"]
    assert (line["request_id"], line["tenant"], line["route"]) == ("req-456", "public", "/billing/return/")


def test_a_request_without_an_id_gets_one(client, public_tenant):
    first = client.get("/health/", HTTP_HOST="localhost")["X-Request-ID"]
    second = client.get("/health/", HTTP_HOST="localhost")["X-Request-ID"]
    assert first and second and first != second
