"""Match scores on the marketplace's job cards and job page: shown to seekers whose plan has AI recommendations,
an upgrade hint to others, nothing to visitors; the cards' scores come in one batch (no query per card)."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.matching.test_score_api import BACKEND, ai_seeker, published  # noqa: F401

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def test_a_planned_seeker_sees_the_match_on_cards_and_on_the_job_page(published, ai_seeker):  # noqa: F811
    posting = published()
    client = signed_in(ai_seeker)
    page = client.get("/jobs/").content.decode()
    assert re.search(r"You match \d+%: 3 of 4 skills", page)
    detail = client.get(f"/jobs/{posting.public_id}/").content.decode()
    assert re.search(r"You match \d+%: 3 of 4 skills", detail)
    assert "Missing: Kubernetes (nice to have)" in detail
    assert 'data-plan-gate="ai_recommendations"' not in detail


def test_a_seeker_without_the_plan_gets_the_upgrade_hint_and_visitors_nothing(published, make_user):  # noqa: F811
    posting = published()
    page = signed_in(make_user()).get(f"/jobs/{posting.public_id}/").content.decode()
    assert 'data-plan-gate="ai_recommendations"' in page and "You match" not in page
    assert 'data-plan-gate="ai_recommendations"' in signed_in(make_user()).get("/jobs/").content.decode()
    anonymous = Client(HTTP_HOST="localhost").get(f"/jobs/{posting.public_id}/").content.decode()
    assert "You match" not in anonymous and 'data-plan-gate="ai_recommendations"' not in anonymous


def test_cards_scores_take_the_same_queries_for_one_job_or_six(published, ai_seeker):  # noqa: F811
    client = signed_in(ai_seeker)
    published()
    client.get("/jobs/")  # warm the process-wide caches (taxonomy, model, seeker embedding)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/jobs/").content.decode().count("You match") == 1
    for _ in range(5):
        published()
    with CaptureQueriesContext(connection) as six:
        assert client.get("/jobs/").content.decode().count("You match") == 6

    def matching(queries):  # (search itself may run more queries when its cache misses: not ours)
        return [q["sql"] for q in queries.captured_queries if "matching_job_understanding" in q["sql"]]

    assert len(matching(one)) == len(matching(six)) == 1
