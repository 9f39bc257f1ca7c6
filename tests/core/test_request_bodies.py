"""Bodies the API cannot read are the caller's error: 400 or 415 with `{"detail", "code"}`, never a 500, on
upload endpoints and JSON endpoints alike (jobpilot.core.request_body). Unknown paths and anonymous writes
answer in the API's error shape too."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tenants.models import Membership
from tests.jobs.conftest import member, signed_in, staff_client  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

UPLOAD_ENDPOINTS = ["/api/v1/resumes/", "/api/v1/applications/import/"]
BROKEN_MULTIPART = [
    "multipart/form-data",  # no boundary at all
    "multipart/form-data; boundary=",  # an empty one
    "multipart/form-data; boundary=" + "x" * 300,  # longer than RFC 2046 allows
]


def send(client, path: str, body: bytes, content_type: str):
    """POST these exact bytes (the test client's `post` would re-encode them in the named charset)."""
    return client.generic("POST", path, body, content_type=content_type)


def error_of(response) -> tuple[int, str]:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    body = response.json()
    assert body["detail"]
    return response.status_code, body["code"]


@pytest.mark.parametrize("path", UPLOAD_ENDPOINTS)
@pytest.mark.parametrize("content_type", BROKEN_MULTIPART)
def test_a_broken_multipart_boundary_is_a_400(api_client_for, seeker, path, content_type):
    response = send(api_client_for(seeker), path, b"--x\r\nnot a form\r\n", content_type)
    assert error_of(response) == (400, "malformed_body")


def test_a_broken_multipart_boundary_on_the_employer_import_is_a_400(tenant_a, staff_client):  # noqa: F811
    client = staff_client(tenant_a, Membership.Role.RECRUITER)
    response = send(client, "/api/v1/employer/jobs/import/", b"title\n", "multipart/form-data")
    assert error_of(response) == (400, "malformed_body")


def test_a_truncated_multipart_body_is_a_400(api_client_for, seeker):
    body = b'--b\r\nContent-Disposition: form-data; name="file"; filename="r.pdf"\r\n\r\n%PDF-1.4'  # no end
    response = send(api_client_for(seeker), "/api/v1/resumes/", body, "multipart/form-data; boundary=b")
    status, code = error_of(response)
    assert status in (400, 422) and code in ("malformed_body", "validation_error")


@pytest.mark.parametrize("path", UPLOAD_ENDPOINTS)
def test_a_json_body_on_an_upload_endpoint_is_a_415(api_client_for, seeker, path):
    response = send(api_client_for(seeker), path, b'{"file": "x"}', "application/json")
    assert error_of(response) == (415, "unsupported_media_type")


def test_a_form_on_a_json_endpoint_is_a_415(public_client):
    response = public_client.post(
        "/api/v1/auth/login/", {"email": "a@example.com", "password": "x"}
    )  # the test client sends multipart
    assert error_of(response) == (415, "unsupported_media_type")


def test_a_charset_that_is_not_one_is_a_415(public_client, api_client_for, seeker):
    json_answer = send(
        public_client, "/api/v1/auth/login/", b"{}", "application/json; charset=no-such-charset"
    )
    assert error_of(json_answer) == (415, "unsupported_media_type")
    form_answer = send(
        api_client_for(seeker),
        "/api/v1/resumes/",
        b"a=b",
        "application/x-www-form-urlencoded; charset=klingon",
    )
    assert error_of(form_answer) == (415, "unsupported_media_type")


def test_an_undecodable_json_body_is_a_400(public_client):
    response = send(public_client, "/api/v1/auth/login/", b'{"email": "\xff\xfe\xfa"}', "application/json")
    assert error_of(response) == (400, "malformed_body")
    latin = send(
        public_client, "/api/v1/auth/login/", b"\x00\x00\xd8\x00", "application/json; charset=utf-16-le"
    )
    assert error_of(latin) == (400, "malformed_body")


def test_json_that_does_not_parse_is_a_400(public_client):
    response = send(public_client, "/api/v1/auth/login/", b'{"email": ', "application/json")
    assert error_of(response) == (400, "malformed_body")


def test_a_valid_upload_still_works(api_client_for, seeker, media_root):
    from tests.seekers.files import pdf_bytes

    upload = SimpleUploadedFile("resume.pdf", pdf_bytes("Resume"), content_type="application/pdf")
    response = api_client_for(seeker).post("/api/v1/resumes/", {"file": upload})
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize("host", ["localhost", "acme.localhost"])
def test_an_unknown_api_path_is_a_json_404(client, tenant_a, host):
    response = client.get("/api/v1/no-such-thing/", HTTP_HOST=host)
    assert error_of(response) == (404, "not_found")
    outside = client.get("/no-such-page/", HTTP_HOST=host)
    assert outside.status_code == 404 and outside["Content-Type"].startswith("text/html")


def test_an_anonymous_write_to_an_authenticated_endpoint_is_a_401(public_client):
    response = send(public_client, "/api/v1/saved-searches/", b"{}", "application/json")
    assert error_of(response) == (401, "not_authenticated")


def test_a_signed_in_session_without_its_csrf_token_is_still_refused(make_user):
    from django.test import Client

    user = make_user()
    client = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
    client.force_login(user)
    response = send(client, "/api/v1/saved-searches/", b"{}", "application/json")
    assert response.status_code == 403


def test_a_nul_character_in_json_or_a_query_is_a_400(api_client_for, seeker):
    client = api_client_for(seeker)
    body = send(client, "/api/v1/saved-searches/", b'{"name": "a\\u0000b", "query": {}}', "application/json")
    assert error_of(body) == (400, "invalid_character")
    query = client.get("/api/v1/jobs/", {"q": "we\x00lder"})
    assert error_of(query) == (400, "invalid_character")


def test_a_value_the_database_refuses_is_a_422_not_a_500(api_client_for, seeker):
    """Found by schemathesis: an offset past PostgreSQL's ±15:59 passed validation and failed the write."""
    import datetime

    from django.utils import timezone

    from jobpilot.tracker.models import TrackedInterview
    from tests.seeker_factories import track_external

    application = track_external(seeker)
    interview = TrackedInterview.objects.create(
        application=application, seeker=seeker, starts_at=timezone.now() + datetime.timedelta(days=1)
    )
    response = api_client_for(seeker).patch(
        f"/api/v1/applications/{application.id}/interviews/{interview.id}/",
        {"starts_at": "0474-04-04T11:14:14-23:52"},
        content_type="application/json",
    )
    assert error_of(response) == (422, "invalid_value")
