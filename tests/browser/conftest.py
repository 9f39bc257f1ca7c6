"""Browser tests: Playwright drives Debian's Chromium (`apt-get install chromium`, never `playwright install`)
against a real daphne that serves the pytest test database.

Tests here are `@pytest.mark.browser` and `@pytest.mark.django_db(transaction=True)`: what a test writes must be
committed for the daphne process to see it. A failing test leaves a full-page screenshot in `test-artifacts/`.
"""

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.jobs.conftest import make_posting  # noqa: F401 - postings published through the services
from tests.mfa.conftest import verified, with_totp  # noqa: F401 - accounts with a second factor
from tests.servers import database_url, free_port

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Chromium sends *.localhost to loopback by itself; this keeps it so under any resolver configuration.
    "--host-resolver-rules=MAP *.localhost 127.0.0.1, MAP localhost 127.0.0.1",
]
SERVER_SECRET_KEY = "browser-tests-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def ats_boards():
    """A local server playing the Greenhouse, Lever and Ashby board APIs (the ingest tests' fixtures) for the
    daphne below: an employer's board sync fetches only from it."""
    from http.server import ThreadingHTTPServer
    from threading import Thread

    from tests.ingest.conftest import FeedServer, _handler

    boards = FeedServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(boards))
    httpd.daemon_threads = True
    Thread(target=httpd.serve_forever, daemon=True).start()
    boards.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield boards
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def server_url(django_db_setup, django_db_blocker, ats_boards) -> str:
    """A daphne serving the product on a free loopback port, on the test database (its name comes from the live
    connection, e.g. `test_jp_portal`), DEBUG off, plain HTTP; ATS boards are read from `ats_boards`."""
    from django.db import connection

    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
        "DATABASE_URL": database_url(connection.settings_dict),
        "REDIS_URL": os.environ["REDIS_URL"],
        "BASE_DOMAIN": "localhost",
        "DEBUG": "0",
        "SECRET_KEY": SERVER_SECRET_KEY,
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "ACCOUNT_EMAIL_VERIFICATION": "none",
        "ATS_GREENHOUSE_BASE_URL": f"{ats_boards.url}/v1/boards/",
        "ATS_LEVER_BASE_URL": f"{ats_boards.url}/v0/postings/",
        "ATS_ASHBY_BASE_URL": f"{ats_boards.url}/posting-api/job-board/",
        "INGEST_HOST_MIN_INTERVAL_SECONDS": "0",
        "SEARCH_FOLLOW": "1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # the server keeps Django's async-safety check (see `browser`)
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / "daphne.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "jobpilot.asgi:application"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                pytest.fail(f"daphne exited with {server.returncode}:\n{log_path.read_text()[-3000:]}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"daphne did not listen within 60 s:\n{log_path.read_text()[-3000:]}")
                time.sleep(0.1)
        yield f"http://localhost:{port}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture(scope="package")
def browser():
    """Chromium, for the tests of this package only.

    Playwright's sync API keeps an asyncio loop running in this thread while it is started, and Django then
    refuses ORM calls ("async context"), also the flush after each committing test. The test code here is plain
    synchronous code, so the check is lifted while the browser lives, and restored for the rest of the suite.
    """
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (never `playwright install`)")
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()


@pytest.fixture
def new_page(browser, request):
    """`new_page(width=1280, height=900)` opens a page in a fresh browser context (its own cookies). Any page a
    failing test opened is saved as a screenshot in test-artifacts/."""
    contexts = []

    def make(width: int = 1280, height: int = 900):
        context = browser.new_context(viewport={"width": width, "height": height})
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    report = getattr(request.node, "report_call", None)
    failed = report is None or report.failed
    for number, context in enumerate(contexts):
        if failed:
            for index, page in enumerate(context.pages):
                name = re.sub(r"[^\w.-]+", "_", request.node.name)
                page.screenshot(path=str(ARTIFACTS / f"{name}-{number}-{index}.png"), full_page=True)
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()
