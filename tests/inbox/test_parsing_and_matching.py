"""Reading a raw message (never an exception for malformed mail) and matching it to a tracked application."""

import pytest

from jobpilot.inbox.matching import best_match, company_key, registrable_domain
from jobpilot.inbox.parsing import html_to_text, parse_message
from jobpilot.tracker.models import TrackedApplication
from tests.inbox.mail import recruiting_mail


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x00\xff\xfe",
        b"Subject: =?utf-8?B?!!!?=\r\n\r\nbody",
        b"From: <<<>>>\r\nDate: 99 Foo 99999 99:99\r\nContent-Type: text/plain; charset=x-unknown-charset\r\n\r\n\xe9t\xe9",
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>hi<b>\r\n',
        b"Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n@@@not-base64@@@",
    ],
)
def test_malformed_mail_parses_to_what_can_be_read(raw):
    parsed = parse_message(raw)
    assert isinstance(parsed.text, str) and isinstance(parsed.subject, str)


def test_a_well_formed_mail_gives_sender_subject_date_and_text():
    parsed = parse_message(recruiting_mail(to="x@example.com", sender="Maya Lin <Maya@Hooli.Example>"))
    assert (parsed.sender_address, parsed.sender_domain) == ("maya@hooli.example", "hooli.example")
    assert parsed.subject == "Interview invitation: Senior Platform Engineer"
    assert parsed.sent_at.year == 2026
    assert parsed.message_id.endswith("@mail.example>")


def test_html_becomes_readable_text():
    assert (
        html_to_text("<style>x</style><p>One</p><p>Two<br>Three</p><script>bad()</script>")
        == "One\nTwo\nThree"
    )
    assert html_to_text("") == ""


def test_domains_and_company_names_are_normalized():
    assert registrable_domain("mail.careers.hooli.co.uk") == "hooli.co.uk"
    assert registrable_domain("us.greenhouse-mail.io") == "greenhouse-mail.io"
    assert company_key("Hooli, Inc.") == "hooli"
    assert company_key("Müller Bau GmbH") == "muller bau"


def app(company, title, job_url="", pk=None):
    return TrackedApplication(
        id=pk or f"00000000-0000-0000-0000-{abs(hash((company, title))) % 10**12:012d}",
        company=company,
        title=title,
        job_url=job_url,
    )


def match(applications, *, sender, subject, text=""):
    domain = sender.rsplit("@", 1)[1].rstrip(">") if "@" in sender else ""
    return best_match(applications, sender=sender, sender_domain=domain, subject=subject, text=text)


def test_the_sender_domain_of_the_jobs_site_matches():
    hooli, initech = (
        app("Hooli", "Engineer", "https://careers.hooli.example/jobs/1"),
        app("Initech", "Engineer"),
    )
    found = match([hooli, initech], sender="Maya <maya@hooli.example>", subject="Next steps")
    assert found.application_id == hooli.id


def test_an_ats_sender_matches_through_the_company_named_in_the_job_link():
    acme = app("ACME Corporation", "Backend Developer", "https://boards.greenhouse.io/acme/jobs/123")
    other = app("Initech", "Backend Developer", "https://jobs.lever.co/initech/abc")
    found = match([acme, other], sender="no-reply@greenhouse.io", subject="Thanks for applying to acme")
    assert found.application_id == acme.id
    workday = app("Globex", "Analyst", "https://globex.wd5.myworkdayjobs.com/en-US/External/job/1")
    assert (
        match([workday, other], sender="globex@myworkday.com", subject="Update").application_id == workday.id
    )


def test_the_title_decides_between_two_roles_at_one_company_and_no_title_means_no_guess():
    backend, frontend = app("Hooli", "Backend Engineer"), app("Hooli", "Frontend Engineer")
    found = match([backend, frontend], sender="hr@hooli.example", subject="Hooli: Frontend Engineer update")
    assert found.application_id == frontend.id
    assert match([backend, frontend], sender="hr@hooli.example", subject="Your Hooli application") is None


def test_a_title_alone_or_an_ats_domain_alone_does_not_match():
    backend = app("Hooli", "Backend Engineer")
    assert match([backend], sender="no-reply@greenhouse.io", subject="Backend Engineer at Initech") is None
    assert match([backend], sender="no-reply@greenhouse.io", subject="Thanks for applying") is None
