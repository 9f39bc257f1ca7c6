"""The tantivy backend on a fixed fixture where ranks, totals and facets are known."""

from datetime import UTC, datetime, timedelta

import pytest

from jobpilot.search.backend import Page, SearchDocument, SearchFilters, Sort
from jobpilot.search.query import parse
from jobpilot.search.tantivy_backend import TantivyBackend

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def doc(n, title, skills=(), description="", company="Acme", **fields) -> SearchDocument:
    return SearchDocument(
        public_id=f"job-{n}",
        row_id=n,
        title=title,
        skills=tuple(skills),
        skill_keys=tuple(s.lower() for s in skills),
        description=description,
        company=company,
        company_slug=company.lower(),
        published_at=NOW - timedelta(days=fields.pop("age", n)),
        **fields,
    )


DOCS = [
    doc(
        1,
        "Senior Python Developer",
        ["Python", "Django"],
        "Build APIs.",
        "Acme",
        city="Berlin",
        country="DE",
        location_keys=("berlin", "de"),
        job_type="full_time",
        remote="hybrid",
        salary_annual_min=70_000,
        salary_annual_max=90_000,
        currency="EUR",
    ),
    doc(
        2,
        "Data Analyst",
        ["SQL"],
        "We use python for reports.",
        "Beta",
        city="Paris",
        country="FR",
        location_keys=("paris", "fr"),
        job_type="part_time",
        remote="onsite",
        salary_annual_min=40_000,
        salary_annual_max=50_000,
        currency="EUR",
    ),
    doc(
        3,
        "Rust Engineer",
        ["Rust"],
        "Systems work, no python.",
        "Gamma",
        job_type="contract",
        remote="remote",
        salary_annual_min=110_000,
        salary_annual_max=120_000,
        currency="USD",
        age=40,
    ),
    doc(
        4,
        "Python Data Engineer",
        ["Python", "Spark"],
        "Pipelines and data.",
        "Delta",
        job_type="full_time",
        remote="remote",
    ),
]


@pytest.fixture
def engine(tmp_path):
    e = TantivyBackend(tmp_path / "index")
    e.apply(upserts=DOCS, deletes=[], cursor=1)
    return e


def ids(engine, page=None, **filters) -> list[int]:
    return engine.search(SearchFilters(**filters), page or Page(), now=NOW).row_ids


def test_title_match_ranks_over_description_match_with_exact_total_and_facets(engine):
    found = engine.search(SearchFilters(text="python"), Page(facets=True), now=NOW)
    assert found.total == 4
    assert set(found.row_ids[:2]) == {1, 4}  # title (and skill) matches first
    assert found.facets["job_type"] == [
        {"value": "full_time", "count": 2},
        {"value": "contract", "count": 1},
        {"value": "part_time", "count": 1},
    ]
    assert found.facets["locations"] == [
        {"city": "Berlin", "country": "DE", "count": 1},
        {"city": "Paris", "country": "FR", "count": 1},
    ]
    assert found.facets["companies"][0] == {"slug": "acme", "name": "Acme", "count": 1}
    bands = {(b["min"], b["max"]): b["count"] for b in found.facets["salary_bands"]}
    assert bands[(30_000, 60_000)] == 1 and bands[(60_000, 100_000)] == 1 and bands[(100_000, 150_000)] == 1
    assert found.facets["posted_within"] == [
        {"days": 1, "count": 1},
        {"days": 7, "count": 3},
        {"days": 30, "count": 3},
    ]


def test_phrase_exclusion_or_stop_words_and_filters(engine):
    assert ids(engine, text='"data engineer"') == [4]
    assert ids(engine, text='"engineer data"') == []
    assert set(ids(engine, text="python -rust")) == {1, 2, 4}
    assert set(ids(engine, text="-python")) == set()
    assert set(ids(engine, text="rust or spark")) == {3, 4}
    assert len(ids(engine, text="the and of")) == 4
    assert ids(engine, text="python", remote=("remote",), salary_min=100_000) == [3]
    assert ids(engine, location=("de",)) == [1]
    assert set(ids(engine, skills=("python",))) == {1, 4}
    assert ids(engine, salary_min=1, currency="USD") == [3]
    assert ids(engine, salary_max=45_000) == [2]
    assert set(ids(engine, posted_since=NOW - timedelta(days=3))) == {1, 2}
    assert ids(engine, companies=("gamma",)) == [3]


