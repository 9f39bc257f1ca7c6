"""Import throughput: a generated feed of N jobs (100,000 by default) of each major format, served from a local
HTTP server, imported into the marketplace through the real pipeline; then the same feed again (unchanged), then an incremental
run (one job in 20 changed, one in 20 gone: they update and close). Prints jobs/s of each run, p50/p95/p99 of the
time per batch of 500 fetched items (fetch, normalize, dedupe and the batch's one write transaction), and the peak
memory (max RSS) of the process that ran them. Each format runs in its own process, so each peak is its own.

Formats: greenhouse (one JSON document), lever (JSON pages of 100), xml (Indeed-style, streamed), rss (RSS 2.0).

Instant saved-search alerts are sent to Celery as in production (set REDIS_URL; the bench empties the queue it
filled); the changed items of each batch of `ingest.services.WRITE_BATCH` are one transaction, as in production.
`--baseline N` measures the per-item path (batches of one: a transaction, a dozen queries and an alert enqueue per
job, as imports were written before) on N jobs of the first format in the same run, for a before/after figure.

Needs a migrated database of its own (the bench deletes every imported job in it):

    DATABASE_URL=postgres://.../jp_ingest_bench .venv/bin/python manage.py migrate_schemas
    DATABASE_URL=postgres://.../jp_ingest_bench .venv/bin/python bench/ingest.py [jobs] [format ...] [--baseline N]
"""

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
FORMATS = ("greenhouse", "lever", "xml", "rss")
CITIES = [
    "Berlin, Germany",
    "London, UK",
    "San Francisco, CA",
    "Remote - US",
    "Toronto, ON, Canada",
    "Paris, France",
    "Amsterdam, Netherlands",
    "Austin, Texas",
    "Hybrid - Munich",
    "Remote (EU)",
]
ROLES = [
    "Backend Engineer",
    "Data Analyst",
    "Product Designer",
    "Account Executive",
    "Nurse",
    "Electrician",
    "Support Specialist",
    "Warehouse Associate",
    "Marketing Manager",
    "Site Reliability Engineer",
]
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
    "hiring",
    "remote",
    "benefits",
    "learning",
    "ownership",
    "impact",
    "scale",
    "secure",
    "payments",
    "logistics",
    "health",
    "energy",
]


def _present(number: int, variant: int) -> bool:
    # The incremental feed (variant 1) drops one job in 20: they must close.
    return variant == 0 or number % 20 != 1


def _job(number: int, variant: int = 0) -> dict:
    rng = random.Random(number)
    role = ROLES[number % len(ROLES)]
    # ... and changes the title of another one in 20: they must update.
    role = f"{role} II" if variant and number % 20 == 0 else role
    text = " ".join(rng.choice(WORDS) for _ in range(90))
    return {
        "id": number,
        "title": f"{'Senior ' if number % 3 == 0 else ''}{role} {number}",
        "company": f"Company {number % 997}",
        "location": CITIES[number % len(CITIES)],
        "html": f"<p>{text}</p><ul><li>{rng.choice(WORDS)}</li><li>{rng.choice(WORDS)}</li></ul>",
        "salary": f"${40 + number % 80}K - ${60 + number % 90}K" if number % 2 else "",
        "posted": 1764064800 + number,
    }


def _greenhouse(count: int, out, variant: int = 0) -> None:
    out.write(b'{"jobs": [')
    first = True
    for number in range(count):
        if not _present(number, variant):
            continue
        job = _job(number, variant)
        item = {
            "absolute_url": f"https://boards.greenhouse.io/bench/jobs/{number}",
            "internal_job_id": number,
            "location": {"name": job["location"]},
            "metadata": None,
            "id": number,
            "updated_at": "2026-11-30T14:02:11-05:00",
            "title": job["title"],
            "company_name": job["company"],
            "first_published": "2026-11-02T09:15:00-05:00",
            "content": escape(job["html"], {'"': "&quot;"}),
            "departments": [],
            "offices": [],
        }
        out.write((b"" if first else b",") + json.dumps(item).encode())
        first = False
    out.write(b'], "meta": {"total": %d}}' % count)


def _lever_page(count: int, skip: int, limit: int, variant: int = 0) -> bytes:
    page = []
    # Lever's pages are full until the last: a shorter page ends the list.
    present = [number for number in range(count) if _present(number, variant)]
    for number in present[skip : skip + limit]:
        job = _job(number, variant)
        page.append(
            {
                "id": f"lever-{number}",
                "text": job["title"],
                "categories": {
                    "commitment": "Full Time",
                    "location": job["location"],
                    "department": "Engineering",
                },
                "createdAt": job["posted"] * 1000,
                "description": job["html"],
                "lists": [],
                "additional": "",
                "workplaceType": "unspecified",
                "hostedUrl": f"https://jobs.lever.co/bench/lever-{number}",
                "applyUrl": f"https://jobs.lever.co/bench/lever-{number}/apply",
                "salaryDescriptionPlain": job["salary"],
            }
        )
    return json.dumps(page).encode()


