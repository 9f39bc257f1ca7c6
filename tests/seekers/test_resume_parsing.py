"""Resume parsing: the quality gate, the fields read from real PDFs and .docx files, and /api/v1/resume/."""

import io
import os
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jobpilot.seekers import parsing
from jobpilot.seekers.models import Resume, ResumeParse, SeekerProfile
from tests.seeker_factories import upload_resume
from tests.seekers.files import (
    WINDOWS_EXE,
    docx_bomb_bytes,
    docx_bytes,
    pdf_bytes,
    pdf_from_objects,
    zip_bytes,
)

TODAY = date(2026, 12, 1)

CHRONOLOGICAL = (
    "Dana Reyes",
    "dana.reyes@example.com | +1 415 555 0134 | San Francisco, CA",
    "linkedin.com/in/danareyes | github.com/dreyes",
    "Summary",
    "Backend engineer building reliable payment systems and the teams around them.",
    "Experience",
    "Senior Engineer at Stripe",
    "Jan 2020 - Present",
    "Software Engineer, Square",
    "Mar 2016 - Dec 2020",
    "Education",
    "BSc Computer Science, University of Texas, 2015",
    "Skills",
    "Python, PostgreSQL, Kubernetes",
)


def image_only_pdf() -> bytes:
    """A one-page PDF that draws a 1x1 image and has no text layer (what a scanner makes)."""
    content = b"q 100 0 0 100 72 600 cm /Im1 Do Q"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /XObject << /Im1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 "
        b"/Length 1 >>\nstream\n\x80\nendstream",
    ]
    return pdf_from_objects(objects)


# --- parser ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [pdf_bytes, docx_bytes], ids=["pdf", "docx"])
def test_a_chronological_resume_yields_its_fields(make):
    result = parsing.parse_resume(make(*CHRONOLOGICAL), today=TODAY)

    assert result.quality.status == "ok"
    assert result.contact["name"].value == "Dana Reyes"
    assert result.contact["email"].value == "dana.reyes@example.com"
    assert result.contact["phone"].value == "+1 415 555 0134"
    assert result.contact["location"].value == "San Francisco, CA"
    assert {link.value["kind"] for link in result.links} == {"linkedin", "github"}
    assert result.summary.value.startswith("Backend engineer")
    first, second = (entry.value for entry in result.experience)
    assert first == {
        "title": "Senior Engineer",
        "employer": "Stripe",
        "start": "2020-01",
        "end": None,
        "current": True,
    }
    assert (second["title"], second["employer"], second["end"]) == ("Software Engineer", "Square", "2020-12")
    assert result.experience[0].source == "Senior Engineer at Stripe\nJan 2020 - Present"
    # Mar 2016 .. Dec 2026 with the overlap counted once.
    assert result.total_years_experience.value == pytest.approx(10.8, abs=0.1)
    assert "BSc" in result.education[0].value["degree"]
    assert [s.value["label"] for s in result.skills] == ["Python", "PostgreSQL", "Kubernetes"]
    assert [s.value["skill_id"] for s in result.skills] == ["python", "postgresql", "kubernetes"]
    assert all(s.confidence > 0.5 for s in result.skills)


def test_a_one_line_layout_with_dates_on_the_title_line():
    result = parsing.parse_resume(
        pdf_bytes(
            "Priya Nair",
            "priya@example.org",
            "Work History",
            "Registered Nurse | St Mary Hospital | 06/2018 - 05/2022",
            "Charge Nurse | City Clinic | 06/2022 - current",
            "Education and Training",
            "Bachelor of Nursing - University of Leeds - 2018",
        ),
        today=TODAY,
    )
    titles = [(e.value["title"], e.value["employer"]) for e in result.experience]
    assert titles == [("Registered Nurse", "St Mary Hospital"), ("Charge Nurse", "City Clinic")]
    assert result.total_years_experience.value == pytest.approx(8.5, abs=0.1)
    assert "Bachelor" in result.education[0].value["degree"]