@pytest.mark.parametrize(
    "text", ['"unclosed', "a & b | !c", "-", "or or or", "(((", "title:x^3", "*", "[1 TO 2]"]
)
def test_any_text_is_a_query(engine, text):
    ids(engine, text=text)


def test_typo_falls_back_to_fuzzy_and_synonyms_come_from_the_taxonomy(engine):
    assert ids(engine, text="rsut") == [3]
    assert "python" in parse("py").positive  # `py` is an alternative label of Python


def test_sorts_and_search_after_pages_through_everything(engine):
    assert ids(engine, Page(sort=Sort.NEWEST)) == [1, 2, 4, 3]
    assert ids(engine, Page(sort=Sort.SALARY)) == [3, 1, 2, 4]  # no salary: last
    seen, after = [], None
    while True:
        found = engine.search(SearchFilters(), Page(sort=Sort.NEWEST, limit=1, after=after), now=NOW)
        assert found.total == 4
        seen += found.row_ids
        if found.next_after is None:
            break
        after = found.next_after
    assert seen == [1, 2, 4, 3]
    page = engine.search(SearchFilters(text="python"), Page(offset=3, limit=2), now=NOW)
    assert page.total == 4 and len(page.row_ids) == 1


def test_expired_jobs_are_not_counted(engine):
    engine.apply(upserts=[doc(5, "Python Intern", expires_at=NOW - timedelta(hours=1))], deletes=[], cursor=2)
    assert 5 not in ids(engine, text="python")


def test_expire_deletes_jobs_past_their_time_and_says_when_the_next_one_is_due(engine):
    now = datetime.now(UTC)
    soon = doc(6, "Python Temp", expires_at=now + timedelta(seconds=5))
    engine.apply(upserts=[soon], deletes=[], cursor=2)
    assert 6 in ids(engine, text="python")
    assert 4 < engine.expire(now) <= 5  # nothing past its time yet: no commit, the next expiry in 5 s
    assert engine.expire(now + timedelta(seconds=6)) is None
    assert 6 not in ids(engine, text="python") and engine.search(SearchFilters(), Page()).total == 4


def test_update_and_delete_replace_the_document(engine):
    engine.apply(upserts=[doc(3, "Go Engineer", ["Go"], company="Gamma")], deletes=["job-1"], cursor=2)
    assert ids(engine, text="rust") == []
    assert 1 not in ids(engine, text="python")
    assert engine.cursor() == 2


def test_matching_tests_one_document_against_many_searches(engine):
    searches = [SearchFilters(text="python"), SearchFilters(text="rust"), SearchFilters(location=("de",))]
    assert engine.matching(DOCS[0], searches, now=NOW) == [0, 2]


def test_suggest_completes_whole_titles_skills_companies_and_locations(engine):
    found = engine.suggest("py")
    assert ("python", "skill", 2) in [(s.text, s.kind, s.count) for s in found]
    assert "python data engineer" in [s.text for s in found]
    assert [s.text for s in engine.suggest("ber")] == ["berlin"]
    assert engine.suggest("  ") == [] and engine.suggest("(*[") == []
    assert engine.suggest("ga", tenant_id=7) == []


def test_a_corrupt_index_opens_empty_without_a_cursor(tmp_path):
    path = tmp_path / "index"
    TantivyBackend(path).apply(upserts=DOCS, deletes=[], cursor=5)
    (path / "meta.json").write_text("not json")
    (path / "applied-cursor").unlink()
    reopened = TantivyBackend(path)
    assert reopened.cursor() is None
    assert reopened.search(SearchFilters(), Page()).total == 0


