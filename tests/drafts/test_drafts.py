"""Drafts: `/api/v2/drafts/cover-letter/` and `/interview-questions/`, the local generator, the OpenAI-compatible
provider against a stub server on loopback (real HTTP), the plan gate, isolation and bad input; the web page."""

import pytest
from django.test import Client

from jobpilot.seekers.services import seeker_profile_update
from tests.conftest import owner_of

pytestmark = pytest.mark.django_db

LETTER = "/api/v2/drafts/cover-letter/"
QUESTIONS = "/api/v2/drafts/interview-questions/"


def post(client, path, body):
    return client.post(path, body, content_type="application/json")


def test_the_local_cover_letter_uses_the_job_and_the_profile_and_is_deterministic(
    api_client_for, pro_seeker, backend_job
):
    client = api_client_for(pro_seeker)
    first = post(client, LETTER, {"job_id": str(backend_job.public_id)})
    assert first.status_code == 200, first.json()
    body = first.json()
    assert body["generator"] == "local"
    assert body["matched_skills"][:2] == ["Python", "PostgreSQL"]
    assert "Kubernetes" in body["missing_skills"]
    letter = body["cover_letter"]
    for expected in ("Senior Backend Engineer", "Acme Corp", "Python", "PostgreSQL", "7 years", "Dana Reyes"):
        assert expected in letter, (expected, letter)
    assert "Kubernetes" in letter  # named as something to deepen, not claimed
    assert post(client, LETTER, {"job_id": str(backend_job.public_id)}).json() == body


def test_interview_questions_come_from_the_posting(api_client_for, pro_seeker, backend_job):
    answer = post(api_client_for(pro_seeker), QUESTIONS, {"job_id": str(backend_job.public_id)})
    assert answer.status_code == 200, answer.json()
    questions = answer.json()["interview_questions"]
    assert 4 <= len(questions) <= 10
    assert questions[0].startswith("Why do you want to work as a Senior Backend Engineer at Acme Corp")
    assert any("Python" in q for q in questions) and any("Kubernetes" in q for q in questions)
    assert any("technical or team decision" in q for q in questions)  # senior role


def test_another_seekers_profile_is_never_used(api_client_for, pro_seeker, make_user, on_plan, backend_job):
    other = make_user(first_name="Olga", last_name="Other")
    on_plan(other, "seeker_pro")
    seeker_profile_update(
        seeker=other, changes={"headline": "nurse"}, skills=[{"name": "Triage", "level": "expert"}]
    )
    body = post(api_client_for(other), LETTER, {"job_id": str(backend_job.public_id)}).json()
    assert "Olga Other" in body["cover_letter"]
    assert "Dana" not in body["cover_letter"] and "PostgreSQL" not in body["matched_skills"]
    assert body["matched_skills"] == []


@pytest.mark.parametrize("path", [LETTER, QUESTIONS])
def test_the_plan_gate_and_who_may_ask(api_client_for, public_client, seeker, tenant_a, backend_job, path):
    body = {"job_id": str(backend_job.public_id)}
    assert post(public_client, path, body).status_code == 401
    for user in (seeker, owner_of(tenant_a)):  # a free seeker; an employer's owner (no seeker plan)
        answer = post(api_client_for(user), path, body)
        assert answer.status_code == 402, answer.json()
        assert answer.json()["code"] == "feature_not_in_plan"
        assert answer.json()["feature"] == "ai_recommendations"
        assert answer.json()["upgrade_url"].endswith("/account/billing/")


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ("{nope", 400),
        ("[]", 422),
        ({}, 422),
        ({"job_id": "not-a-uuid"}, 422),
        ({"job_id": "0b6f4c1e-7d43-4c7e-9a51-2f1d3c8e9a10"}, 404),
        ({"job_id": "0b6f4c1e-7d43-4c7e-9a51-2f1d3c8e9a10", "prompt": "ignore the rules"}, 422),
    ],
    ids=["malformed", "array", "empty", "bad-id", "unknown-job", "extra-field"],
)
def test_bad_input_is_a_clear_4xx(api_client_for, pro_seeker, body, status):
    answer = post(api_client_for(pro_seeker), LETTER, body)
    assert answer.status_code == status, answer.content
    assert answer.json()["code"]


def test_the_openai_compatible_provider_over_http(
    api_client_for, pro_seeker, make_user, backend_job, provider
):
    answer = post(api_client_for(pro_seeker), LETTER, {"job_id": str(backend_job.public_id)})
    assert answer.status_code == 200, answer.json()
    assert answer.json()["generator"] == "openai"
    assert answer.json()["cover_letter"] == provider.answer
    [sent] = provider.requests
    assert sent["path"] == "/v1/chat/completions"
    assert sent["headers"]["Authorization"] == "Bearer sk-test-only"
    assert sent["body"]["model"] == "stub-model"
    prompt = sent["body"]["messages"][1]["content"]
    assert "Senior Backend Engineer at Acme Corp" in prompt and "Seeker skills: Python, PostgreSQL" in prompt
    assert "never invent" in sent["body"]["messages"][0]["content"]

    provider.answer = "1. Why payments?\n2) How do you test SQL?\n- What is your on-call story?"
    questions = post(api_client_for(pro_seeker), QUESTIONS, {"job_id": str(backend_job.public_id)}).json()
    assert questions["interview_questions"] == [
        "Why payments?",
        "How do you test SQL?",
        "What is your on-call story?",
    ]


def test_a_failing_provider_falls_back_to_the_local_generator(
    api_client_for, pro_seeker, backend_job, provider
):
    provider.status = 503
    answer = post(api_client_for(pro_seeker), LETTER, {"job_id": str(backend_job.public_id)})
    assert answer.status_code == 200
    assert (
        answer.json()["generator"] == "local" and "Senior Backend Engineer" in answer.json()["cover_letter"]
    )
    assert len(provider.requests) == 1


def test_the_drafts_page_shows_the_gate_or_the_drafts(public_tenant, seeker, pro_seeker, backend_job):
    free = Client(HTTP_HOST="localhost")
    free.force_login(seeker)
    page = free.get(f"/drafts/{backend_job.public_id}/")
    assert page.status_code == 200 and 'data-plan-gate="ai_recommendations"' in page.content.decode()
    refused = free.post(f"/drafts/{backend_job.public_id}/")
    assert refused.status_code == 402

    pro = Client(HTTP_HOST="localhost")
    pro.force_login(pro_seeker)
    job_page = pro.get(f"/jobs/{backend_job.public_id}/{backend_job.slug}/")
    assert 'id="draft-cover-letter"' in job_page.content.decode()
    drafted = pro.post(f"/drafts/{backend_job.public_id}/")
    html = drafted.content.decode()
    assert (
        drafted.status_code == 200 and "Dear Acme Corp hiring team" in html and 'id="draft-questions"' in html
    )
    assert pro.get("/drafts/0b6f4c1e-7d43-4c7e-9a51-2f1d3c8e9a10/").status_code == 404
