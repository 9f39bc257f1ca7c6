"""An employer admin connects its Greenhouse board in the console (the board is a local server in Greenhouse's real
format), sees it synced and its jobs among its postings, disconnects it and connects it again."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_console_jobs import sign_in_to_console
from tests.conftest import lift_posting_limit, owner_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BOARD_JOB = "Senior Backend Engineer, Payments"


def _connect(page) -> None:
    connect = page.locator("form", has=page.get_by_role("heading", name="Connect a board"))
    connect.get_by_label("Your ATS").select_option("greenhouse")
    connect.get_by_label("Board name").fill("https://boards.greenhouse.io/vaultline")
    connect.get_by_role("button", name="Connect and sync").click()


def test_an_admin_connects_disconnects_and_reconnects_a_greenhouse_board(
    page, server_url, ats_boards, tenant_a, on_plan
):
    on_plan(tenant_a, "employer_growth")
    lift_posting_limit(tenant_a)
    ats_boards.route("/v1/boards/vaultline", "greenhouse_board.json")
    ats_boards.route("/v1/boards/vaultline/jobs", "greenhouse_jobs.json")
    origin = server_url.replace("//localhost", f"//{tenant_a.slug}.localhost")
    sign_in_to_console(page, origin, owner_of(tenant_a).email, "/console/")
    page.get_by_role("navigation", name="Console").get_by_role("link", name="ATS sync").click()
    expect(page.get_by_role("heading", name="ATS sync", level=1)).to_be_visible()
    expect(page.get_by_text("No board connected yet.")).to_be_visible()

    _connect(page)
    board = page.locator("article.ats-connection")
    expect(board.get_by_role("heading")).to_contain_text("Greenhouse · vaultline")
    expect(board.get_by_role("heading")).to_contain_text("In sync")
    expect(board).to_contain_text(re.compile(r"[1-9]\d* published"))
    expect(board).to_contain_text("rejected")  # the fixture's item without a title
    page.screenshot(path=str(ARTIFACTS / "console-ats-synced.png"), full_page=True)
    assert any(r["path"] == "/v1/boards/vaultline/jobs" for r in ats_boards.requests)

    page.goto(f"{origin}/console/jobs/")
    expect(page.get_by_text(BOARD_JOB).first).to_be_visible()

    page.goto(f"{origin}/console/ats/")
    board.get_by_role("button", name="Disconnect").click()
    expect(page.get_by_text("No board connected yet.")).to_be_visible()

    # Connecting the same board again syncs it again: its jobs are published once more.
    _connect(page)
    expect(board.get_by_role("heading")).to_contain_text("In sync")
    expect(board).to_contain_text(re.compile(r"[1-9]\d* published"))