def test_highest_pay_compares_currencies_by_value(tmp_path):
    """USD 95,000 is less than EUR 100,000 (and than GBP 80,000); pay in a currency without a reference rate
    cannot be compared and sorts with the jobs that publish none."""
    engine = TantivyBackend(tmp_path / "pay")
    pay = {1: (95_000, "USD"), 2: (100_000, "EUR"), 3: (80_000, "GBP"), 4: (9_000_000, "XTS"), 5: (None, "")}
    docs = [
        doc(n, f"Engineer {n}", currency=currency, salary_annual_min=amount, salary_annual_max=amount)
        for n, (amount, currency) in pay.items()
    ]
    engine.apply(upserts=docs, deletes=[], cursor=None)
    assert ids(engine, Page(sort=Sort.SALARY)) == [2, 3, 1, 5, 4]
    # Within one currency the order is the amounts' own.
    assert ids(engine, Page(sort=Sort.SALARY), currency="USD") == [1]


# --- language, quality, schema ------------------------------------------------------------------------------------


def test_a_german_query_finds_german_postings_stemmed_in_german(tmp_path):
    engine = TantivyBackend(tmp_path / "index")
    engine.apply(
        upserts=[
            doc(
                1,
                "Softwareentwickler Backend",
                description="Wir suchen Entwickler für Anwendungen.",
                language="de",
            ),
            doc(2, "Backend Developer", description="We are looking for developers.", language="en"),
            doc(3, "Développeur backend", description="Nous recherchons des développeurs.", language="fr"),
        ],
        deletes=[],
        cursor=1,
    )
    german = engine.search(SearchFilters(text="Entwicklerin"), Page(), now=NOW)
    assert german.row_ids == [1]
    assert engine.search(SearchFilters(text="developers"), Page(), now=NOW).row_ids == [2]
    assert engine.search(SearchFilters(text="développeurs"), Page(), now=NOW).row_ids == [3]
    only_fr = engine.search(SearchFilters(text="backend", languages=("fr",)), Page(), now=NOW)
    assert only_fr.row_ids == [3]


def test_the_language_facet_counts_the_undetected_as_english(tmp_path):
    engine = TantivyBackend(tmp_path / "index")
    engine.apply(
        upserts=[
            doc(1, "Entwickler", language="de"),
            doc(2, "Developer", language="en"),
            doc(3, "Dev", language=""),
            doc(4, "Entwicklerin", language="de"),
            doc(5, "Ontwikkelaar", language="nl"),
        ],
        deletes=[],
        cursor=1,
    )
    found = engine.search(SearchFilters(), Page(facets=True), now=NOW)
    assert found.facets["languages"] == [
        {"value": "de", "count": 2},
        {"value": "en", "count": 2},
        {"value": "nl", "count": 1},
    ]


def test_language_detection_of_a_listing():
    from jobpilot.search.language import detect

    assert (
        detect("Softwareentwickler (m/w/d)", "Wir suchen eine erfahrene Entwicklerin für unser Team.") == "de"
    )
    assert detect("Backend engineer", "We are looking for an engineer to build our APIs with Django.") == "en"
    assert detect("Java", "") == ""  # too short to tell: indexed as English


def test_with_equal_text_match_the_better_quality_job_ranks_first(tmp_path):
    engine = TantivyBackend(tmp_path / "index")
    same = {"description": "Build APIs.", "age": 40}
    engine.apply(
        upserts=[
            doc(1, "Rust Engineer", **same),
            doc(2, "Rust Engineer", **same, tenant_id=7, salary_annual_min=50_000, salary_annual_max=60_000),
        ],
        deletes=[],
        cursor=1,
    )
    assert engine.search(SearchFilters(text="rust"), Page(), now=NOW).row_ids == [2, 1]


