"""Job pages: the careers portal (list, job, 410, feed, sitemap, robots) and the marketplace (search with facets,
job page, saving jobs and searches), with their isolation, sign-in and bad-input rules."""

import json
import re
import uuid
from xml.etree import ElementTree

import pytest

from jobpilot.jobs.models import JobPosting
from jobpilot.marketplace.models import SavedJob, SavedSearch
from jobpilot.marketplace.services import saved_search_create

pytestmark = pytest.mark.django_db


def unique(word: str) -> str:
    return f"{word}{uuid.uuid4().hex[:6]}"


def jsonld_of(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


def job_path(posting) -> str:
    return f"/jobs/{posting.public_id}/{posting.slug}/"


# --- careers portal -----------------------------------------------------------------------------------------------


def test_the_careers_home_lists_only_the_employers_own_open_jobs(
    client_for, tenant_a, tenant_b, make_posting
):
    own = make_posting(tenant_a, title=unique("Welder"))
    draft = make_posting(tenant_a, status=JobPosting.Status.DRAFT, title=unique("Draft"))
    other = make_posting(tenant_b, title=unique("Globexer"))
    page = client_for(tenant_a).get("/").content.decode()
    assert own.title in page
    assert draft.title not in page
    assert other.title not in page


def test_the_careers_search_narrows_the_list_and_htmx_gets_only_the_results(
    client_for, tenant_a, make_posting
):
    wanted = make_posting(tenant_a, title=unique("Plumber"), job_type="part_time")
    unwanted = make_posting(tenant_a, title=unique("Baker"))
    client = client_for(tenant_a)
    page = client.get("/", {"q": wanted.title}).content.decode()
    assert wanted.title in page and unwanted.title not in page

    partial = client.get("/", {"job_type": "part_time"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="div#results")
    body = partial.content.decode()
    assert "<html" not in body
    assert wanted.title in body and unwanted.title not in body


@pytest.mark.parametrize(
    "query",
    [{"job_type": "astronaut"}, {"page": "0"}, {"salary_min": "lots"}, {"q": "x" * 500}, {"page": "99999"}],
)
def test_bad_search_input_is_reported_not_a_server_error(client_for, public_client, tenant_a, query):
    for client in (client_for(tenant_a), public_client):
        response = client.get("/" if client is not public_client else "/jobs/", query)
        assert response.status_code == 200
        assert 'role="alert"' in response.content.decode()


def test_a_job_page_of_another_employer_is_not_found_on_this_portal(
    client_for, tenant_a, tenant_b, make_posting
):
    other = make_posting(tenant_b, title=unique("Secret"))
    assert client_for(tenant_a).get(job_path(other)).status_code == 404
    assert client_for(tenant_b).get(job_path(other)).status_code == 200


def test_a_malformed_or_unknown_job_id_is_not_found(client_for, tenant_a):
    assert client_for(tenant_a).get("/jobs/not-a-uuid/").status_code == 404
    assert client_for(tenant_a).get(f"/jobs/{uuid.uuid4()}/").status_code == 404


def test_a_closed_job_is_gone_with_links_to_the_open_ones(client_for, tenant_a, make_posting):
    closed = make_posting(tenant_a, status=JobPosting.Status.CLOSED, title=unique("Closed"))
    still_open = make_posting(tenant_a, title=unique("Open"))
    response = client_for(tenant_a).get(job_path(closed))
    assert response.status_code == 410
    page = response.content.decode()
    assert "no longer open" in page
    assert closed.title in page
    assert job_path(still_open) in page


def test_the_job_page_carries_google_for_jobs_json_ld(client_for, tenant_a, make_posting):
    posting = make_posting(
        tenant_a,
        title=unique("Engineer"),
        description="<p>Build <b>things</b> & ship them.</p>",
        job_type="full_time",
        remote="remote",
        applicant_countries=["DE", "AT"],
        salary_min=60000,
        salary_max=80000,
        salary_currency="EUR",
        salary_period="year",
    )
    response = client_for(tenant_a).get(job_path(posting))
    assert response.status_code == 200
    html = response.content.decode()
    data = jsonld_of(html)
    assert data["@context"] == "https://schema.org/"
    assert data["@type"] == "JobPosting"
    assert data["title"] == posting.title
    assert "<b>things</b>" in data["description"]
    assert data["datePosted"].startswith(str(posting.published_at.date()))
    assert data["validThrough"] > data["datePosted"]
    assert data["employmentType"] == "FULL_TIME"
    assert data["hiringOrganization"]["@type"] == "Organization"
    assert data["hiringOrganization"]["name"] == "Acme Corp"
    assert data["hiringOrganization"]["sameAs"] == "http://acme.localhost/"
    assert data["jobLocation"]["address"]["addressCountry"] == "DE"
    assert data["jobLocation"]["address"]["addressLocality"] == "Berlin"
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"] == [
        {"@type": "Country", "name": "DE"},
        {"@type": "Country", "name": "AT"},
    ]
    assert data["baseSalary"] == {
        "@type": "MonetaryAmount",
        "currency": "EUR",
        "value": {"@type": "QuantitativeValue", "unitText": "YEAR", "minValue": 60000, "maxValue": 80000},
    }
    assert data["identifier"] == {
        "@type": "PropertyValue",
        "name": "Acme Corp",
        "value": str(posting.public_id),
    }
    assert data["directApply"] is True
    assert f'<meta property="og:title" content="{posting.title} · Acme Corp">' in html
    assert '<meta property="og:url" content="http://acme.localhost' in html


def test_the_hiring_organization_logo_is_the_branding_logo(
    client_for, tenant_a, make_posting, media_root, branding_plan
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.tenants.test_branding import PNG, save

    save(tenant_a, logo=SimpleUploadedFile("logo.png", PNG, content_type="image/png"))
    posting = make_posting(tenant_a, title=unique("Logo"))
    data = jsonld_of(client_for(tenant_a).get(job_path(posting)).content.decode())
    assert data["hiringOrganization"]["logo"].startswith("http://acme.localhost/media/branding/")


def test_a_description_cannot_break_out_of_the_json_ld_script(client_for, tenant_a, make_posting):
    from jobpilot.syndication.jsonld import as_script

    posting = make_posting(tenant_a, title=unique("Sneaky </script><script>alert(1)</script>"))
    html = client_for(tenant_a).get(job_path(posting)).content.decode()
    assert "<script>alert(1)" not in html
    assert jsonld_of(html)["title"] == posting.title
    assert "</script>" not in as_script({"description": "</script>"})


def test_the_atom_feed_lists_the_employers_open_jobs(client_for, tenant_a, tenant_b, make_posting):
    own = make_posting(tenant_a, title=unique("Feedable"))
    other = make_posting(tenant_b, title=unique("NotHere"))
    response = client_for(tenant_a).get("/jobs/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    titles = [entry.findtext("{http://www.w3.org/2005/Atom}title") for entry in feed]
    assert own.title in titles and other.title not in titles


def test_the_sitemap_lists_the_home_and_every_open_job(client_for, tenant_a, tenant_b, make_posting):
    own = make_posting(tenant_a, title=unique("Mapped"))
    other = make_posting(tenant_b, title=unique("Unmapped"))
    response = client_for(tenant_a).get("/sitemap.xml")
    assert response["Content-Type"] == "application/xml"
    locs = [
        el.text
        for el in ElementTree.fromstring(response.content).iter(
            "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
        )
    ]
    assert "http://acme.localhost/" in locs
    assert f"http://acme.localhost{job_path(own)}" in locs
    assert not any(str(other.public_id) in loc for loc in locs)


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_the_console(client_for, tenant_a):
    body = client_for(tenant_a).get("/robots.txt").content.decode()
    assert "Sitemap: http://acme.localhost/sitemap.xml" in body
    assert "Disallow: /console/" in body


# --- marketplace --------------------------------------------------------------------------------------------------


def test_the_marketplace_search_shows_every_employers_jobs_with_facets(
    public_client, tenant_a, tenant_b, make_posting
):
    word = unique("Kiln")
    a = make_posting(tenant_a, title=f"{word} operator", remote="remote")
    b = make_posting(tenant_b, title=f"{word} designer", job_type="contract")
    page = public_client.get("/jobs/", {"q": word}).content.decode()
    assert a.title in page and b.title in page
    assert "2 jobs" in page
    assert 'name="company" value="acme"' in page and 'name="company" value="globex"' in page
    assert 'value="contract"' in page and "Remote" in page

    narrowed = public_client.get("/jobs/", {"q": word, "company": "globex"}).content.decode()
    assert b.title in narrowed and a.title not in narrowed


def test_the_marketplace_filters_by_pay_in_one_currency_skills_age_and_sorts(
    public_client, tenant_a, tenant_b, make_posting
):
    word = unique("Lathe")
    euros = make_posting(
        tenant_a,
        title=f"{word} euro",
        skills=["Python"],
        salary_min=90_000,
        salary_max=100_000,
        salary_currency="EUR",
    )
    dollars = make_posting(
        tenant_b,
        title=f"{word} dollar",
        skills=["Go"],
        salary_min=95_000,
        salary_max=99_000,
        salary_currency="USD",
    )
    page = public_client.get("/jobs/", {"q": word}).content.decode()
    for control in (
        'name="salary_min"',
        'name="currency"',
        'name="skills"',
        "posted_within=7",
        'name="sort"',
    ):
        assert control in page

    in_euros = public_client.get(
        "/jobs/", {"q": word, "salary_min": "85000", "currency": "EUR"}
    ).content.decode()
    assert euros.title in in_euros and dollars.title not in in_euros
    by_skill = public_client.get("/jobs/", {"q": word, "skills": "go"}).content.decode()
    assert dollars.title in by_skill and euros.title not in by_skill
    recent = public_client.get("/jobs/", {"q": word, "posted_within": "1", "sort": "salary"}).content.decode()
    assert euros.title in recent and dollars.title in recent
    assert '<span aria-current="true">Last 24 hours</span>' in recent
    assert '<option value="salary" selected>' in recent
    bad = public_client.get("/jobs/", {"q": word, "salary_min": "-5", "posted_within": "x"})
    assert bad.status_code == 200 and 'aria-invalid="true"' in bad.content.decode()


def test_the_marketplace_job_page_defers_to_the_careers_page(public_client, tenant_a, make_posting):
    posting = make_posting(tenant_a, title=unique("Market"), job_type="internship")
    html = public_client.get(job_path(posting)).content.decode()
    assert f'<link rel="canonical" href="http://acme.localhost{job_path(posting)}">' in html
    assert "application/ld+json" not in html  # the JobPosting is on the canonical page only


def test_saving_needs_a_signed_in_seeker(public_client, tenant_a, make_posting):
    posting = make_posting(tenant_a, title=unique("Anon"))
    response = public_client.post(f"/saved/{posting.public_id}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    htmx = public_client.post(f"/saved/{posting.public_id}/", HTTP_HX_REQUEST="true")
    assert "/accounts/login/" in htmx["HX-Redirect"]
    assert public_client.get("/saved/").status_code == 302
    assert public_client.get("/saved-searches/").status_code == 302
    assert not SavedJob.objects.exists()


def test_a_seeker_saves_and_unsaves_a_job_with_htmx(public_client, seeker, tenant_a, make_posting):
    posting = make_posting(tenant_a, title=unique("Keeper"))
    public_client.force_login(seeker)
    saved = public_client.post(f"/saved/{posting.public_id}/", {"action": "save"}, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200 and 'aria-pressed="true"' in saved.content.decode()
    assert posting.title in public_client.get("/saved/").content.decode()
    assert 'aria-pressed="true"' in public_client.get(job_path(posting)).content.decode()

    public_client.post(f"/saved/{posting.public_id}/", {"action": "unsave"}, HTTP_HX_REQUEST="true")
    assert not SavedJob.objects.filter(user=seeker).exists()


def test_saving_an_unknown_job_is_not_found(public_client, seeker):
    public_client.force_login(seeker)
    assert public_client.post(f"/saved/{uuid.uuid4()}/").status_code == 404
    assert public_client.post("/saved/garbage/").status_code == 404


def test_a_seeker_never_sees_another_seekers_saved_jobs_or_searches(
    public_client, make_user, tenant_a, make_posting
):
    posting = make_posting(tenant_a, title=unique("Private"))
    alice, bob = make_user(), make_user()
    public_client.force_login(alice)
    public_client.post(f"/saved/{posting.public_id}/", {"action": "save"})
    search = saved_search_create(
        user=alice, tenant=None, name="Alice's search", q="x", filters={}, frequency="daily"
    )

    public_client.force_login(bob)
    assert posting.title not in public_client.get("/saved/").content.decode()
    assert "Alice's search" not in public_client.get("/saved-searches/").content.decode()
    assert public_client.post(f"/saved-searches/{search.pk}/", {"frequency": "weekly"}).status_code == 404
    assert public_client.post(f"/saved-searches/{search.pk}/", {"action": "delete"}).status_code == 404
    search.refresh_from_db()
    assert search.frequency == "daily"


def test_a_closed_saved_job_stays_listed_as_no_longer_open(public_client, seeker, tenant_a, make_posting):
    from django_tenants.utils import tenant_context

    from jobpilot.jobs.services import job_posting_close

    posting = make_posting(tenant_a, title=unique("Fading"))
    public_client.force_login(seeker)
    public_client.post(f"/saved/{posting.public_id}/", {"action": "save"})
    with tenant_context(tenant_a):
        job_posting_close(actor=None, posting=posting)
    page = public_client.get("/saved/").content.decode()
    assert posting.title in page and "No longer open" in page


def test_a_seeker_saves_a_search_and_changes_its_alert_frequency(public_client, seeker):
    public_client.force_login(seeker)
    response = public_client.post(
        "/saved-searches/", {"q": "python", "job_type": "full_time", "name": "Python", "frequency": "weekly"}
    )
    assert response.status_code == 302
    saved = SavedSearch.objects.get(user=seeker)
    assert (saved.q, saved.filters, saved.frequency, saved.tenant) == (
        "python",
        {"job_type": ["full_time"]},
        "weekly",
        None,
    )
    page = public_client.get("/saved-searches/").content.decode()
    assert "Python" in page and "/jobs/?q=python&amp;job_type=full_time" in page

    changed = public_client.post(
        f"/saved-searches/{saved.pk}/", {"frequency": "instant"}, HTTP_HX_REQUEST="true"
    )
    assert "instant alerts" in changed.content.decode()
    saved.refresh_from_db()
    assert saved.frequency == "instant"

    bad = public_client.post(f"/saved-searches/{saved.pk}/", {"frequency": "hourly"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 422 and "instant, daily, weekly or off" in bad.content.decode()

    public_client.post(f"/saved-searches/{saved.pk}/", {"action": "delete"}, HTTP_HX_REQUEST="true")
    assert not SavedSearch.objects.filter(user=seeker).exists()


def test_bad_saved_search_input_is_a_form_error(public_client, seeker):
    public_client.force_login(seeker)
    response = public_client.post(
        "/saved-searches/", {"q": "x", "job_type": "astronaut", "frequency": "daily"}
    )
    assert response.status_code == 422
    assert not SavedSearch.objects.exists()
    response = public_client.post("/saved-searches/", {"q": "x", "frequency": "hourly"})
    assert response.status_code == 422
    assert "Choose how often to alert you: instant, daily, weekly or off." in response.content.decode()


def test_the_plans_saved_search_limit_answers_with_a_clear_message(public_client, seeker):
    public_client.force_login(seeker)
    for q in ("one", "two"):  # the Free plan keeps two
        assert public_client.post("/saved-searches/", {"q": q, "frequency": "daily"}).status_code == 302
    response = public_client.post("/saved-searches/", {"q": "three", "frequency": "daily"})
    assert response.status_code == 402
    page = response.content.decode()
    assert "Your plan allows 2 saved searches" in page
    assert 'href="/account/billing/">Upgrade to Pro</a>' in page
    assert SavedSearch.objects.filter(user=seeker).count() == 2


# --- pricing ------------------------------------------------------------------------------------------------------


def test_the_pricing_page_shows_every_plan_of_the_catalogue(public_client):
    from billing.plans import PLANS

    page = public_client.get("/pricing/").content.decode()
    for plan in PLANS:
        assert f'id="plan-{plan.code}"' in page
    assert "$9</strong> <span>a month" in page
    assert "25 saved jobs" in page and "Unlimited active job postings" in page
    assert "7-day free trial" in page
    assert 'href="/pricing/"' in public_client.get("/").content.decode()


def test_pages_of_one_host_are_not_served_on_the_other(public_client, client_for, tenant_a):
    assert client_for(tenant_a).get("/pricing/").status_code == 404
    assert client_for(tenant_a).get("/saved/").status_code == 404
    assert public_client.get("/jobs/feed/").status_code == 404


def test_result_cards_show_the_matched_words_marked_in_escaped_text(public_client, tenant_a, make_posting):
    word = unique("Numbat")
    make_posting(
        tenant_a,
        title=f"{word} ranger",
        description=f"<p>Count every {word} &lt;b&gt;twice&lt;/b&gt; on the morning walk.</p>",
    )
    page = public_client.get("/jobs/", {"q": word}).content.decode()
    assert f"<mark>{word}</mark> &lt;b&gt;twice&lt;/b&gt;" in page
    assert "<b>twice</b>" not in page
