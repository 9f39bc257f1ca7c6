"""The CV builder: `POST /api/v1/resume/generate/` and `/account/resumes/build/`. The PDF is read back with pypdf,
the .docx with python-docx: what the profile says is in the files, also non-ASCII names and long profiles."""

import io

import pytest
from django.test import Client
from docx import Document
from pypdf import PdfReader

from jobpilot.seekers.cv_builder import TEMPLATES
from jobpilot.seekers.models import Resume
from jobpilot.seekers.services import MAX_RESUMES_PER_SEEKER, seeker_profile_update
from tests.seeker_factories import upload_resume
from tests.seekers.files import pdf_bytes

pytestmark = pytest.mark.django_db

SKILLS = [{"name": "Python", "level": "expert"}, {"name": "PostgreSQL", "level": "advanced"}]


def fill_profile(user, *, bio="Backend engineer who ships.", skills=SKILLS, **changes):
    changes = {
        "headline": "Senior Backend Engineer",
        "phone": "+48 600 100 200",
        "location": "Kraków",
        **changes,
    }
    changes.setdefault("links", [{"label": "GitHub", "url": "https://github.com/zoe"}])
    seeker_profile_update(seeker=user, changes={"bio": bio, "experience_years": 8, **changes}, skills=skills)


def pdf_text(data: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def docx_text(data: bytes) -> str:
    return "\n".join(paragraph.text for paragraph in Document(io.BytesIO(data)).paragraphs)


def stored(resume_id) -> bytes:
    with Resume.objects.get(pk=resume_id).file.open("rb") as handle:
        return handle.read()


@pytest.mark.parametrize("template", list(TEMPLATES))
def test_each_template_makes_a_pdf_and_a_docx_with_the_profile(
    api_client_for, make_user, media_root, template
):
    seeker = make_user(first_name="Zoë", last_name="Łukasz 山田")
    fill_profile(seeker)
    answer = api_client_for(seeker).post(
        "/api/v1/resume/generate/", {"template": template}, content_type="application/json"
    )

    assert answer.status_code == 201, answer.json()
    pdf, docx = answer.json()
    assert (pdf["kind"], docx["kind"]) == ("pdf", "docx")
    assert pdf["title"] == f"Zoë Łukasz 山田 CV ({TEMPLATES[template].label})"
    text, pages = pdf_text(stored(pdf["id"]))
    word = docx_text(stored(docx["id"]))
    for expected in (
        "Zoë Łukasz 山田",
        "Senior Backend Engineer",
        "+48 600 100 200",
        "Kraków",
        "Python",
        "PostgreSQL",
        "Backend engineer who ships.",
        "8 years of professional experience",
        "https://github.com/zoe",
        seeker.email,
    ):
        assert expected in text, (expected, text)
        assert expected in word, (expected, word)
    assert pages == 1
    download = api_client_for(seeker).get(pdf["download_url"])
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


def test_a_long_profile_runs_over_several_pages_and_keeps_everything(api_client_for, make_user, media_root):
    seeker = make_user(first_name="山田", last_name="太郎")
    paragraphs = [
        f"Paragraph {n}: " + "delivered reliable systems for customers across Europe. " * 12 for n in range(8)
    ]
    skills = [{"name": f"Skill number {n}", "level": "advanced"} for n in range(50)]
    fill_profile(seeker, bio="\n".join(paragraphs)[:5000], skills=skills)
    answer = api_client_for(seeker).post(
        "/api/v1/resume/generate/", {"template": "classic", "kinds": ["pdf"]}, content_type="application/json"
    )
    assert answer.status_code == 201, answer.json()
    [pdf] = answer.json()
    text, pages = pdf_text(stored(pdf["id"]))
    assert pages >= 2
    assert "山田 太郎" in text and f"1/{pages}" in text and f"{pages}/{pages}" in text
    squashed = " ".join(text.split())
    assert all(f"Skill number {n} " in squashed for n in range(50))
    assert "Paragraph 7:" in squashed


def test_another_seekers_profile_is_never_used(api_client_for, make_user, media_root):
    mine, theirs = (
        make_user(first_name="Ada", last_name="Mine"),
        make_user(first_name="Bo", last_name="Theirs"),
    )
    fill_profile(mine, headline="Nurse practitioner", skills=[{"name": "Triage", "level": "expert"}])
    fill_profile(theirs, headline="Welder", skills=[{"name": "TIG welding", "level": "expert"}])
    [pdf] = (
        api_client_for(theirs)
        .post(
            "/api/v1/resume/generate/",
            {"template": "modern", "kinds": ["pdf"]},
            content_type="application/json",
        )
        .json()
    )
    text, _ = pdf_text(stored(pdf["id"]))
    assert "Bo Theirs" in text and "Welder" in text
    assert "Ada" not in text and "Nurse" not in text and "Triage" not in text
    assert not Resume.objects.filter(owner=mine).exists()
    assert api_client_for(mine).get(pdf["download_url"]).status_code == 404


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"template": "baroque"}, 422, "validation_error"),
        ({"template": "modern", "kinds": ["odt"]}, 422, "validation_error"),
        ({"template": "modern", "kinds": []}, 422, "validation_error"),
        ({}, 422, "validation_error"),
        ("{not json", 400, "malformed_body"),
        ('"modern"', 422, None),
    ],
    ids=["unknown-template", "unknown-kind", "no-kind", "no-template", "malformed-json", "not-an-object"],
)
def test_bad_bodies_are_refused_and_nothing_is_stored(api_client_for, seeker, media_root, body, status, code):
    fill_profile(seeker)
    answer = api_client_for(seeker).post("/api/v1/resume/generate/", body, content_type="application/json")
    assert answer.status_code == status, answer.content
    if code:
        assert answer.json()["code"] == code
    assert not Resume.objects.filter(owner=seeker).exists()