def test_the_signals_rescore_the_top_window_and_pages_cross_its_edge_without_duplicates_or_holes(
    tmp_path, monkeypatch
):
    from jobpilot.search import tantivy_backend

    monkeypatch.setattr(tantivy_backend, "RESCORE_WINDOW", 5)
    engine = TantivyBackend(tmp_path / "index")
    # One word in every title; the title's length spreads BM25, age and pay move the signals.
    jobs = [
        doc(
            n,
            "Rust " + "engineer " * (n % 4),
            description="Build APIs.",
            age=(n * 7) % 45,
            **({"salary_annual_min": 50_000, "salary_annual_max": 60_000} if n % 3 == 0 else {}),
        )
        for n in range(1, 24)
    ]
    engine.apply(upserts=jobs, deletes=[], cursor=1)
    everything = engine.search(SearchFilters(text="rust"), Page(limit=100), now=NOW).row_ids
    assert len(everything) == 23
    for limit in (2, 3, 4, 7):
        seen, offset = [], 0
        while offset < 23:
            found = engine.search(SearchFilters(text="rust"), Page(limit=limit, offset=offset), now=NOW)
            assert found.total == 23
            seen += found.row_ids
            offset += limit
        assert seen == everything  # the same order at every page size: no duplicates, no holes
    # Inside the window the signals count: with equal text, the newest job with pay beats an older one
    # without; beyond it the order is BM25's alone.
    monkeypatch.setattr(tantivy_backend, "RESCORE_WINDOW", 100)
    rescored = engine.search(SearchFilters(text="rust"), Page(limit=100), now=NOW).row_ids
    monkeypatch.setattr(tantivy_backend, "RESCORE_WINDOW", 0)
    plain = engine.search(SearchFilters(text="rust"), Page(limit=100), now=NOW).row_ids
    assert sorted(rescored) == sorted(plain) and rescored != plain
    assert everything[5:] == [row for row in plain if row not in everything[:5]]


def test_facets_of_a_search_without_words_are_kept_per_commit_and_posted_within_follows_the_clock(engine):
    def facets(now=NOW, **filters):
        found = engine.search(SearchFilters(**filters), Page(facets=True), now=now)
        return found.total, found.facets

    first = facets(remote=("remote",))
    assert first == facets(remote=("remote",))  # the kept counts are the counted ones
    assert first[0] == 2 and first[1]["job_type"] == [
        {"value": "contract", "count": 1},
        {"value": "full_time", "count": 1},
    ]
    # The clock moves the posted-within counts without a commit (job 4 is 4 days old, job 3 40).
    later = facets(now=NOW + timedelta(days=4), remote=("remote",))[1]["posted_within"]
    assert later == [{"days": 1, "count": 0}, {"days": 7, "count": 0}, {"days": 30, "count": 1}]
    # Every commit drops the kept counts: an upsert and a delete show at once.
    engine.apply(
        upserts=[doc(5, "Go Engineer", job_type="internship", remote="remote")], deletes=["job-3"], cursor=2
    )
    total, after = facets(remote=("remote",))
    assert total == 2
    assert after["job_type"] == [{"value": "full_time", "count": 1}, {"value": "internship", "count": 1}]
    # Callers may change what they get: the kept copy stays intact.
    after["job_type"].clear()
    assert facets(remote=("remote",))[1]["job_type"]


def test_an_index_with_an_older_schema_is_dropped_for_a_rebuild(tmp_path):
    import tantivy

    path = tmp_path / "index"
    path.mkdir()
    old = tantivy.SchemaBuilder()
    old.add_text_field("title", tokenizer_name="en_stem")
    index = tantivy.Index(old.build(), path=str(path))
    writer = index.writer(15_000_000, 1)
    writer.add_document(tantivy.Document(title="old"))
    writer.commit()
    (path / "applied-cursor").write_text("5")
    engine = TantivyBackend(path)
    assert engine.cursor() is None  # the indexer rebuilds it
    engine.apply(upserts=[doc(1, "Fresh job")], deletes=[], cursor=6)
    assert engine.search(SearchFilters(text="fresh"), Page(), now=NOW).row_ids == [1]
