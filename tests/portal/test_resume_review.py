"""The resume review page: parse one of my resumes or an upload, review with confidence, edit, uncheck, apply."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jobpilot.seekers.models import Resume, ResumeParse, SeekerProfile
from tests.seeker_factories import upload_resume
from tests.seekers.files import docx_bomb_bytes, docx_bytes, pdf_bytes
from tests.seekers.test_resume_parsing import CHRONOLOGICAL, _huge_docx, image_only_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def web(public_tenant):
    def make(user):
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        return client

    return make


def test_review_edit_uncheck_and_apply_in_one_step(web, seeker, media_root):
    resume = upload_resume(seeker, content=pdf_bytes(*CHRONOLOGICAL))
    client = web(seeker)
    started = client.post("/account/resumes/review/", {"resume_id": str(resume.pk)})
    assert started.status_code == 302
    review = client.get(started["Location"])
    assert review.status_code == 200
    html = review.content.decode()
    assert "Read cleanly" in html and "+1 415 555 0134" in html and "% sure" in html

    answer = client.post(
        started["Location"],
        {
            "apply": ["phone", "skills", "experience_years"],  # location and summary unchecked
            "phone": "+1 415 555 9999",  # edited
            "location": "San Francisco, CA",
            "experience_years": "9",
            "skill": ["Python", "Kubernetes"],  # PostgreSQL unchecked
            "skills_added": "k8s, Terraform",
        },
    )

    assert answer.status_code == 302 and answer["Location"] == "/account/profile/"
    profile = SeekerProfile.objects.get(user=seeker)
    assert (profile.phone, profile.location, profile.experience_years, profile.bio) == (
        "+1 415 555 9999",
        "",
        9,
        "",
    )
    assert [s.name for s in profile.skills.all()] == ["Python", "Kubernetes", "Terraform"]
    assert ResumeParse.objects.get(owner=seeker).applied_at is not None


def test_bad_edits_re_render_with_errors_and_change_nothing(web, seeker, media_root):
    resume = upload_resume(seeker, content=docx_bytes(*CHRONOLOGICAL))
    client = web(seeker)
    location = client.post("/account/resumes/review/", {"resume_id": str(resume.pk)})["Location"]
    answer = client.post(
        location, {"apply": ["phone", "experience_years"], "phone": "call me", "experience_years": "x"}
    )
    assert answer.status_code == 422
    assert "phone" in answer.content.decode()
    assert not SeekerProfile.objects.filter(user=seeker, phone__gt="").exists()
    assert client.post(location, {}).status_code == 422  # nothing chosen


def test_an_image_only_upload_shows_the_verdict_and_stores_nothing(web, seeker, media_root):
    answer = web(seeker).post(
        "/account/resumes/review/", {"file": SimpleUploadedFile("scan.pdf", image_only_pdf())}
    )
    assert answer.status_code == 422
    assert "no text layer" in answer.content.decode()
    assert not Resume.objects.filter(owner=seeker).exists()


def test_an_image_only_stored_resume_reviews_with_no_fields(web, seeker, media_root):
    resume = upload_resume(seeker, content=image_only_pdf())
    client = web(seeker)
    location = client.post("/account/resumes/review/", {"resume_id": str(resume.pk)})["Location"]
    html = client.get(location).content.decode()
    assert 'data-quality="image_only"' in html and "review-form" not in html


def test_another_seekers_resume_or_parse_is_a_404(web, seeker, make_user, media_root):
    other = make_user()
    resume = upload_resume(seeker, content=pdf_bytes(*CHRONOLOGICAL))
    location = web(seeker).post("/account/resumes/review/", {"resume_id": str(resume.pk)})["Location"]
    theirs = web(other)
    assert theirs.get(location).status_code == 404
    assert theirs.post(location, {"apply": ["phone"]}).status_code == 404
    answer = theirs.post("/account/resumes/review/", {"resume_id": str(resume.pk)})
    assert answer.status_code == 422 and not ResumeParse.objects.filter(owner=other).exists()


def test_anonymous_visitors_are_sent_to_sign_in(public_client):
    answer = public_client.get("/account/resumes/review/")
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]


@pytest.mark.parametrize(
    ("make", "says"),
    [(lambda: b"", "The file is empty."), (_huge_docx, "larger than 5 MB"), (docx_bomb_bytes, "too large")],
    ids=["zero-bytes", "huge-docx", "docx-bomb"],
)
def test_bad_uploads_say_why_and_store_nothing(web, seeker, media_root, make, says):
    answer = web(seeker).post("/account/resumes/review/", {"file": SimpleUploadedFile("cv.docx", make())})
    assert answer.status_code == 422
    assert says in answer.content.decode()
    assert not Resume.objects.filter(owner=seeker).exists() and not ResumeParse.objects.exists()