def _xml(count: int, out, variant: int = 0) -> None:
    out.write(b'<?xml version="1.0" encoding="utf-8"?>\n<source><publisher>Bench</publisher>\n')
    for number in range(count):
        if not _present(number, variant):
            continue
        job = _job(number, variant)
        city, _, rest = job["location"].partition(", ")
        out.write(
            (
                f"<job><title><![CDATA[{job['title']}]]></title><date><![CDATA[Fri, 04 Dec 2026 12:00:00 GMT]]></date>"
                f"<referencenumber>x-{number}</referencenumber><url>https://bench.example/jobs/x-{number}</url>"
                f"<company><![CDATA[{job['company']}]]></company><city>{escape(city)}</city><state></state>"
                f"<country>{escape(rest)}</country><description><![CDATA[{job['html']}]]></description>"
                f"<salary>{job['salary']}</salary><jobtype>fulltime</jobtype></job>\n"
            ).encode()
        )
    out.write(b"</source>\n")


def _rss(count: int, out, variant: int = 0) -> None:
    out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Bench</title>\n')
    for number in range(count):
        if not _present(number, variant):
            continue
        job = _job(number, variant)
        out.write(
            (
                f"<item><title>{escape(job['company'])}: {escape(job['title'])}</title>"
                f"<region>{escape(job['location'])}</region><description>{escape(job['html'])}</description>"
                f"<pubDate>Thu, 03 Dec 2026 16:20:05 +0000</pubDate><guid>https://bench.example/rss/{number}</guid>"
                f"<link>https://bench.example/rss/{number}</link></item>\n"
            ).encode()
        )
    out.write(b"</channel></rss>\n")


def _serve(count: int, files: dict[str, Path], state: dict) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802
            parts = urlsplit(self.path)
            if parts.path == "/lever":
                query = parse_qs(parts.query)
                body = _lever_page(count, int(query["skip"][0]), int(query["limit"][0]), state["variant"])
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            path = files.get(parts.path.strip("/"))
            if path is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Length", str(path.stat().st_size))
            self.end_headers()
            with path.open("rb") as file:
                while chunk := file.read(1 << 20):
                    self.wfile.write(chunk)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _percentiles(values: list[float]) -> dict:
    ordered = sorted(values) or [0.0]

    def at(share: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 3)

    return {"p50": at(0.50), "p95": at(0.95), "p99": at(0.99)}


