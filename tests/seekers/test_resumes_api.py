"""/api/v1/resumes/: upload (validated by content), list, default switch, delete, and who may download."""

import threading

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from jobpilot.seekers import services as seeker_services
from jobpilot.seekers.models import Resume
from tenants.models import Membership
from tests.conftest import access_token_for
from tests.seeker_factories import apply_through_jobpilot, upload_resume
from tests.seekers.files import OLD_WORD_DOC, WINDOWS_EXE, docx_bytes, pdf_bytes

pytestmark = pytest.mark.django_db


def upload(client, content, name="resume.pdf", **fields):
    return client.post("/api/v1/resumes/", {"file": SimpleUploadedFile(name, content), **fields})


def download(client, resume):
    return client.get(f"/api/v1/resumes/{resume.id}/download/")


# --- upload -----------------------------------------------------------------------------------------------------------


def test_uploading_a_pdf_stores_it_and_extracts_its_text_after_commit(
    api_client_for, seeker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(
            api_client_for(seeker), pdf_bytes("Sam Seeker", "Python developer"), name="Sam CV.pdf"
        )

    assert response.status_code == 201
    body = response.json()
    assert body["title"] == "Sam CV"
    assert body["kind"] == "pdf"
    assert body["is_default"] is True
    assert body["download_url"] == f"/api/v1/resumes/{body['id']}/download/"
    resume = Resume.objects.get(pk=body["id"])
    assert resume.text_status == "ready"
    assert resume.text == "Sam Seeker\nPython developer"
    assert default_storage.exists(resume.file.name)
    assert "Sam" not in resume.file.name  # stored under a random name

    detail = api_client_for(seeker).get(f"/api/v1/resumes/{resume.id}/").json()
    assert detail["text"] == "Sam Seeker\nPython developer"


def test_text_extraction_waits_for_the_commit(api_client_for, seeker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        body = upload(api_client_for(seeker), pdf_bytes("Later")).json()

    assert Resume.objects.get(pk=body["id"]).text_status == "pending"
    assert len(callbacks) == 1


def test_a_docx_uploaded_under_a_pdf_name_is_stored_as_docx(api_client_for, seeker):
    body = upload(api_client_for(seeker), docx_bytes("Word resume"), name="sneaky.pdf").json()

    assert body["kind"] == "docx"
    assert Resume.objects.get(pk=body["id"]).file.name.endswith(".docx")


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (WINDOWS_EXE, "resume.pdf", "unsupported_file_type"),
        (b"plain text", "resume.docx", "unsupported_file_type"),
        (OLD_WORD_DOC, "resume.doc", "unsupported_file_type"),
        (b"%PDF-1.4\nnot really", "resume.pdf", "unreadable_file"),
        (b"", "resume.pdf", "empty_file"),
    ],
)
def test_bad_files_are_refused_with_a_clear_422_and_nothing_is_stored(
    api_client_for, seeker, content, name, code
):
    response = upload(api_client_for(seeker), content, name=name)

    assert response.status_code == 422
    assert response.json()["code"] == code
    assert response.json()["field"] == "file"
    assert not Resume.objects.filter(owner=seeker).exists()


def test_a_file_over_5_mb_is_refused(api_client_for, seeker):
    big = pdf_bytes("x") + b"%" + b"0" * (5 * 1024 * 1024)

    response = upload(api_client_for(seeker), big)

    assert response.status_code == 422
    assert response.json()["code"] == "file_too_large"


def test_an_upload_without_a_file_is_422(api_client_for, seeker):
    response = api_client_for(seeker).post("/api/v1/resumes/", {"title": "No file"})

    assert response.status_code == 422


def test_uploads_need_authentication(public_client):
    assert upload(public_client, pdf_bytes("Anonymous")).status_code == 401


def test_a_seeker_keeps_at_most_ten_resumes(api_client_for, seeker):
    for number in range(seeker_services.MAX_RESUMES_PER_SEEKER):
        upload_resume(seeker, pdf_bytes(f"Version {number}"))

    response = upload(api_client_for(seeker), pdf_bytes("One too many"))

    assert response.status_code == 409
    assert response.json()["code"] == "too_many_resumes"


