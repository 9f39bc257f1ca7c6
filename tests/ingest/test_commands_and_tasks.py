"""Operators' commands (ingest_add, ingest_run, ingest_status) and the beat tasks that run due sources."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from jobpilot.ingest.models import ImportedJob, Source
from jobpilot.ingest.tasks import expire_jobs, run_due_sources

pytestmark = pytest.mark.django_db

BOARD = "/posting-api/job-board/lumen"


def _call(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_a_source_is_added_run_and_reported_from_the_command_line(feed_server):
    feed_server.route(BOARD, "ashby_board.json")
    added = _call("ingest_add", "ashby", feed_server.url + BOARD, "--name", "Lumen", "--every", "30m")
    source = Source.objects.get(name="Lumen")
    assert f"Source {source.pk} added" in added and source.every == timedelta(minutes=30)

    ran = _call("ingest_run", "--source", str(source.pk))
    assert (
        "Lumen: success: fetched 2, new 2, updated 0, reopened 0, unchanged 0, duplicate 0, closed 0" in ran
    )

    status = _call("ingest_status")
    assert "Lumen (ashby, every 0:30:00): healthy" in status and "2 listed" in status


def test_bad_command_input_is_a_clear_error(feed_server):
    with pytest.raises(CommandError, match="15m, 2h, 1d"):
        _call("ingest_add", "ashby", feed_server.url + BOARD, "--every", "soon")
    with pytest.raises(CommandError, match="15 minutes to once a day"):
        _call("ingest_add", "ashby", feed_server.url + BOARD, "--every", "1m")
    with pytest.raises(CommandError, match="Not an http"):
        _call("ingest_add", "ashby", "ftp://example.com/feed")
    with pytest.raises(CommandError, match="No source 999"):
        _call("ingest_run", "--source", "999")


def test_a_failed_run_prints_its_error_and_fails_the_command(feed_server, make_source):
    feed_server.route(BOARD, "{not json")
    make_source("ashby", feed_server.url + BOARD, name="Broken")
    with pytest.raises(CommandError, match="1 of 1 sources did not complete"):
        _call("ingest_run", "--all")


def test_beat_runs_due_sources_only(feed_server, make_source):
    feed_server.route(BOARD, "ashby_board.json")
    due = make_source("ashby", feed_server.url + BOARD, name="due")
    recent = make_source("ashby", feed_server.url + "/posting-api/job-board/other", name="recent")
    Source.objects.filter(pk=recent.pk).update(last_run_at=timezone.now())
    Source.objects.create(kind="ashby", url=feed_server.url + BOARD, name="off", enabled=False)

    assert run_due_sources() == 1  # tasks run eagerly in tests
    assert ImportedJob.objects.filter(source=due).count() == 2
    assert run_due_sources() == 0  # just run: not due again before its period
    assert expire_jobs() == 0