def run_one(kind: str, count: int, write_batch: int, runs: tuple[str, ...]) -> dict:
    """In a child process: import the feed (first, unchanged, incremental) and measure. `write_batch` 1 is the
    per-item path (each item its own transaction and alert enqueue), the baseline."""
    sys.path[:0] = [str(ROOT), str(ROOT / "src")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobpilot.settings")
    os.environ.setdefault("DEBUG", "1")
    # The politeness gap between requests to one host is for other people's servers, not this local one.
    os.environ.setdefault("INGEST_HOST_MIN_INTERVAL_SECONDS", "0")
    import logging

    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = (
        False  # DEBUG keeps the last 9,000 statements (bulk inserts of 500 rows): not a real peak
    )
    logging.disable(logging.INFO)  # one log line per enqueue or request is not what is measured
    from django.db import connection

    from jobpilot.ingest import services
    from jobpilot.ingest.models import ImportedJob, Source, SourceRun
    from jobpilot.ingest.services import source_create, source_run

    assert "bench" in connection.settings_dict["NAME"], (
        "the bench deletes imported jobs: use a bench database"
    )
    services.WRITE_BATCH = write_batch
    with connection.cursor() as cursor:
        # In SQL: the ORM's delete loads every row first, and that (not the import) would be the peak memory.
        cursor.execute("DELETE FROM marketplace_job WHERE source = 'imported'")
        for table in (ImportedJob, SourceRun, Source):
            cursor.execute(f"DELETE FROM {table._meta.db_table}")
        cursor.execute("VACUUM ANALYZE ingest_importedjob")
        cursor.execute("VACUUM ANALYZE marketplace_job")

    write = {"greenhouse": _greenhouse, "xml": _xml, "rss": _rss}.get(kind)
    with tempfile.TemporaryDirectory() as folder:
        variants: dict[int, Path] = {}
        if write:
            for variant in (0, 1):
                variants[variant] = Path(folder) / f"{kind}-{variant}"
                with variants[variant].open("wb") as out:
                    write(count, out, variant)
        route = {"greenhouse": "v1/boards/bench/jobs"}.get(kind, kind)
        files = {route: variants[0]} if write else {}
        if kind == "greenhouse":
            files["v1/boards/bench"] = Path(folder) / "board"
            files["v1/boards/bench"].write_text('{"name": "Bench"}')
        state = {"variant": 0}
        server = _serve(count, files, state)
        base = f"http://127.0.0.1:{server.server_address[1]}"
        url = {"greenhouse": f"{base}/v1/boards/bench", "lever": f"{base}/lever"}.get(kind, f"{base}/{kind}")
        source = source_create(
            kind=kind, url=url, name=f"bench {kind}", company_name="" if kind != "lever" else "Bench"
        )
        figures = {
            "format": kind,
            "jobs": count,
            "write_batch": write_batch,
            "feed_bytes": variants[0].stat().st_size if write else 0,
        }
        for label in runs:
            if label == "incremental":  # one job in 20 changed, one in 20 gone
                state["variant"] = 1
                if write:
                    files[route] = variants[1]
            timings: list = []
            started = time.perf_counter()
            run = source_run(source=source, timings=timings)
            seconds = time.perf_counter() - started
            figures[label] = {
                "status": run.status,
                "seconds": round(seconds, 1),
                "jobs_per_s": round(run.counts.get("fetched", 0) / seconds),
                "batch_seconds": _percentiles([each[0] for each in timings]),
                "batches": len(timings),
                "counts": {k: v for k, v in run.counts.items() if k != "reasons"},
            }
        server.shutdown()
    if os.environ.get("REDIS_URL"):
        import redis

        redis.Redis.from_url(os.environ["REDIS_URL"]).delete("celery")  # no worker here: drop the alert tasks
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return figures


def _child(kind: str, count: int, write_batch: int, runs: tuple[str, ...]) -> dict | None:
    output = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(count), str(write_batch), ",".join(runs)],
        capture_output=True,
        text=True,
        check=False,
    )
    if output.returncode:
        print(f"{kind}: failed\n{output.stderr[-3000:]}")
        return None
    return json.loads(output.stdout.strip().splitlines()[-1])


def _line(label: str, run: dict) -> str:
    counts = run["counts"]
    done = ", ".join(
        f"{name} {counts[name]:,}"
        for name in ("new", "updated", "unchanged", "closed", "duplicate")
        if counts.get(name)
    )
    batch = run["batch_seconds"]
    return (
        f"    {label:<12} {run['jobs_per_s']:>6,} jobs/s  {run['seconds']:>7} s  batch of 500 fetched: "
        f"p50 {batch['p50']} s  p95 {batch['p95']} s  p99 {batch['p99']} s  ({run['status']}; {done})"
    )


def main() -> None:
    """`bench/ingest.py [jobs] [format ...] [--baseline N]`: each format's first import, unchanged re-import and
    incremental run (batched writes); `--baseline N` adds the per-item path's first import of N jobs of the
    first format, in the same run (it is slow: 0 skips it)."""
    args = sys.argv[1:]
    if args and args[0] == "--child":
        kind, count, write_batch, runs = args[1], int(args[2]), int(args[3]), tuple(args[4].split(","))
        print(json.dumps(run_one(kind, count, write_batch, runs)))
        return
    baseline = 0
    if "--baseline" in args:
        at = args.index("--baseline")
        baseline = int(args[at + 1])
        del args[at : at + 2]
    count = int(args[0]) if args and args[0].isdigit() else 100_000
    kinds = [arg for arg in args if arg in FORMATS] or list(FORMATS)
    print(
        f"ingest bench: {count:,} jobs per feed, formats {', '.join(kinds)}; load average "
        + " ".join(f"{load:.1f}" for load in os.getloadavg())
    )
    for kind in kinds:
        figures = _child(kind, count, 500, ("first", "unchanged", "incremental"))
        if figures is None:
            continue
        print(
            f"{kind:>10}: feed {figures['feed_bytes'] / 1e6:,.0f} MB, peak RSS {figures['peak_rss_mb']:,} MB, "
            f"load {os.getloadavg()[0]:.1f}"
        )
        for label in ("first", "unchanged", "incremental"):
            print(_line(label, figures[label]))
    if baseline:
        figures = _child(kinds[0], baseline, 1, ("first",))
        if figures:
            first = figures["first"]
            print(
                f"  baseline, {kinds[0]}, per-item writes (a transaction and an alert enqueue per job), "
                f"{baseline:,} jobs: first import {first['jobs_per_s']:,} jobs/s ({first['seconds']} s), "
                f"load {os.getloadavg()[0]:.1f}"
            )


if __name__ == "__main__":
    main()
