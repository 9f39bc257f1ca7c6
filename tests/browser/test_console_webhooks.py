"""An employer admin adds a webhook endpoint in the console, copies its secret, sends a test event to a receiver
that fails, reads the 500 in the delivery log, and redelivers it in place (htmx) once the receiver is back."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_console_jobs import sign_in_to_console
from tests.conftest import owner_of
from tests.webhooks.receiver import Answer, Receiver

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_reads_the_delivery_log_and_redelivers_a_failed_event(page, server_url, tenant_a, on_plan):
    on_plan(tenant_a, "employer_growth")
    origin = server_url.replace("//localhost", f"//{tenant_a.slug}.localhost")
    sign_in_to_console(page, origin, owner_of(tenant_a).email, "/console/webhooks/")

    with Receiver() as receiver:
        page.get_by_label("Endpoint URL").fill(receiver.url)
        page.get_by_label("Description").fill("Our HRIS")
        page.get_by_label("application.received: A candidate applied").check()
        page.get_by_role("button", name="Add endpoint").click()
        secret = page.locator("#new-secret")
        expect(secret).to_contain_text("whsec_")

        receiver.answer(Answer(500, body=b"HRIS is down"))
        page.get_by_role("button", name="Send a test event").click()
        expect(page.get_by_text("Test event queued")).to_be_visible()
        row = page.locator("table.webhook-log tbody tr").first
        expect(row).to_contain_text("webhook.ping")
        expect(row.locator(".response-code")).to_have_text("500")
        expect(row).to_contain_text("Pending")  # a retry is scheduled

        row.get_by_role("button", name="Redeliver").click()
        row = page.locator("table.webhook-log tbody tr").first
        expect(row.locator(".response-code")).to_have_text("200")
        expect(row).to_contain_text("Succeeded")
        expect(row).to_contain_text("2")  # attempts
        page.screenshot(path=str(ARTIFACTS / "console-webhooks-log.png"), full_page=True)

        page.get_by_role("link", name="webhook.ping").first.click()
        expect(page.get_by_text("Redelivered by hand")).to_be_visible()
        expect(page.get_by_text("HRIS is down")).to_be_visible()
        assert len(receiver.requests) == 2