def test_a_refused_upload_leaves_no_file_behind(api_client_for, seeker):
    for number in range(seeker_services.MAX_RESUMES_PER_SEEKER):
        upload_resume(seeker, pdf_bytes(f"Version {number}"))
    before = set(default_storage.listdir("resumes")[1])

    upload(api_client_for(seeker), pdf_bytes("One too many"))

    assert set(default_storage.listdir("resumes")[1]) == before


# --- list, default, delete --------------------------------------------------------------------------------------------


def test_the_list_shows_my_resumes_default_first_and_nobody_elses(api_client_for, seeker, make_user):
    first = upload_resume(seeker, name="first.pdf")
    second = upload_resume(seeker, name="second.pdf")
    upload_resume(make_user(), name="someone-else.pdf")

    body = api_client_for(seeker).get("/api/v1/resumes/").json()

    assert [r["id"] for r in body] == [str(first.id), str(second.id)]
    assert [r["is_default"] for r in body] == [True, False]


def test_uploading_with_make_default_switches_the_default(api_client_for, seeker):
    first = upload_resume(seeker)

    body = upload(api_client_for(seeker), pdf_bytes("New"), make_default="true").json()

    assert body["is_default"] is True
    first.refresh_from_db()
    assert first.is_default is False


def test_setting_the_default_moves_it(api_client_for, seeker):
    first = upload_resume(seeker)
    second = upload_resume(seeker)

    response = api_client_for(seeker).post(f"/api/v1/resumes/{second.id}/default/")

    assert response.status_code == 200
    assert response.json()["is_default"] is True
    assert list(Resume.objects.filter(owner=seeker, is_default=True).values_list("id", flat=True)) == [
        second.id
    ]
    first.refresh_from_db()
    assert not first.is_default


