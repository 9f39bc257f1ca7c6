"""A bounded load test of connections: C concurrent HTTP clients against one daphne process on 127.0.0.1, each
sending R requests to an employer's site API; prints the answers by status, latency p50/p95/p99 and the most
PostgreSQL connections the database saw at once (the pool holds them to DATABASE_POOL_MAX_SIZE).

Needs a migrated database (it provisions the employer `loadtest` when missing) and a free port:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jp_tenancy REDIS_URL=redis://127.0.0.1:6379/11 \
        .venv/bin/python bench/connections_load.py [--clients 500] [--requests 4] [--pool 20]
"""

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import aiohttp
import psycopg

ROOT = Path(__file__).resolve().parents[1]
PATH = "/api/v1/site/"
HOST = "loadtest.localhost"


def spread(samples_s: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples_s)
    cuts = statistics.quantiles(ms, n=100, method="inclusive")
    return (
        f"p50 {statistics.median(ms):8.1f} ms  p95 {cuts[94]:8.1f} ms  p99 {cuts[98]:8.1f} ms  (n={len(ms)})"
    )


async def client(session, url: str, requests: int, statuses: Counter, latencies: list, errors: list) -> None:
    for _ in range(requests):
        started = time.perf_counter()
        try:
            async with session.get(url, headers={"Host": HOST}) as response:
                body = await response.text()
                statuses[response.status] += 1
                if response.status >= 500 or "too many clients" in body:
                    errors.append(body[:200])
        except aiohttp.ClientError as error:
            statuses[type(error).__name__] += 1
            continue
        latencies.append(time.perf_counter() - started)


async def peak_connections(url: str, stop: asyncio.Event) -> int:
    peak = 0
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        while not stop.is_set():
            row = await (
                await conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
            ).fetchone()
            peak = max(peak, row[0] - 1)  # not this one
            await asyncio.sleep(0.05)
    return peak


async def load(port: int, clients: int, requests: int, database_url: str) -> None:
    url = f"http://127.0.0.1:{port}{PATH}"
    statuses, latencies, errors = Counter(), [], []
    stop = asyncio.Event()
    watcher = asyncio.create_task(peak_connections(database_url, stop))
    connector = aiohttp.TCPConnector(limit=0, force_close=True)  # every request its own TCP connection
    timeout = aiohttp.ClientTimeout(total=120)
    started = time.perf_counter()
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        await asyncio.gather(
            *(client(session, url, requests, statuses, latencies, errors) for _ in range(clients))
        )
    elapsed = time.perf_counter() - started
    stop.set()
    peak = await watcher
    print(
        f"{clients} concurrent clients x {requests} requests in {elapsed:.1f} s ({sum(statuses.values()) / elapsed:.0f} req/s)"
    )
    print(f"answers: {dict(statuses)}; 5xx or 'too many clients': {len(errors)}")
    if errors:
        print(f"first error: {errors[0]}")
    print(f"latency {spread(latencies)}")
    print(f"most PostgreSQL connections at once: {peak}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--requests", type=int, default=4)
    parser.add_argument("--pool", type=int, default=20, help="DATABASE_POOL_MAX_SIZE of the daphne process")
    parser.add_argument("--port", type=int, default=18916)
    options = parser.parse_args()
    env = {
        **os.environ,
        "PYTHONPATH": f"{ROOT}:{ROOT / 'src'}",
        "DJANGO_SETTINGS_MODULE": "jobpilot.settings",
        "SECRET_KEY": os.environ.get(
            "SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"
        ),
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_POOL_MAX_SIZE": str(options.pool),
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    # The employer the clients ask for (provision_tenant refuses a taken slug: that is fine).
    subprocess.run(
        [
            *manage,
            "provision_tenant",
            "--name",
            "Load Test",
            "--slug",
            HOST.split(".")[0],
            "--owner-email",
            "load@test.example",
        ],
        env=env,
        check=False,
        capture_output=True,
    )
    daphne = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "daphne"),
            "-b",
            "127.0.0.1",
            "-p",
            str(options.port),
            "jobpilot.asgi:application",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        import urllib.request

        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{options.port}/health/", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.5)
        asyncio.run(load(options.port, options.clients, options.requests, os.environ["DATABASE_URL"]))
    finally:
        daphne.terminate()
        daphne.wait(timeout=30)


if __name__ == "__main__":
    main()
