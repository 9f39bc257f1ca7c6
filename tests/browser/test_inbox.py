"""The inbox end to end in Chromium: a recruiter's mail sent with smtplib to the seeker's forwarding address
(through the real receiver), listed on /inbox/ with its suggestion, confirmed with one click on a phone, and the
tracker follows."""

import smtplib
import socket

import pytest
from playwright.sync_api import expect

from jobpilot.inbox.selectors import forwarding_email
from jobpilot.inbox.services import forwarding_address_enable
from jobpilot.inbox.smtp import inbox_smtp_controller
from jobpilot.tracker.models import TrackedApplication
from tests.browser.test_seeker_jobs import sign_in
from tests.inbox.mail import recruiting_mail
from tests.seeker_factories import track_external

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_forwarded_invitation_is_confirmed_with_one_click_on_a_phone(
    new_page, server_url, public_tenant, make_user, on_plan
):
    seeker = make_user()
    on_plan(seeker, "seeker_pro")
    application = track_external(seeker, company="Hooli", title="Senior Platform Engineer")
    to = forwarding_email(forwarding_address_enable(seeker=seeker))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    receiver = inbox_smtp_controller(host="127.0.0.1", port=port)
    receiver.start()
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
            client.sendmail("recruiting@hooli.example", [to], recruiting_mail(to=to))
    finally:
        receiver.stop()

    page = new_page(width=375, height=740)
    sign_in(page, server_url, seeker.email)
    page.goto(f"{server_url}/tracker/")
    page.get_by_role("link", name="Updates from your email").click()
    expect(page.get_by_text(to)).to_be_visible()
    expect(page.get_by_text("Interview invitation: Senior Platform Engineer")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert TrackedApplication.objects.get(pk=application.pk).status == "applied"  # nothing changed by itself

    page.get_by_role("button", name="Mark as Interviewing").click()

    expect(page.get_by_text("Senior Platform Engineer at Hooli is now Interviewing.")).to_be_visible()
    expect(page.get_by_role("button", name="Mark as Interviewing")).to_have_count(0)
    assert TrackedApplication.objects.get(pk=application.pk).status == "interviewing"
