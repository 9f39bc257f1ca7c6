# ruff: noqa: F811 - pytest fixtures imported from the jobs test package
"""The same job from two sources is shown once; an employer's own posting wins over its imported copy; the city
variants of one role stay distinct jobs."""

import json

import pytest

from jobpilot.ingest.models import ImportedJob
from jobpilot.ingest.services import source_run
from jobpilot.marketplace.models import MarketplaceJob
from tests.ingest.conftest import fixture_text
from tests.jobs.conftest import make_posting  # noqa: F401

pytestmark = pytest.mark.django_db


def _lever(feed_server, make_source, path, postings, company):
    feed_server.route(path, postings)
    return make_source("lever", feed_server.url + path, company_name=company, name=path)


def _posting(**fields):
    posting = json.loads(fixture_text("lever_page2.json"))[0]
    return {**posting, **fields}


def test_the_same_job_on_two_boards_is_listed_once(feed_server, make_source):
    original = _posting(id="a-1", text="Logistics Planner")
    # The second board re-posts it with another id and URL, its own boilerplate and the title dressed up.
    copy = _posting(
        id="b-1",
        text="URGENT: Logistics Planner - Toronto",
        description="<p>Plan routes.</p>",
        hostedUrl="https://jobs.lever.co/agency/b-1",
        applyUrl="https://jobs.lever.co/agency/b-1/apply",
    )
    first = _lever(feed_server, make_source, "/v0/postings/northwind", [original], "Northwind Inc.")
    second = _lever(feed_server, make_source, "/v0/postings/agency", [copy], "Northwind")
    source_run(source=first)
    run = source_run(source=second)

    assert run.counts["duplicate"] == 1
    assert MarketplaceJob.objects.filter(title="Logistics Planner").count() == 1
    listed = MarketplaceJob.objects.get(title="Logistics Planner")
    assert str(ImportedJob.objects.get(external_id="b-1").duplicate_of) == str(listed.public_id)


def test_a_re_post_linking_to_the_original_apply_url_is_a_duplicate(feed_server, make_source):
    original = _posting(id="a-2")
    copy = _posting(
        id="c-2",
        text="Route planner",
        hostedUrl="https://aggregator.example/jobs/77",
        applyUrl=original["hostedUrl"] + "?utm_source=aggregator",
        description="<p>Other text</p>",
    )
    source_run(source=_lever(feed_server, make_source, "/v0/postings/northwind", [original], "Northwind"))
    run = source_run(source=_lever(feed_server, make_source, "/v0/postings/agg", [copy], "Somebody Else"))
    assert run.counts["duplicate"] == 1


def test_city_variants_of_one_role_are_distinct_jobs(feed_server, make_source):
    toronto = _posting(id="t", categories={"location": "Toronto, ON, Canada", "commitment": "Contractor"})
    montreal = _posting(
        id="m",
        categories={"location": "Montreal, QC, Canada", "commitment": "Contractor"},
        hostedUrl="https://jobs.lever.co/northwind/m",
        applyUrl="https://jobs.lever.co/northwind/m/apply",
    )
    run = source_run(
        source=_lever(feed_server, make_source, "/v0/postings/northwind", [toronto, montreal], "N")
    )
    assert run.counts["new"] == 2 and run.counts.get("duplicate", 0) == 0


def test_an_employers_own_posting_wins_over_its_imported_copy(
    feed_server, make_source, tenant_a, make_posting
):
    own = make_posting(tenant_a, title="Platform Engineer", city="Berlin", country="DE", remote="hybrid")
    copy = _posting(
        id="acme-1",
        text="Platform Engineer (m/w/d)",
        categories={"location": "Berlin, Germany", "commitment": "Full Time"},
        country="DE",
        workplaceType="hybrid",
        hostedUrl="https://jobs.lever.co/acme/acme-1",
        applyUrl="https://jobs.lever.co/acme/acme-1/apply",
    )
    run = source_run(source=_lever(feed_server, make_source, "/v0/postings/acme", [copy], "Acme Corp"))
    assert run.counts["duplicate"] == 1
    assert str(ImportedJob.objects.get(external_id="acme-1").duplicate_of) == str(own.public_id)
    assert not MarketplaceJob.objects.filter(source="imported").exists()


def test_when_the_listed_copy_closes_its_duplicate_takes_its_place_on_the_next_run(feed_server, make_source):
    original = _posting(id="a-3")
    copy = _posting(
        id="b-3",
        hostedUrl="https://jobs.lever.co/agency/b-3",
        applyUrl="https://jobs.lever.co/agency/b-3/apply",
    )
    first = _lever(feed_server, make_source, "/v0/postings/northwind", [original], "Northwind")
    second = _lever(feed_server, make_source, "/v0/postings/agency", [copy], "Northwind")
    source_run(source=first)
    source_run(source=second)
    feed_server.route("/v0/postings/northwind", [])
    source_run(source=first)  # the original closes
    run = source_run(source=second)
    assert run.counts["reopened"] == 1
    assert MarketplaceJob.objects.get(title="Logistics Planner").source_ref == f"{second.pk}:b-3"


def test_the_near_duplicate_threshold_hides_no_distinct_job_on_the_labelled_sample():
    """The bench's labelled sample (ADR 0018): at `NEAR_DUPLICATE_BITS` no distinct job is taken for a repost
    (other city, other role of the same office, same title elsewhere) and most reposts are caught."""
    import importlib.util
    from pathlib import Path

    from jobpilot.ingest import dedupe

    path = Path(__file__).resolve().parents[2] / "bench" / "ingest_dedupe.py"
    spec = importlib.util.spec_from_file_location("ingest_dedupe_bench", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    pairs = bench.labelled_pairs(150, seed=3)
    wrong_distinct = [kind for new, listed, same, kind in pairs if not same and dedupe.repeats(new, listed)]
    caught = sum(1 for new, listed, same, _ in pairs if same and dedupe.repeats(new, listed))
    assert wrong_distinct == []
    assert caught / 150 >= 0.85
