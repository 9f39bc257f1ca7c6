"""The web portal's client, static/js/notifications.js, in headless Chromium against daphne."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from jobpilot.notifications.services import notify
from jobpilot.notifications.types import NotificationType
from tests.notifications.conftest import access_token

CHROMIUM = Path("/usr/bin/chromium")
# Flags for this machine's closed network (see the machine notes): no background connections, no sandbox as root.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


@pytest.fixture
def page(daphne):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"http://localhost:{daphne.port}/health/")
        page.add_script_tag(url=f"http://localhost:{daphne.port}/static/js/notifications.js")
        page.evaluate(
            """() => {
                window.received = [];
                window.statuses = [];
                document.addEventListener("jobpilot:notification", (e) => window.received.push(e.detail));
                document.addEventListener("jobpilot:notifications-status", (e) => window.statuses.push(e.detail));
            }"""
        )
        yield page
        browser.close()


def _off_the_browser_loop(function, *args):
    """Run Django ORM work in a thread: Playwright's sync API keeps an event loop running in the test's thread."""
    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(function, *args).result()


def _send(user, title):
    return _off_the_browser_loop(_notify, user, title)


def _notify(user, title):
    return notify(
        recipient=user,
        type=NotificationType.APPLICATION_STATUS_CHANGED,
        title=title,
        data={"url": "/applications/1/"},
    )


def test_the_client_dispatches_each_notification_and_catches_up_after_a_server_restart(
    page, daphne, make_user
):
    seeker = _off_the_browser_loop(make_user)
    page.evaluate(
        "(token) => { window.live = JobPilotNotifications.connect({token, minDelayMs: 200, maxDelayMs: 1000}); }",
        access_token(seeker),
    )
    page.wait_for_function("window.statuses.some((s) => s.status === 'open')")
    first = _send(seeker, "Moved to Interview")
    page.wait_for_function("window.received.length === 1")

    daphne.stop()
    page.wait_for_function("window.statuses.some((s) => s.status === 'closed')")
    missed = _send(seeker, "Moved to Offer")  # while the server is down: stored, pushed to no one
    daphne.start()

    page.wait_for_function("window.received.length === 2", timeout=20_000)
    received = page.evaluate("window.received")
    assert [message["id"] for message in received] == [first.pk, missed.pk]
    assert received[1]["type"] == "application_status_changed"
    assert received[1]["data"]["title"] == "Moved to Offer"
    assert received[1]["data"]["url"] == "/applications/1/"


def test_an_anonymous_client_is_told_it_is_unauthorized_and_stops(page):
    page.evaluate("() => { window.live = JobPilotNotifications.connect({minDelayMs: 50}); }")
    page.wait_for_function("window.statuses.some((s) => s.status === 'unauthorized')")
    page.wait_for_timeout(500)
    # Accepted, then closed with 4401 (so the browser can read the code); no reconnect after that.
    assert [s["status"] for s in page.evaluate("window.statuses")] == ["connecting", "open", "unauthorized"]
