"""Profile and resumes page: edit the profile, upload a resume, make it the default, delete it; only one's own."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jobpilot.seekers.models import Resume, SeekerProfile
from tests.seeker_factories import upload_resume
from tests.seekers.files import pdf_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def test_the_profile_page_needs_a_signed_in_seeker(public_client):
    assert public_client.get("/account/profile/").status_code == 302
    assert public_client.post("/account/resumes/").status_code == 302


def test_a_seeker_edits_their_profile(public_client, seeker):
    public_client.force_login(seeker)
    response = public_client.post(
        "/account/profile/", {"headline": "Backend engineer", "location": "Lisbon", "experience_years": "6"}
    )
    assert response.status_code == 302
    profile = SeekerProfile.objects.get(user=seeker)
    assert (profile.headline, profile.location, profile.experience_years) == ("Backend engineer", "Lisbon", 6)
    assert 'value="Backend engineer"' in public_client.get("/account/profile/").content.decode()


def test_bad_profile_input_is_a_form_error(public_client, seeker):
    public_client.force_login(seeker)
    response = public_client.post("/account/profile/", {"experience_years": "-3", "headline": "x" * 300})
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.content.decode()


def test_a_seeker_uploads_sets_default_and_deletes_resumes(public_client, seeker):
    public_client.force_login(seeker)
    upload = SimpleUploadedFile("cv.pdf", pdf_bytes("My CV"), content_type="application/pdf")
    assert public_client.post("/account/resumes/", {"file": upload, "title": "Main CV"}).status_code == 302
    first = Resume.objects.get(owner=seeker)
    assert first.is_default and first.title == "Main CV"
    second = upload_resume(seeker, name="other.pdf")
    public_client.post(f"/account/resumes/{second.pk}/", {"action": "default"})
    second.refresh_from_db()
    assert second.is_default
    public_client.post(f"/account/resumes/{first.pk}/", {"action": "delete"})
    assert not Resume.objects.filter(pk=first.pk).exists()
    assert str(first.pk) not in public_client.get("/account/profile/").content.decode()


def test_a_file_that_is_not_a_resume_is_refused_with_a_message(public_client, seeker):
    public_client.force_login(seeker)
    upload = SimpleUploadedFile("cv.pdf", b"not really a pdf", content_type="application/pdf")
    response = public_client.post("/account/resumes/", {"file": upload})
    assert response.status_code == 422
    assert 'class="field-error"' in response.content.decode()
    assert not Resume.objects.filter(owner=seeker).exists()


def test_a_seeker_cannot_touch_another_seekers_resume(public_client, make_user):
    alice, bob = make_user(), make_user()
    resume = upload_resume(alice)
    public_client.force_login(bob)
    assert str(resume.pk) not in public_client.get("/account/profile/").content.decode()
    assert public_client.post(f"/account/resumes/{resume.pk}/", {"action": "delete"}).status_code == 404
    assert Resume.objects.filter(pk=resume.pk).exists()
