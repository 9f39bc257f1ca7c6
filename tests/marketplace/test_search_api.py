"""GET /api/v1/jobs/: every parameter filters, sorts or pages as documented; bad parameters answer 422."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from jobpilot.jobs import services
from jobpilot.jobs.models import JobPosting
from jobpilot.marketplace.models import MarketplaceJob
from tenants.models import Tenant
from tenants.services import tenant_set_status

pytestmark = pytest.mark.django_db
SEARCH = "/api/v1/jobs/"


def ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [job["id"] for job in response.json()["results"]]


def search(client, **params) -> list[str]:
    return ids(client.get(SEARCH, params))


@pytest.fixture
def jobs(tenant_a, tenant_b, make_posting):
    """A small, varied market. Each job has one word nobody else uses, so searches can be exact."""
    return {
        "python_berlin": make_posting(
            tenant_a,
            title="Python Developer",
            city="Berlin",
            region="Berlin",
            country="DE",
            job_type="full_time",
            remote="hybrid",
            skills=["Python", "Django"],
            salary_min=60_000,
            salary_max=80_000,
            salary_currency="EUR",
            description="<p>Backend work on our warehouse platform. Word: aardvark.</p>",
        ),
        "nurse_boston": make_posting(
            tenant_b,
            title="Night Nurse",
            city="Boston",
            region="MA",
            country="US",
            job_type="part_time",
            remote="onsite",
            skills=["ICU"],
            salary_min=40,
            salary_max=55,
            salary_period="hour",
            description="<p>Care for patients on the night shift. Word: bandicoot.</p>",
        ),
        "remote_writer": make_posting(
            tenant_b,
            title="Technical Writer",
            city="",
            country="",
            job_type="contract",
            remote="remote",
            applicant_countries=["US", "CA"],
            skills=["Markdown", "Python"],
            description="<p>Write docs about Python tooling. Word: capybara.</p>",
        ),
        "java_munich": make_posting(
            tenant_a,
            title="Java Engineer",
            city="Munich",
            region="Bavaria",
            country="DE",
            job_type="full_time",
            remote="onsite",
            skills=["Java", "Kotlin"],
            salary_min=90_000,
            salary_max=120_000,
            salary_currency="EUR",
            description="<p>Payments in Java, and some Python scripts. Word: dugong.</p>",
        ),
    }


def job_ids(jobs, *names) -> set[str]:
    return {str(jobs[name].public_id) for name in names}


# --- visibility -----------------------------------------------------------------------------------------------


def test_publishing_makes_a_job_searchable_at_once_even_after_a_cached_search(
    tenant_a, make_posting, public_client, django_capture_on_commit_callbacks
):
    assert search(public_client, q="zanzibar") == []  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        posting = make_posting(tenant_a, title="Zanzibar Ferry Captain")
    assert search(public_client, q="zanzibar") == [str(posting.public_id)]


def test_closing_makes_a_job_disappear_at_once_even_after_a_cached_search(
    tenant_a, make_posting, public_client, client_for, django_capture_on_commit_callbacks
):
    posting = make_posting(tenant_a, title="Yodeling Coach")
    portal = client_for(tenant_a)
    assert search(public_client, q="yodeling") == search(portal, q="yodeling") == [str(posting.public_id)]
    with django_capture_on_commit_callbacks(execute=True), tenant_context(tenant_a):
        services.job_posting_close(actor=None, posting=posting)
    assert search(public_client, q="yodeling") == []
    assert search(portal, q="yodeling") == []
    assert public_client.get(f"{SEARCH}{posting.public_id}/").status_code == 404


def test_suspending_an_employer_makes_its_jobs_disappear_at_once(
    tenant_a, make_posting, public_client, django_capture_on_commit_callbacks
):
    posting = make_posting(tenant_a, title="Xylophone Tuner")
    assert search(public_client, q="xylophone") == [str(posting.public_id)]
    with django_capture_on_commit_callbacks(execute=True):
        tenant_set_status(tenant=tenant_a, status=Tenant.Status.SUSPENDED)
    assert search(public_client, q="xylophone") == []


def test_a_draft_never_appears(tenant_a, make_posting, public_client, client_for):
    draft = make_posting(tenant_a, status=JobPosting.Status.DRAFT, title="Walrus Trainer")
    assert search(public_client, q="walrus") == []
    assert search(public_client) == []
    assert search(client_for(tenant_a)) == []
    assert public_client.get(f"{SEARCH}{draft.public_id}/").status_code == 404


def test_an_employers_domain_searches_only_that_employers_jobs(
    jobs, tenant_a, tenant_b, client_for, public_client
):
    assert set(search(client_for(tenant_a))) == job_ids(jobs, "python_berlin", "java_munich")
    assert set(search(client_for(tenant_b), q="python")) == job_ids(jobs, "remote_writer")
    assert set(search(public_client, q="python")) == job_ids(
        jobs, "python_berlin", "remote_writer", "java_munich"
    )
    assert client_for(tenant_a).get(f"{SEARCH}{jobs['nurse_boston'].public_id}/").status_code == 404


# --- every parameter ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "aardvark"}, {"python_berlin"}),
        ({"q": "nurses"}, {"nurse_boston"}),  # stemmed
        ({"q": '"night shift"'}, {"nurse_boston"}),
        ({"q": '"shift night"'}, set()),
        ({"q": "python -java"}, {"python_berlin", "remote_writer"}),
        ({"q": "bandicoot or capybara"}, {"nurse_boston", "remote_writer"}),
        ({"location": "berlin"}, {"python_berlin"}),
        ({"location": "DE"}, {"python_berlin", "java_munich"}),
        ({"location": "Munich, de"}, {"java_munich"}),
        ({"location": "Munich, US"}, set()),
        ({"location": "Germany"}, {"python_berlin", "java_munich"}),  # a country's name is its code
        ({"location": "Munich, Deutschland"}, {"java_munich"}),
        ({"location": "Remote"}, {"remote_writer"}),  # no place: a wish for remote jobs
        ({"location": "remote", "remote": "hybrid"}, {"python_berlin", "remote_writer"}),
        ({"job_type": "part_time"}, {"nurse_boston"}),
        ({"job_type": "full-time,contract"}, {"python_berlin", "java_munich", "remote_writer"}),
        ({"remote": "remote"}, {"remote_writer"}),
        ({"remote": "onsite,hybrid"}, {"python_berlin", "nurse_boston", "java_munich"}),
        ({"remote": "true"}, {"remote_writer"}),
        ({"remote": "false"}, {"python_berlin", "nurse_boston", "java_munich"}),
        ({"salary_min": 85_000}, {"nurse_boston", "java_munich"}),  # 55/hour is 114,400 a year
        ({"salary_max": 70_000}, {"python_berlin"}),
        ({"salary_min": 100_000, "salary_max": 110_000}, {"nurse_boston", "java_munich"}),
        ({"salary_min": 1, "currency": "eur"}, {"python_berlin", "java_munich"}),
        ({"company": "globex"}, {"nurse_boston", "remote_writer"}),
        ({"company": "acme,globex", "q": "dugong"}, {"java_munich"}),
        ({"skills": "python"}, {"python_berlin", "remote_writer"}),
        ({"skills": "Python,Django"}, {"python_berlin"}),
        ({"skills": "python", "job_type": "contract", "remote": "remote", "q": "docs"}, {"remote_writer"}),
    ],
)
def test_each_parameter_filters(jobs, public_client, params, expected):
    assert set(search(public_client, **params)) == job_ids(jobs, *expected)


def test_posted_within_keeps_only_recent_jobs(jobs, public_client):
    MarketplaceJob.objects.filter(public_id=jobs["java_munich"].public_id).update(
        published_at=timezone.now() - timedelta(days=10)
    )
    recent = set(search(public_client, posted_within=7))
    assert str(jobs["java_munich"].public_id) not in recent
    assert len(recent) == 3
    assert len(search(public_client, posted_within=30)) == 4


def test_a_query_of_only_stop_words_does_not_filter_everything_out(jobs, public_client):
    assert len(search(public_client, q="the and of")) == 4


# --- ordering -------------------------------------------------------------------------------------------------


def test_a_title_match_ranks_above_a_newer_description_only_match(tenant_a, make_posting, public_client):
    in_title = make_posting(tenant_a, title="Llama Groomer", description="<p>Grooming animals.</p>")
    in_text = make_posting(
        tenant_a, title="Farm Hand", description="<p>Llama, llama and more llama: feed the llama herd.</p>"
    )
    in_skills = make_posting(tenant_a, title="Animal Carer", skills=["Llama handling"])
    assert in_text.published_at > in_title.published_at
    assert search(public_client, q="llama") == [
        str(in_title.public_id),
        str(in_skills.public_id),
        str(in_text.public_id),
    ]


def test_newest_sort_puts_the_latest_first_and_salary_sort_the_best_paid(jobs, public_client):
    newest = search(public_client, sort="newest")
    assert newest == [
        str(jobs[name].public_id)
        for name in ("java_munich", "remote_writer", "nurse_boston", "python_berlin")
    ]
    by_salary = search(public_client, sort="salary")
    assert by_salary[:3] == [
        str(jobs[name].public_id) for name in ("java_munich", "nurse_boston", "python_berlin")
    ]
    assert by_salary[3] == str(jobs["remote_writer"].public_id)  # no salary: last


def test_relevance_without_words_is_newest_first(jobs, public_client):
    assert search(public_client) == search(public_client, sort="newest")


# --- pagination and facets ------------------------------------------------------------------------------------


def test_totals_are_exact_and_pages_follow_the_cursor(jobs, public_client):
    body = public_client.get(SEARCH, {"limit": 3}).json()
    pagination = dict(body["pagination"])
    cursor = pagination.pop("next_cursor")
    assert pagination == {"page": 1, "limit": 3, "total": 4, "pages": 2, "total_is_estimate": False}
    second = public_client.get(SEARCH, {"limit": 3, "page": 2}).json()
    assert len(second["results"]) == 1
    assert not set(ids_of(body)) & set(ids_of(second))
    by_cursor = public_client.get(SEARCH, {"limit": 3, "cursor": cursor}).json()
    assert ids_of(by_cursor) == ids_of(second)
    assert public_client.get(SEARCH, {"limit": 3, "page": 3}).json()["results"] == []


def ids_of(body) -> list[str]:
    return [job["id"] for job in body["results"]]


@pytest.mark.parametrize("params", [{"sort": "newest"}, {"sort": "salary"}, {"q": "python"}])
def test_the_cursor_walks_every_match_once_in_every_sort(jobs, public_client, params):
    seen, cursor = [], ""
    while True:
        body = public_client.get(SEARCH, {**params, "limit": 1, "cursor": cursor}).json()
        seen += ids_of(body)
        cursor = body["pagination"]["next_cursor"]
        if not cursor:
            break
    first = public_client.get(SEARCH, {**params, "limit": 100}).json()
    assert seen == ids_of(first)
    assert len(seen) == first["pagination"]["total"]


def test_a_cursor_of_another_sort_or_a_forged_one_is_a_422(jobs, public_client):
    cursor = public_client.get(SEARCH, {"sort": "newest", "limit": 1}).json()["pagination"]["next_cursor"]
    for params in ({"sort": "salary", "cursor": cursor}, {"cursor": "bm90LWEtY3Vyc29y"}, {"cursor": "%%%"}):
        response = public_client.get(SEARCH, params)
        assert response.status_code == 422
        assert [error["field"] for error in response.json()["errors"]] == ["cursor"]


def test_facets_count_the_matching_jobs(jobs, public_client):
    facets = public_client.get(SEARCH, {"q": "python"}).json()["facets"]
    assert facets["job_type"] == [{"value": "full_time", "count": 2}, {"value": "contract", "count": 1}]
    assert {item["value"]: item["count"] for item in facets["remote"]} == {
        "hybrid": 1,
        "remote": 1,
        "onsite": 1,
    }
    assert facets["locations"] == [
        {"city": "Berlin", "country": "DE", "count": 1},
        {"city": "Munich", "country": "DE", "count": 1},
    ]
    assert facets["companies"] == [
        {"slug": "acme", "name": "Acme Corp", "count": 2},
        {"slug": "globex", "name": "Globex", "count": 1},
    ]
    assert facets["is_estimate"] is False
    assert facets["posted_within"] == [{"days": d, "count": 3} for d in (1, 7, 30)]
    assert {(b["min"], b["count"]) for b in facets["salary_bands"] if b["count"]} == {
        (60_000, 1),
        (100_000, 1),
    }
    assert public_client.get(SEARCH, {"q": "python", "facets": "false"}).json()["facets"] is None


def test_a_result_card_has_the_listing_fields(jobs, public_client):
    card = public_client.get(SEARCH, {"q": "aardvark"}).json()["results"][0]
    assert card["company"] == {"name": "Acme Corp", "slug": "acme", "logo_url": ""}
    assert card["location"] == {
        "city": "Berlin",
        "region": "Berlin",
        "country": "DE",
        "text": "Berlin, Berlin, DE",
    }
    assert card["salary"] == {"min": 60000, "max": 80000, "currency": "EUR", "period": "year"}
    assert card["skills"] == ["Python", "Django"]
    assert card["summary"].startswith("Backend work")
    assert "tenant" not in card and "posting_id" not in card


@pytest.mark.parametrize(
    "params",
    [
        {"q": "aardvark"},
        {"q": "python", "facets": "true"},
        {"sort": "newest", "limit": 2},
        {"facets": "false"},
    ],
)
def test_the_answer_is_exactly_the_declared_model(jobs, public_client, params):
    """The view renders what the selector built without validating it again: it must be the model's fields,
    no more (nothing internal leaks) and no fewer."""
    import json

    from ninja.responses import NinjaJSONEncoder

    from jobpilot.marketplace.schemas import SearchOut

    body = public_client.get(SEARCH, params).json()
    assert body["results"]
    validated = SearchOut.model_validate(body).model_dump()
    assert json.loads(json.dumps(validated, cls=NinjaJSONEncoder)) == body


# --- bad input ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"page": 0}, "page"),
        ({"page": 501}, "page"),  # beyond the first 10,000 results at 20 a page: the cursor goes deeper
        ({"job_type": "forever"}, "job_type"),
        ({"remote": "sometimes"}, "remote"),
        ({"salary_min": -5}, "salary_min"),
        ({"salary_min": "lots"}, "salary_min"),
        ({"salary_min": 100, "salary_max": 50}, "salary_max"),
        ({"currency": "euro"}, "currency"),
        ({"posted_within": 0}, "posted_within"),
        ({"posted_within": 1000}, "posted_within"),
        ({"sort": "random"}, "sort"),
        ({"q": "x" * 201}, "q"),
        ({"location": "x" * 101}, "location"),
        ({"company": "Not A Slug!"}, "company"),
        ({"skills": ",".join(f"s{n}" for n in range(11))}, "skills"),
        ({"facets": "maybe"}, "facets"),
    ],
)
def test_a_bad_parameter_answers_422_naming_it(public_tenant, public_client, params, field):
    response = public_client.get(SEARCH, params)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert [error["field"] for error in body["errors"]] == [field]


@pytest.mark.parametrize("q", ['"unclosed', "a & b | !c", "-", "or or or", "(((", "'quote", "<script>"])
def test_any_query_text_is_searchable_syntax_never_an_error(jobs, public_client, q):
    assert public_client.get(SEARCH, {"q": q}).status_code == 200


def test_words_get_a_description_snippet_with_highlight_ranges_and_no_markup(
    public_client, tenant_a, make_posting
):
    make_posting(
        tenant_a,
        title="Wombat keeper",
        description="<p>You feed the wombats daily &lt;script&gt;alert(1)&lt;/script&gt; and clean their burrows.</p>",
    )
    job = public_client.get(SEARCH, {"q": "wombat"}).json()["results"][0]
    snippet = job["snippet"]
    assert [snippet["text"][start:end] for start, end in snippet["highlights"]] == ["wombats"]
    assert "<script>" in snippet["text"]  # plain text as written: escaping is the client's (documented)
    assert "<p>" not in snippet["text"]
    assert public_client.get(SEARCH, {"company": "acme"}).json()["results"][0]["snippet"] is None


def test_lang_filters_by_the_detected_language_and_rejects_unknown_codes(
    public_client, tenant_a, make_posting
):
    german = make_posting(
        tenant_a,
        title="Softwareentwickler Quokka",
        description="<p>Wir suchen einen erfahrenen Entwickler für unser Team in Berlin. Sie entwickeln Anwendungen.</p>",
    )
    english = make_posting(
        tenant_a,
        title="Quokka software developer",
        description="<p>We are looking for an experienced developer to join our team and build applications.</p>",
    )
    assert search(public_client, q="quokka", lang="de") == [str(german.public_id)]
    assert search(public_client, q="quokka", lang="en") == [str(english.public_id)]
    assert search(public_client, q="Entwicklerin", lang="de") == [str(german.public_id)]
    facets = public_client.get(SEARCH, {"q": "quokka"}).json()["facets"]
    assert facets["languages"] == [{"value": "de", "count": 1}, {"value": "en", "count": 1}]
    bad = public_client.get(SEARCH, {"lang": "xx"})
    assert bad.status_code == 422 and "lang" in bad.content.decode()


def test_the_language_facet_counts_only_the_hosts_scope(
    public_client, client_for, tenant_a, tenant_b, make_posting
):
    make_posting(
        tenant_a,
        title="Quokka software developer",
        description="<p>We are looking for an experienced developer to join our team and build applications.</p>",
    )
    make_posting(
        tenant_b,
        title="Développeur Quokka",
        description="<p>Nous recherchons un développeur expérimenté pour rejoindre notre équipe à Paris.</p>",
    )
    everyone = public_client.get(SEARCH, {"q": "quokka"}).json()["facets"]["languages"]
    assert everyone == [{"value": "en", "count": 1}, {"value": "fr", "count": 1}]
    own = client_for(tenant_a).get(SEARCH, {"q": "quokka"}).json()["facets"]["languages"]
    assert own == [{"value": "en", "count": 1}]