def test_no_name_is_invented_when_the_first_line_is_not_one():
    result = parsing.parse_resume(
        pdf_bytes(
            "curriculum vitae of a person",
            "someone@example.com",
            "Experience",
            "Driver at Acme Logistics 2019 - 2021",
            "Delivered parcels across the region every day.",
        )
    )
    assert "name" not in result.contact
    assert result.contact["email"].value == "someone@example.com"


def test_empty_image_only_and_tiny_documents_are_reported_with_no_fields():
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    blank = io.BytesIO()
    writer.write(blank)

    assert parsing.parse_resume(blank.getvalue()).quality.status == "empty"
    scanned = parsing.parse_resume(image_only_pdf())
    assert scanned.quality.status == "image_only"
    assert scanned.contact == {} and scanned.experience == [] and scanned.skills == []
    tiny = parsing.parse_resume(pdf_bytes("Hi"))
    assert tiny.quality.status == "too_little_text" and tiny.contact == {}


def test_a_broken_reading_order_is_flagged_and_trusted_less():
    glyphs = [" ".join("x1 7q #4 ;; " * 4)] * 6
    result = parsing.parse_resume(pdf_bytes("Dana Reyes", "dana@example.com", *glyphs))
    assert result.quality.status == "broken_reading_order"
    assert result.contact["email"].confidence < 0.95


# --- API ------------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_parse_an_own_resume_then_apply_chosen_fields(api_client_for, seeker, media_root):
    resume = upload_resume(seeker, content=pdf_bytes(*CHRONOLOGICAL))
    client = api_client_for(seeker)

    response = client.post(
        "/api/v1/resume/parse/", {"resume_id": str(resume.id)}, content_type="application/json"
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["quality"] == "ok"
    assert body["result"]["contact"]["email"]["value"] == "dana.reyes@example.com"
    applied = client.post(
        f"/api/v1/resume/parse/{body['id']}/apply/",
        {"fields": ["phone", "skills", "experience_years"]},
        content_type="application/json",
    )
    assert applied.status_code == 200, applied.json()
    profile = SeekerProfile.objects.get(user=seeker)
    assert profile.phone == "+1 415 555 0134"
    assert profile.location == ""  # not chosen
    assert profile.experience_years == 10
    skills = client.get("/api/v1/resume/skills/").json()
    assert [s["name"] for s in skills] == ["Python", "PostgreSQL", "Kubernetes"]


@pytest.mark.django_db
def test_parse_an_upload_stores_the_resume(api_client_for, seeker, media_root):
    response = api_client_for(seeker).post(
        "/api/v1/resume/parse/", {"file": SimpleUploadedFile("cv.docx", docx_bytes(*CHRONOLOGICAL))}
    )
    assert response.status_code == 201, response.json()
    assert Resume.objects.filter(owner=seeker).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty_file"),
        (WINDOWS_EXE, "unsupported_file_type"),
        (image_only_pdf(), "resume_image_only"),
        (pdf_bytes("Hi"), "resume_too_little_text"),
        (b"%PDF-1.4" + b"0" * (5 * 1024 * 1024 + 1), "file_too_large"),
    ],
    ids=["zero-bytes", "not-a-pdf", "image-only", "tiny", "too-big"],
)
def test_unreadable_uploads_are_refused_and_nothing_is_stored(
    api_client_for, seeker, media_root, content, code
):
    response = api_client_for(seeker).post(
        "/api/v1/resume/parse/", {"file": SimpleUploadedFile("cv.pdf", content)}
    )
    assert response.status_code in (400, 422), response.content
    assert response.json()["code"] == code
    assert not Resume.objects.filter(owner=seeker).exists()
    assert not ResumeParse.objects.exists()


