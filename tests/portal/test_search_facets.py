"""The marketplace page's pay, posted-within and language facets: exact counts on a known fixture, a link (or
checkbox) that narrows the results, the active one shown and removable, bad values reported and never a 500."""

import html
import re
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from jobpilot.marketplace.models import MarketplaceJob

pytestmark = pytest.mark.django_db

GERMAN = "<p>Wir suchen einen erfahrenen Entwickler für unser Team in Berlin. Sie entwickeln Anwendungen.</p>"
ENGLISH = "<p>We are looking for an experienced developer to join our team and build great applications.</p>"
FRENCH = "<p>Nous recherchons un développeur expérimenté pour rejoindre notre équipe à Paris.</p>"


@pytest.fixture
def word(tenant_a, tenant_b, make_posting) -> str:
    """Four jobs of one unique word: pay bands, ages and languages all different."""
    word = f"Kiln{uuid.uuid4().hex[:6]}"
    now = timezone.now()
    jobs = [
        # title suffix, employer, description, yearly pay (EUR), age
        ("one", tenant_a, ENGLISH, (40_000, 50_000), timedelta(hours=2)),
        ("two", tenant_b, GERMAN, (110_000, 120_000), timedelta(days=3)),
        ("three", tenant_a, ENGLISH, None, timedelta(days=10)),
        ("four", tenant_b, FRENCH, (160_000, 170_000), timedelta(days=40)),
    ]
    for suffix, tenant, description, pay, age in jobs:
        salary = {}
        if pay:
            salary = {
                "salary_min": pay[0],
                "salary_max": pay[1],
                "salary_currency": "EUR",
                "salary_period": "year",
            }
        posting = make_posting(tenant, title=f"{word} {suffix}", description=description, **salary)
        # Before any search: the test's index is built from the rows on first use.
        MarketplaceJob.objects.filter(public_id=posting.public_id).update(published_at=now - age)
    return word


def titles(page: str, word: str) -> set[str]:
    return set(re.findall(rf"{word} (one|two|three|four)</a>", page))


def link(page: str, label: str) -> tuple[str, int]:
    match = re.search(
        rf'<li><a href="([^"]+)">{re.escape(label)}</a><span class="count">(\d+)</span></li>', page
    )
    assert match, f"no facet link {label!r}"
    return html.unescape(match.group(1)), int(match.group(2))


def active(page: str, label: str) -> tuple[str, int]:
    match = re.search(
        rf'<span aria-current="true">{re.escape(label)}</span><span class="count">(\d+)</span>'
        r'<a class="facet-remove" href="([^"]+)"',
        page,
    )
    assert match, f"{label!r} is not shown as the active filter"
    return html.unescape(match.group(2)), int(match.group(1))


def get(client, path_and_query: str = "/jobs/", **params) -> str:
    response = client.get(path_and_query, params)
    assert response.status_code == 200
    return response.content.decode()


def test_each_facet_shows_the_exact_count_of_the_matches_it_leaves(public_client, word):
    page = get(public_client, q=word)
    assert titles(page, word) == {"one", "two", "three", "four"}
    pay = {label: link(page, label)[1] for label in ("Pay shown", "30,000 or more", "60,000 or more")}
    assert pay == {"Pay shown": 3, "30,000 or more": 3, "60,000 or more": 2}
    assert link(page, "100,000 or more")[1] == 2 and link(page, "150,000 or more")[1] == 1
    posted = {label: link(page, label)[1] for label in ("Last 24 hours", "Last 7 days", "Last 30 days")}
    assert posted == {"Last 24 hours": 1, "Last 7 days": 2, "Last 30 days": 3}
    languages = dict(
        re.findall(r'name="lang" value="(\w+)"><label[^>]*>\w+</label><span class="count">(\d+)', page)
    )
    assert languages == {"en": "2", "de": "1", "fr": "1"}


def test_following_a_pay_link_narrows_the_results_and_the_active_filter_is_removable(public_client, word):
    url, count = link(get(public_client, q=word), "100,000 or more")
    assert "salary_min=100000" in url and f"q={word}" in url
    narrowed = get(public_client, f"/jobs/{url}")
    assert titles(narrowed, word) == {"two", "four"} and count == 2
    remove, shown = active(narrowed, "100,000 or more")
    assert shown == 2 and "salary_min" not in remove
    # Other facets now count within the narrowed matches.
    assert link(narrowed, "Last 7 days")[1] == 1
    assert titles(get(public_client, f"/jobs/{remove}"), word) == {"one", "two", "three", "four"}


def test_following_a_posted_within_link_narrows_and_a_new_search_keeps_it(public_client, word):
    url, count = link(get(public_client, q=word), "Last 7 days")
    narrowed = get(public_client, f"/jobs/{url}")
    assert titles(narrowed, word) == {"one", "two"} and count == 2
    remove, _shown = active(narrowed, "Last 7 days")
    assert "posted_within" not in remove
    # The search form (its words changed) submits the age with it.
    assert '<input type="hidden" form="search-form" name="posted_within" value="7">' in narrowed
    # Pay links keep the age.
    assert "posted_within=7" in link(narrowed, "Pay shown")[0]


def test_checking_a_language_narrows_to_listings_in_it(public_client, word):
    german = get(public_client, q=word, lang="de")
    assert titles(german, word) == {"two"}
    assert 'name="lang" value="de" checked' in german
    assert titles(get(public_client, q=word, lang=["de", "fr"]), word) == {"two", "four"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"salary_min": "lots"}, "Salary_min"),
        ({"salary_min": "-1"}, "Salary_min"),
        ({"posted_within": "0"}, "Posted_within"),
        ({"posted_within": "400"}, "Posted_within"),
        ({"posted_within": "week"}, "Posted_within"),
        ({"lang": "xx"}, "Lang"),
    ],
)
def test_a_bad_facet_value_in_the_url_is_reported_and_the_search_runs_without_it(
    public_client, word, params, field
):
    response = public_client.get("/jobs/", {"q": word, **params})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="alert"' in page and f"{field}:" in page
    assert titles(page, word) == {"one", "two", "three", "four"}
    # The facet links do not carry the refused value on.
    refused = next(iter(params))
    assert f"{refused}={params[refused]}" not in html.unescape(link(page, "Last 30 days")[0])


def test_the_careers_portal_has_no_marketplace_facets(client_for, tenant_a, word):
    page = get(client_for(tenant_a), "/", q=word)
    assert titles(page, word) == {"one", "three"}  # its own jobs only
    assert "60,000 or more" not in page and 'name="lang"' not in page
