"""Import throughput: a generated feed of N jobs (100,000 by default) of each major format, served from a local
HTTP server, imported into the marketplace through the real pipeline; then the same feed again (unchanged).
Prints jobs/s for the first import and for the unchanged re-import, and the peak memory (max RSS) of the process
that ran them. Each format runs in its own process, so each peak is its own.

Formats: greenhouse (one JSON document), lever (JSON pages of 100), xml (Indeed-style, streamed), rss (RSS 2.0).

Instant saved-search alerts are sent to Celery as in production (set REDIS_URL; the bench empties the queue it
filled), and each job is one transaction, as in production.

Needs a migrated database of its own (the bench deletes every imported job in it):

    DATABASE_URL=postgres://.../jp_ingest_bench .venv/bin/python manage.py migrate_schemas
    DATABASE_URL=postgres://.../jp_ingest_bench .venv/bin/python bench/ingest.py [jobs] [format ...]
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


def _job(number: int) -> dict:
    rng = random.Random(number)
    role = ROLES[number % len(ROLES)]
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


def _greenhouse(count: int, out) -> None:
    out.write(b'{"jobs": [')
    for number in range(count):
        job = _job(number)
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
        out.write((b"," if number else b"") + json.dumps(item).encode())
    out.write(b'], "meta": {"total": %d}}' % count)


def _lever_page(count: int, skip: int, limit: int) -> bytes:
    page = []
    for number in range(skip, min(count, skip + limit)):
        job = _job(number)
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


def _xml(count: int, out) -> None:
    out.write(b'<?xml version="1.0" encoding="utf-8"?>\n<source><publisher>Bench</publisher>\n')
    for number in range(count):
        job = _job(number)
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


def _rss(count: int, out) -> None:
    out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Bench</title>\n')
    for number in range(count):
        job = _job(number)
        out.write(
            (
                f"<item><title>{escape(job['company'])}: {escape(job['title'])}</title>"
                f"<region>{escape(job['location'])}</region><description>{escape(job['html'])}</description>"
                f"<pubDate>Thu, 03 Dec 2026 16:20:05 +0000</pubDate><guid>https://bench.example/rss/{number}</guid>"
                f"<link>https://bench.example/rss/{number}</link></item>\n"
            ).encode()
        )
    out.write(b"</channel></rss>\n")


def _serve(count: int, files: dict[str, Path]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802
            parts = urlsplit(self.path)
            if parts.path == "/lever":
                query = parse_qs(parts.query)
                body = _lever_page(count, int(query["skip"][0]), int(query["limit"][0]))
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


def run_one(kind: str, count: int) -> dict:
    """In a child process: import the feed twice and measure."""
    sys.path[:0] = [str(ROOT), str(ROOT / "src")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobpilot.settings")
    os.environ.setdefault("DEBUG", "1")
    # The politeness gap between requests to one host is for other people's servers, not this local one.
    os.environ.setdefault("INGEST_HOST_MIN_INTERVAL_SECONDS", "0")
    import django

    django.setup()
    from django.db import connection

    from jobpilot.ingest.models import ImportedJob, Source
    from jobpilot.ingest.services import source_create, source_run
    from jobpilot.marketplace.models import MarketplaceJob

    assert "bench" in connection.settings_dict["NAME"], (
        "the bench deletes imported jobs: use a bench database"
    )
    MarketplaceJob.objects.filter(source="imported").delete()
    ImportedJob.objects.all().delete()
    Source.objects.all().delete()

    with tempfile.TemporaryDirectory() as folder:
        files = {}
        if kind != "lever":
            files[kind] = Path(folder) / kind
            with files[kind].open("wb") as out:
                {"greenhouse": _greenhouse, "xml": _xml, "rss": _rss}[kind](count, out)
        server = _serve(count, files)
        base = f"http://127.0.0.1:{server.server_address[1]}"
        url = {"greenhouse": f"{base}/v1/boards/bench", "lever": f"{base}/lever"}.get(kind, f"{base}/{kind}")
        if kind == "greenhouse":
            files["v1/boards/bench/jobs"] = files.pop("greenhouse")
            files["v1/boards/bench"] = Path(folder) / "board"
            files["v1/boards/bench"].write_text('{"name": "Bench"}')
        source = source_create(
            kind=kind, url=url, name=f"bench {kind}", company_name="" if kind != "lever" else "Bench"
        )
        figures = {"format": kind, "jobs": count, "feed_bytes": sum(p.stat().st_size for p in files.values())}
        for label in ("first", "unchanged"):
            started = time.perf_counter()
            run = source_run(source=source)
            seconds = time.perf_counter() - started
            figures[label] = {
                "status": run.status,
                "seconds": round(seconds, 1),
                "jobs_per_s": round(run.counts.get("fetched", 0) / seconds),
                "counts": {k: v for k, v in run.counts.items() if k != "reasons"},
            }
        server.shutdown()
    if os.environ.get("REDIS_URL"):
        import redis

        redis.Redis.from_url(os.environ["REDIS_URL"]).delete("celery")  # no worker here: drop the alert tasks
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return figures


def main() -> None:
    args = sys.argv[1:]
    if args and args[0] == "--child":
        print(json.dumps(run_one(args[1], int(args[2]))))
        return
    count = int(args[0]) if args and args[0].isdigit() else 100_000
    kinds = [arg for arg in args if arg in FORMATS] or list(FORMATS)
    print(
        f"ingest bench: {count:,} jobs per feed, formats {', '.join(kinds)}; load average {os.getloadavg()[0]:.1f}"
    )
    for kind in kinds:
        output = subprocess.run(
            [sys.executable, __file__, "--child", kind, str(count)],
            capture_output=True,
            text=True,
            check=False,
        )
        if output.returncode:
            print(f"{kind}: failed\n{output.stderr[-3000:]}")
            continue
        figures = json.loads(output.stdout.strip().splitlines()[-1])
        first, again = figures["first"], figures["unchanged"]
        print(
            f"{kind:>10}: feed {figures['feed_bytes'] / 1e6:,.0f} MB; first import {first['jobs_per_s']:,} jobs/s "
            f"({first['seconds']} s, {first['status']}, new {first['counts'].get('new', 0):,}); unchanged "
            f"re-import {again['jobs_per_s']:,} jobs/s ({again['seconds']} s, unchanged "
            f"{again['counts'].get('unchanged', 0):,}); peak RSS {figures['peak_rss_mb']:,} MB"
        )


if __name__ == "__main__":
    main()
