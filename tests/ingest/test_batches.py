"""Batched writes: a run writes the changed items of each `WRITE_BATCH` fetched in one transaction, and must
decide exactly what writing them one by one decides (dedupe within a batch and across batches, changes,
closing), with a number of queries that does not grow with the batch, one alert enqueue per batch and one
change-log entry per created, updated or closed job."""

import random
import zlib
from xml.sax.saxutils import escape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobpilot.api.models import JobChange
from jobpilot.ingest import services
from jobpilot.ingest.models import ImportedJob, Source
from jobpilot.ingest.services import source_run
from jobpilot.marketplace.models import MarketplaceJob, SavedSearch
from jobpilot.notifications.models import Notification

pytestmark = pytest.mark.django_db

FEED = "/feeds/jobs.xml"
CITIES = [("Berlin", "Germany"), ("London", "United Kingdom"), ("Paris", "France")]
WORDS = [
    "customers",
    "platform",
    "reliable",
    "teams",
    "growth",
    "shipping",
    "quality",
    "data",
    "cloud",
    "service",
    "payments",
    "energy",
]


def _job(number: int, *, title=None, company=None, city=None, url=None, text=None) -> dict:
    rng = random.Random(number)  # distinct text per job: near-duplicate detection must not merge them
    words = [rng.choice(WORDS) for _ in range(40)]
    return {
        "id": f"j-{number}",
        "title": title or f"Engineer {number}",
        "company": company or f"Firm {number % 5}",
        "city": city or CITIES[number % 3],
        "url": url or f"https://example.test/jobs/{number}",
        "text": text or " ".join(words) + f" role {number}",
    }


def _feed(jobs: list[dict]) -> bytes:
    items = "".join(
        f"<job><title><![CDATA[{job['title']}]]></title><referencenumber>{job['id']}</referencenumber>"
        f"<url>{escape(job['url'])}</url><company><![CDATA[{job['company']}]]></company>"
        f"<city>{job['city'][0]}</city><country>{job['city'][1]}</country>"
        f"<description><![CDATA[<p>{job['text']}</p>]]></description>"
        f"<date>Fri, 04 Dec 2026 12:00:00 GMT</date><jobtype>fulltime</jobtype></job>\n"
        for job in jobs
    )
    return f'<?xml version="1.0" encoding="utf-8"?><source><publisher>T</publisher>{items}</source>'.encode()


def _tricky_feed(count: int) -> list[dict]:
    """Distinct jobs, with repeats of earlier ones in the same and in later batches: by fingerprint (same
    title, company, city; another URL), by URL (another title), and by near-duplicate text (title reworded)."""
    jobs = [_job(number) for number in range(count)]
    for number in range(0, count, 9):
        original = jobs[number]
        jobs.append({**original, "id": f"fp-{number}", "url": f"https://other.test/{number}"})
        jobs.append({**original, "id": f"url-{number}", "title": f"Staff {original['title']} II"})
        jobs.append(
            {
                **original,
                "id": f"near-{number}",
                "title": f"Senior {original['title']}",
                "url": f"https://third.test/{number}",
            }
        )
        # The same text in another city is another job.
        city = CITIES[(CITIES.index(original["city"]) + 1) % 3]
        jobs.append(
            {**original, "id": f"city-{number}", "city": city, "url": f"https://fourth.test/{number}"}
        )
    # Interleave, so repeats land before, inside and after the batch of their original.
    return sorted(jobs, key=lambda job: (zlib.crc32(job["id"].encode()) % 7, job["id"]))


def _state() -> dict:
    """Each item's status and, for a duplicate, which item it repeats (by external id: public ids differ)."""
    by_public_id = {
        str(public_id): external_id
        for external_id, public_id in ImportedJob.objects.exclude(public_id=None).values_list(
            "external_id", "public_id"
        )
    }
    return {
        external_id: (status, by_public_id.get(str(duplicate_of)) if duplicate_of else None)
        for external_id, status, duplicate_of in ImportedJob.objects.values_list(
            "external_id", "status", "duplicate_of"
        )
    }


def _import_twice(feed_server, make_source, first: list[dict], second: list[dict]) -> tuple[dict, dict, list]:
    feed_server.route(FEED, _feed(first))
    source = make_source("xml", feed_server.url + FEED, name="batched")
    runs = [source_run(source=source)]
    after_first = _state()
    feed_server.route(FEED, _feed(second))
    runs.append(source_run(source=source))
    return after_first, _state(), [run.counts for run in runs]


def _reset():
    MarketplaceJob.objects.filter(source="imported").delete()
    ImportedJob.objects.all().delete()
    Source.objects.all().delete()


