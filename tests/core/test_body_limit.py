"""Request bodies over MAX_REQUEST_BODY_BYTES are refused before they are read (tested on the ASGI application
daphne serves)."""

import asyncio
import json

import pytest
from asgiref.testing import ApplicationCommunicator

from jobpilot.asgi import application


def http_scope(path: str, headers: list[tuple[bytes, bytes]], method: str = "POST") -> dict:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"localhost"), *headers],
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 8000),
    }


async def test_a_declared_body_over_the_limit_is_refused_unread(settings):
    settings.MAX_REQUEST_BODY_BYTES = 1000
    scope = http_scope(
        "/api/v1/resumes/", [(b"content-length", b"1001"), (b"content-type", b"multipart/form-data")]
    )
    communicator = ApplicationCommunicator(application, scope)  # no body is ever sent: reading it would hang

    start = await communicator.receive_output(timeout=5)
    body = await communicator.receive_output(timeout=5)

    assert start["status"] == 413
    assert json.loads(body["body"]) == {
        "detail": "The request is larger than 1000 bytes.",
        "code": "request_too_large",
    }


async def test_a_page_upload_over_the_limit_gets_a_plain_answer(settings):
    settings.MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024
    scope = http_scope("/console/branding/", [(b"content-length", str(11 * 1024 * 1024).encode())])
    communicator = ApplicationCommunicator(application, scope)

    start = await communicator.receive_output(timeout=5)
    body = await communicator.receive_output(timeout=5)

    assert (start["status"], body["body"]) == (413, b"The upload is larger than 10.0 MB.")


async def test_a_chunked_body_is_cut_off_when_it_passes_the_limit(settings):
    settings.MAX_REQUEST_BODY_BYTES = 1000
    communicator = ApplicationCommunicator(application, http_scope("/api/v1/resumes/", []))

    for _ in range(3):
        await communicator.send_input({"type": "http.request", "body": b"x" * 600, "more_body": True})

    with pytest.raises(asyncio.TimeoutError):
        await communicator.receive_output(timeout=1)  # Django saw the client leave and answers nothing


@pytest.mark.django_db(transaction=True)
async def test_a_body_within_the_limit_reaches_the_app(settings, public_tenant):
    settings.MAX_REQUEST_BODY_BYTES = 1000
    scope = http_scope(
        "/api/v1/auth/login/", [(b"content-length", b"2"), (b"content-type", b"application/json")]
    )
    communicator = ApplicationCommunicator(application, scope)
    await communicator.send_input({"type": "http.request", "body": b"{}", "more_body": False})

    start = await communicator.receive_output(timeout=10)

    assert start["status"] == 422  # the login endpoint read the body and found no email
