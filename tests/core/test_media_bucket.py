"""Production media in a private S3-compatible bucket (jobpilot.core.storage), against moto's S3 server on
loopback: uploads land in the bucket, are read back through the app's own URLs, and nothing is public there."""

import boto3
import botocore
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer

from tests.seeker_factories import upload_resume
from tests.seekers.files import pdf_bytes
from tests.servers import free_port
from tests.tenants.test_branding import PNG, save

pytestmark = pytest.mark.django_db
BUCKET = "jobpilot-media-test"


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):
    for name, value in {
        "AWS_ACCESS_KEY_ID": "test-key",
        "AWS_SECRET_ACCESS_KEY": "test-secret",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "jobpilot.core.storage.PrivateBucketStorage",
            "OPTIONS": {"bucket_name": BUCKET, "endpoint_url": s3_endpoint, "location": "media"},
        },
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])


def stored_keys(client) -> list[str]:
    return [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_a_resume_is_stored_in_the_bucket_and_downloaded_through_the_api(bucket, api_client_for, seeker):
    content = pdf_bytes("Stored in a bucket")
    resume = upload_resume(seeker, content)

    assert stored_keys(bucket) == [f"media/{resume.file.name}"]
    assert bucket.get_object(Bucket=BUCKET, Key=f"media/{resume.file.name}")["Body"].read() == content
    response = api_client_for(seeker).get(f"/api/v1/resumes/{resume.id}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content


def test_a_deleted_resume_leaves_the_bucket(
    bucket, api_client_for, seeker, django_capture_on_commit_callbacks
):
    resume = upload_resume(seeker)
    assert stored_keys(bucket) == [f"media/{resume.file.name}"]
    with django_capture_on_commit_callbacks(execute=True):  # the file goes after the row's deletion commits
        assert api_client_for(seeker).delete(f"/api/v1/resumes/{resume.id}/").status_code == 204
    assert stored_keys(bucket) == []


def test_a_logo_is_served_by_the_app_and_nothing_in_the_bucket_is_public(
    bucket, branding_plan, tenant_a, client
):
    logo = SimpleUploadedFile("logo.png", PNG, content_type="image/png")
    branding = save(tenant_a, logo=logo)

    assert branding.logo.url == f"/media/{branding.logo.name}"  # the app's URL, never the bucket's
    response = client.get(branding.logo.url, HTTP_HOST="acme.localhost")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    anonymous = boto3.client(
        "s3",
        endpoint_url=bucket.meta.endpoint_url,
        region_name="us-east-1",
        config=Config(signature_version=botocore.UNSIGNED),
    )
    with pytest.raises(ClientError):
        anonymous.get_object(Bucket=BUCKET, Key=f"media/{branding.logo.name}")
