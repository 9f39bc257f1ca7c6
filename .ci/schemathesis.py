"""Fuzz the whole API with schemathesis as four identities: anonymous, a seeker (bearer token), an employer's
owner on the employer's host (bearer token) and an API customer's key, with the stateful phase on. Any 5xx fails.

It runs against a real daphne (DEBUG off) on a database of its own, seeded with the demo data, so every
operation meets real rows. Usage: `.venv/bin/python .ci/schemathesis.py [--seconds-each 60]`; DATABASE_URL and
REDIS_URL are used when set (the database part is replaced by a scratch name), the embedded servers otherwise.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
SCRATCH_DATABASE = "jobpilot_schemathesis"


def scratch_database_url() -> str | None:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return None
    base, _, _ = url.rpartition("/")
    return f"{base}/{SCRATCH_DATABASE}"


def recreate_database(url: str) -> None:
    import psycopg

    admin_url = url.rpartition("/")[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{SCRATCH_DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{SCRATCH_DATABASE}"')


def identities(host_suffix: str) -> dict[str, list[str]]:
    """The headers of each identity, made through the product's own services on the demo data."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from ninja_jwt.tokens import AccessToken

    from billing.plans import Audience
    from billing.selectors import billing_account_for_user
    from billing.services import billing_account_assign_plan
    from jobpilot.api.services import api_key_create
    from jobpilot.core.management.commands.seed_demo import DEMO_EMPLOYERS, DEMO_SEEKER
    from tenants.services import tenant_domain_for_slug

    users = get_user_model().objects
    seeker = users.get(email=DEMO_SEEKER)
    employer = DEMO_EMPLOYERS[0]
    owner = users.get(email=employer["owner"])
    customer, _ = users.get_or_create(email="api-customer@example.com")
    account = billing_account_for_user(customer, Audience.API)
    billing_account_assign_plan(actor="schemathesis", account=account, plan_code="api_scale")
    _, secret = api_key_create(
        actor=None, account=account, owner={"user": customer}, name="schemathesis", scopes=["jobs:read"]
    )
    public_host = f"localhost{host_suffix}"
    return {
        "anonymous": ["-H", f"Host: {public_host}"],
        "seeker": [
            "-H",
            f"Host: {public_host}",
            "-H",
            f"Authorization: Bearer {AccessToken.for_user(seeker)}",
        ],
        "employer": [
            "-H",
            f"Host: {tenant_domain_for_slug(employer['slug'])}{host_suffix}",
            "-H",
            f"Authorization: Bearer {AccessToken.for_user(owner)}",
        ],
        "api-key": ["-H", f"Host: {public_host}", "-H", f"X-API-Key: {secret}"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds-each", type=int, default=60, help="time budget of each identity's run")
    args = parser.parse_args()

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
        "DEBUG": "0",
    }
    database_url = scratch_database_url()
    if database_url:
        recreate_database(database_url)
        env["DATABASE_URL"] = os.environ["DATABASE_URL"] = database_url
    else:  # the embedded server; tests.settings makes its data directory and database
        env["JOBPILOT_DATA_DIR"] = os.environ["JOBPILOT_DATA_DIR"] = str(ROOT / ".jobpilot" / "schemathesis")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate_schemas", "--verbosity", "0"], env=env, check=True)
    subprocess.run([*manage, "seed_demo"], env=env, check=True, stdout=subprocess.DEVNULL)

    import django  # noqa: E402 - settings need the environment above

    from tests.servers import database_url as child_database_url
    from tests.servers import free_port, wait_for_port

    django.setup()
    from django.db import connection

    env["DATABASE_URL"] = child_database_url(connection.settings_dict)
    env["REDIS_URL"] = os.environ["REDIS_URL"]  # tests.settings started one when none was given
    port = free_port()
    headers = identities(f":{port}")
    log = (ROOT / "test-artifacts").resolve()
    log.mkdir(exist_ok=True)
    with (log / "schemathesis-daphne.log").open("wb") as daphne_log:
        server = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "jobpilot.asgi:application"],
            cwd=ROOT,
            env=env,
            stdout=daphne_log,
            stderr=subprocess.STDOUT,
        )
    failed = []
    try:
        wait_for_port(port, timeout=60)
        # /api/v2/ (ADR 0024) has a few endpoints: a third of the time each identity gets on v1.
        runs = [(name, h, "v1", args.seconds_each) for name, h in headers.items()]
        runs += [(name, h, "v2", max(10, args.seconds_each // 3)) for name, h in headers.items()]
        for name, identity_headers, version, seconds in runs:
            started = time.monotonic()
            print(f"\n=== schemathesis {version} as {name} ===", flush=True)
            run = subprocess.run(
                [
                    str(Path(sys.executable).parent / "st"),
                    "run",
                    f"http://127.0.0.1:{port}/api/{version}/openapi.json",
                    "--url",
                    f"http://127.0.0.1:{port}",  # the schema's paths carry /api/v1/ (or v2)
                    *identity_headers,
                    "--checks",
                    "not_a_server_error",
                    "--phases",
                    "examples,coverage,fuzzing,stateful",
                    "--max-time",
                    str(seconds),
                    "--workers",
                    "2",
                    "--generation-database",
                    "none",
                    "--request-timeout",
                    "20",
                    "--no-color",
                    "--output-truncate",
                    "true",
                ],
            )
            errors = server_errors(log / "schemathesis-daphne.log")
            print(
                f"=== {version} {name}: schemathesis exit {run.returncode}, server errors so far {errors}, "
                f"{time.monotonic() - started:.0f} s ===",
                flush=True,
            )
            if run.returncode != 0:
                failed.append(f"{version} {name}")
    finally:
        server.terminate()
        server.wait(timeout=20)
    errors = server_errors(log / "schemathesis-daphne.log")
    # The server's own log is the judge of "no 5xx": schemathesis also exits 1 on its own internal errors
    # (a flaky Hypothesis draw), which say nothing about the API.
    print(f"server errors in all runs: {errors}; schemathesis runs that did not exit 0: {failed or 'none'}")
    if errors:
        print(f"see {log}/schemathesis-daphne.log")
        return 1
    return 0


def server_errors(log_path: Path) -> int:
    """5xx answers the server logged (Django logs each one as an `Internal Server Error` line)."""
    text = log_path.read_text(errors="replace")
    return text.count('"Internal Server Error: ') + text.count("ERROR django.request Internal Server Error")


if __name__ == "__main__":
    sys.exit(main())