@pytest.mark.django_db(transaction=True)
def test_concurrent_default_switches_leave_exactly_one_default(make_user, public_tenant):
    owner = make_user()
    resumes = [upload_resume(owner, pdf_bytes(f"Resume {n}")) for n in range(5)]
    token = access_token_for(owner)
    statuses = []
    barrier = threading.Barrier(len(resumes) * 2)

    def make_default(resume):
        try:
            barrier.wait()
            client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {token}")
            statuses.append(client.post(f"/api/v1/resumes/{resume.id}/default/").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=make_default, args=(r,)) for r in resumes * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [200] * len(threads)
    assert Resume.objects.filter(owner=owner, is_default=True).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_uploads_respect_the_limit_and_keep_one_default(make_user, public_tenant):
    owner = make_user()
    token = access_token_for(owner)
    statuses = []
    barrier = threading.Barrier(14)

    def send(number):
        try:
            barrier.wait()
            client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {token}")
            statuses.append(upload(client, pdf_bytes(f"Copy {number}")).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(14)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses.count(201) == seeker_services.MAX_RESUMES_PER_SEEKER
    assert statuses.count(409) == 14 - seeker_services.MAX_RESUMES_PER_SEEKER
    assert Resume.objects.filter(owner=owner).count() == seeker_services.MAX_RESUMES_PER_SEEKER
    assert Resume.objects.filter(owner=owner, is_default=True).count() == 1


def test_deleting_the_default_makes_the_newest_other_resume_the_default(
    api_client_for, seeker, django_capture_on_commit_callbacks
):
    older = upload_resume(seeker)
    newer = upload_resume(seeker)
    default = upload_resume(seeker, make_default=True)

    with django_capture_on_commit_callbacks(execute=True):
        response = api_client_for(seeker).delete(f"/api/v1/resumes/{default.id}/")

    assert response.status_code == 204
    assert not Resume.objects.filter(pk=default.pk).exists()
    assert not default_storage.exists(default.file.name)
    newer.refresh_from_db()
    older.refresh_from_db()
    assert newer.is_default and not older.is_default


def test_a_resume_sent_to_an_employer_leaves_my_list_but_the_employer_keeps_it(
    api_client_for, seeker, tenant_a, django_capture_on_commit_callbacks
):
    resume = upload_resume(seeker)
    apply_through_jobpilot(seeker, tenant_a, resume=resume)
    recruiter = tenant_a.memberships.get(role="owner").user

    with django_capture_on_commit_callbacks(execute=True):
        assert api_client_for(seeker).delete(f"/api/v1/resumes/{resume.id}/").status_code == 204

    assert api_client_for(seeker).get("/api/v1/resumes/").json() == []
    assert download(api_client_for(seeker), resume).status_code == 404
    assert download(api_client_for(recruiter, tenant_a), resume).status_code == 200


def test_my_resume_ids_are_404_for_other_seekers(api_client_for, seeker, make_user):
    resume = upload_resume(seeker)
    other = api_client_for(make_user())

    assert other.get(f"/api/v1/resumes/{resume.id}/").status_code == 404
    assert other.post(f"/api/v1/resumes/{resume.id}/default/").status_code == 404
    assert other.delete(f"/api/v1/resumes/{resume.id}/").status_code == 404
    assert download(other, resume).status_code == 404
    assert Resume.objects.filter(pk=resume.pk).exists()


def test_a_malformed_resume_id_is_404(api_client_for, seeker):
    assert api_client_for(seeker).get("/api/v1/resumes/not-a-uuid/").status_code == 404


# --- download -----------------------------------------------------------------------------------------------------


def test_the_owner_downloads_the_file_on_any_host(api_client_for, seeker, tenant_a):
    content = pdf_bytes("Exact bytes")
    resume = upload_resume(seeker, content, name="Sam Seeker.pdf")

    for client in (api_client_for(seeker), api_client_for(seeker, tenant_a)):
        response = download(client, resume)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == content
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="Sam Seeker.pdf"'
        assert response["Cache-Control"] == "private, no-store"


def test_a_member_of_the_employer_applied_to_downloads_it_on_the_employers_domain(
    api_client_for, seeker, tenant_a, make_user
):
    resume = upload_resume(seeker)
    apply_through_jobpilot(seeker, tenant_a, resume=resume)
    viewer = make_user()
    Membership.objects.create(user=viewer, tenant=tenant_a, role=Membership.Role.VIEWER)

    assert download(api_client_for(viewer, tenant_a), resume).status_code == 200


def test_another_employer_cannot_download_a_resume_not_sent_to_it(api_client_for, seeker, tenant_a, tenant_b):
    resume = upload_resume(seeker)
    apply_through_jobpilot(seeker, tenant_a, resume=resume)
    globex_owner = tenant_b.memberships.get(role="owner").user

    assert download(api_client_for(globex_owner, tenant_b), resume).status_code == 404
    # Nor by pointing its request at the other employer's domain, where it is not a member.
    assert download(api_client_for(globex_owner, tenant_a), resume).status_code == 404


def test_employer_access_is_only_on_the_employers_own_domain(api_client_for, seeker, tenant_a):
    resume = upload_resume(seeker)
    apply_through_jobpilot(seeker, tenant_a, resume=resume)
    acme_owner = tenant_a.memberships.get(role="owner").user

    assert download(api_client_for(acme_owner), resume).status_code == 404


def test_applying_with_one_resume_does_not_open_the_seekers_other_resumes(api_client_for, seeker, tenant_a):
    sent = upload_resume(seeker)
    kept = upload_resume(seeker)
    apply_through_jobpilot(seeker, tenant_a, resume=sent)
    acme_owner = tenant_a.memberships.get(role="owner").user

    assert download(api_client_for(acme_owner, tenant_a), sent).status_code == 200
    assert download(api_client_for(acme_owner, tenant_a), kept).status_code == 404


def test_a_seeker_who_is_not_a_member_cannot_download_through_the_employers_domain(
    api_client_for, seeker, make_user, tenant_a
):
    resume = upload_resume(seeker)
    apply_through_jobpilot(seeker, tenant_a, resume=resume)

    assert download(api_client_for(make_user(), tenant_a), resume).status_code == 404


def test_downloads_need_authentication(client_for, seeker, tenant_a):
    resume = upload_resume(seeker)

    assert download(client_for(tenant_a), resume).status_code == 401


def test_a_title_over_200_characters_is_422(api_client_for, seeker):
    response = upload(api_client_for(seeker), pdf_bytes("Long title"), title="t" * 201)

    assert response.status_code == 422


def test_the_title_given_with_the_upload_is_kept(api_client_for, seeker):
    body = upload(api_client_for(seeker), pdf_bytes("Titled"), title="For startups").json()

    assert body["title"] == "For startups"