@pytest.mark.django_db
def test_bad_json_and_wrong_content_type_are_4xx(api_client_for, seeker):
    client = api_client_for(seeker)
    assert client.post("/api/v1/resume/parse/", "{nope", content_type="application/json").status_code == 422
    assert (
        client.post("/api/v1/resume/parse/", {"resume_id": "x"}, content_type="application/json").json()[
            "code"
        ]
        == "invalid_json"
    )
    assert client.post("/api/v1/resume/parse/", "x", content_type="text/plain").status_code == 422


@pytest.mark.django_db
def test_a_seeker_cannot_parse_or_apply_another_seekers_resume(api_client_for, seeker, make_user, media_root):
    other = make_user(first_name="Olga", last_name="Other")
    resume = upload_resume(seeker, content=pdf_bytes(*CHRONOLOGICAL))
    mine = (
        api_client_for(seeker)
        .post("/api/v1/resume/parse/", {"resume_id": str(resume.id)}, content_type="application/json")
        .json()
    )

    theirs = api_client_for(other)
    assert (
        theirs.post(
            "/api/v1/resume/parse/", {"resume_id": str(resume.id)}, content_type="application/json"
        ).status_code
        == 404
    )
    assert (
        theirs.post(
            f"/api/v1/resume/parse/{mine['id']}/apply/",
            {"fields": ["phone"]},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert not SeekerProfile.objects.filter(user=other, phone__gt="").exists()


@pytest.mark.django_db
def test_anonymous_callers_are_refused(public_client):
    client = public_client
    assert client.post("/api/v1/resume/parse/", {}, content_type="application/json").status_code == 401
    assert client.get("/api/v1/resume/skills/").status_code == 401


def _huge_docx() -> bytes:
    """A real .docx over the 5 MB limit (incompressible bytes in a media part)."""
    document = docx_bytes(*CHRONOLOGICAL)
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["word/media/filler.bin"] = os.urandom(5 * 1024 * 1024 + 10)
    return zip_bytes(parts)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "code"),
    [(_huge_docx, "file_too_large"), (docx_bomb_bytes, "file_too_large")],
    ids=["huge-docx", "docx-bomb"],
)
def test_huge_word_documents_are_refused_and_nothing_is_stored(
    api_client_for, seeker, media_root, content, code
):
    response = api_client_for(seeker).post(
        "/api/v1/resume/parse/", {"file": SimpleUploadedFile("cv.docx", content())}
    )
    assert response.status_code == 422, response.content
    assert response.json()["code"] == code
    assert not Resume.objects.filter(owner=seeker).exists()


@pytest.mark.django_db
def test_apply_takes_the_seekers_edits_and_refuses_bad_ones(api_client_for, seeker, media_root):
    resume = upload_resume(seeker, content=pdf_bytes(*CHRONOLOGICAL))
    client = api_client_for(seeker)
    parse_id = client.post(
        "/api/v1/resume/parse/", {"resume_id": str(resume.id)}, content_type="application/json"
    ).json()["id"]
    url = f"/api/v1/resume/parse/{parse_id}/apply/"

    for values in (
        {"phone": "call me"},
        {"links": [{"label": "x", "url": "javascript:alert(1)"}]},
        {"experience_years": 300},
        {"skills": [""]},
    ):
        answer = client.post(
            url,
            {"fields": ["phone", "links", "skills", "experience_years"], "values": values},
            content_type="application/json",
        )
        assert answer.status_code == 422, (values, answer.json())
    assert not SeekerProfile.objects.filter(user=seeker).exists()
    assert client.post(url, "{oops", content_type="application/json").status_code == 400

    answer = client.post(
        url,
        {"fields": ["location", "skills"], "values": {"location": "Oakland, CA", "skills": ["k8s", "Go"]}},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.json()
    profile = SeekerProfile.objects.get(user=seeker)
    assert profile.location == "Oakland, CA" and profile.phone == ""
    assert [s.name for s in profile.skills.all()] == ["Kubernetes", "Go"]