def test_an_empty_profile_or_a_full_resume_list_is_refused(api_client_for, seeker, make_user, media_root):
    client = api_client_for(seeker)
    empty = client.post("/api/v1/resume/generate/", {"template": "modern"}, content_type="application/json")
    assert empty.status_code == 422 and empty.json()["code"] == "profile_incomplete"
    nameless = make_user()
    fill_profile(nameless)
    answer = api_client_for(nameless).post(
        "/api/v1/resume/generate/", {"template": "modern"}, content_type="application/json"
    )
    assert answer.status_code == 422 and answer.json()["code"] == "profile_incomplete"

    fill_profile(seeker)
    for _ in range(MAX_RESUMES_PER_SEEKER - 1):
        upload_resume(
            seeker, content=pdf_bytes("Sam Seeker", "Engineer with a long and varied career in software.")
        )
    full = client.post("/api/v1/resume/generate/", {"template": "modern"}, content_type="application/json")
    assert full.status_code == 409 and full.json()["code"] == "too_many_resumes"
    assert Resume.objects.filter(owner=seeker).count() == MAX_RESUMES_PER_SEEKER - 1  # neither file kept
    assert len(list((media_root / "resumes").iterdir())) == MAX_RESUMES_PER_SEEKER - 1  # no orphan file


def test_anonymous_callers_are_refused(public_client):
    answer = public_client.post(
        "/api/v1/resume/generate/", {"template": "modern"}, content_type="application/json"
    )
    assert answer.status_code == 401


def test_the_web_page_builds_and_offers_the_downloads(public_tenant, seeker, media_root):
    fill_profile(seeker)
    client = Client(HTTP_HOST="localhost")
    client.force_login(seeker)
    page = client.get("/account/resumes/build/")
    assert page.status_code == 200 and "Compact" in page.content.decode()
    answer = client.post("/account/resumes/build/", {"template": "compact", "kind": ["pdf", "docx"]})
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Your resume is ready." in html and html.count("/download/") == 2
    bad = client.post("/account/resumes/build/", {"template": "baroque", "kind": ["pdf"]})
    assert bad.status_code == 422 and "Choose a template" in bad.content.decode()
    assert Resume.objects.filter(owner=seeker).count() == 2