def test_batches_decide_exactly_what_one_item_at_a_time_decides(feed_server, make_source, monkeypatch):
    first = _tricky_feed(60)
    # The second run: some jobs changed, some gone (their duplicates are listed in their place next time),
    # some new repeats of jobs that stay.
    second = [
        {**job, "title": f"{job['title']} Lead"} if index % 11 == 0 else job
        for index, job in enumerate(first)
        if index % 13
    ] + [{**_job(3), "id": "late-fp-3", "url": "https://late.test/3"}]

    monkeypatch.setattr(services, "WRITE_BATCH", 1)
    one_by_one = _import_twice(feed_server, make_source, first, second)
    _reset()
    monkeypatch.setattr(services, "WRITE_BATCH", 17)
    batched = _import_twice(feed_server, make_source, first, second)

    assert batched == one_by_one
    states, _, counts = batched
    statuses = [status for status, _ in states.values()]
    assert statuses.count("duplicate") >= 20 and statuses.count("live") >= 60  # the sample has both kinds
    assert counts[1]["closed"] > 0 and counts[1]["updated"] > 0


def test_a_batch_costs_the_same_queries_for_ten_items_as_for_a_hundred(feed_server, make_source, monkeypatch):
    monkeypatch.setattr(services, "WRITE_BATCH", 500)

    def queries_for(count: int, name: str, first: int) -> int:
        jobs = [_job(number, company="One Firm") for number in range(first, first + count)]
        feed_server.route(f"/{name}.xml", _feed([{**job, "id": f"{name}-{job['id']}"} for job in jobs]))
        source = make_source("xml", f"{feed_server.url}/{name}.xml", name=name)
        with CaptureQueriesContext(connection) as queries:
            run = source_run(source=source)
        assert run.counts["new"] == count
        return len(queries)

    assert queries_for(100, "hundred", 0) == queries_for(10, "ten", 1000)


def test_every_created_updated_and_closed_job_gets_one_change_log_entry(
    feed_server, make_source, monkeypatch
):
    monkeypatch.setattr(services, "WRITE_BATCH", 25)
    jobs = [_job(number) for number in range(80)]
    feed_server.route(FEED, _feed(jobs))
    source = make_source("xml", feed_server.url + FEED)
    start = JobChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
    source_run(source=source)
    listed = set(MarketplaceJob.objects.filter(source="imported").values_list("public_id", flat=True))
    assert len(listed) == 80

    changed = [
        {**job, "text": job["text"] + " updated"} if job["id"].endswith("7") else job for job in jobs[:70]
    ]
    feed_server.route(FEED, _feed(changed))
    run = source_run(source=source)
    assert (run.counts["updated"], run.counts["unchanged"], run.counts["closed"]) == (7, 63, 10)

    log = list(JobChange.objects.filter(id__gt=start).values_list("job_public_id", "kind"))
    assert sorted(public_id for public_id, kind in log if kind == "created") == sorted(listed)
    assert len([1 for _, kind in log if kind == "updated"]) == 7
    assert len({public_id for public_id, kind in log if kind == "closed"}) == 10
    assert len(log) == 80 + 7 + 10


def test_one_alert_enqueue_per_batch_and_every_new_job_is_alerted(
    feed_server, make_source, make_user, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "WRITE_BATCH", 20)
    seeker = make_user()
    SavedSearch.objects.create(user=seeker, name="Eng", q="engineer", frequency=SavedSearch.Frequency.INSTANT)
    feed_server.route(FEED, _feed([_job(number) for number in range(50)]))
    source = make_source("xml", feed_server.url + FEED)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        source_run(source=source)
    enqueues = [
        callback
        for callback in callbacks
        if getattr(callback, "__qualname__", "") == "_alert_instant_searches_on_commit.<locals>.enqueue"
    ]
    assert len(enqueues) == 3  # 20 + 20 + 10
    assert Notification.objects.filter(recipient=seeker).count() == 50


def test_an_item_that_cannot_be_saved_is_rejected_and_the_rest_of_its_batch_imports(
    feed_server, make_source, monkeypatch
):
    monkeypatch.setattr(services, "WRITE_BATCH", 10)
    # A row the database refuses (as it would one breaking a constraint), in the middle of a batch.
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE ingest_importedjob ADD CONSTRAINT no_poison CHECK (title <> 'Poison')")
    jobs = [_job(number) for number in range(10)]
    jobs[4]["title"] = "Poison"
    feed_server.route(FEED, _feed(jobs))
    run = source_run(source=make_source("xml", feed_server.url + FEED))
    assert run.counts["new"] == 9 and run.counts["rejected"] == 1
    assert run.rejections[0]["reason"].startswith("could not be saved")
    assert MarketplaceJob.objects.filter(source="imported").count() == 9
    assert not MarketplaceJob.objects.filter(title="Poison").exists()
