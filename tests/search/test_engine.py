"""The tantivy backend on a fixed fixture where ranks, totals and facets are known."""

import pytest

from jobpilot.search.backend import SearchDocument, SearchQuery
from jobpilot.search.tantivy_backend import TantivyBackend

DOCS = [
    SearchDocument(
        1,
        "Senior Python Developer",
        "python, django",
        "Build APIs.",
        "Acme",
        "Berlin de",
        "full_time",
        "hybrid",
        "de",
        90_000,
        1_000,
    ),
    SearchDocument(
        2,
        "Data Analyst",
        "sql",
        "We use python for reports.",
        "Beta",
        "Paris fr",
        "part_time",
        "onsite",
        "fr",
        50_000,
        2_000,
    ),
    SearchDocument(
        3,
        "Rust Engineer",
        "rust",
        "Systems work, no python.",
        "Gamma",
        "Remote",
        "contract",
        "remote",
        "",
        120_000,
        3_000,
    ),
    SearchDocument(
        4,
        "Python Data Engineer",
        "python, spark",
        "Pipelines and data.",
        "Delta",
        "Remote",
        "full_time",
        "remote",
        "",
        0,
        4_000,
    ),
]


@pytest.fixture
def engine(tmp_path):
    e = TantivyBackend(tmp_path / "index")
    e.index(DOCS)
    return e


def test_title_match_ranks_over_description_match_with_exact_total_and_facets(engine):
    found = engine.search(SearchQuery(text="python"))
    assert found.total == 4
    assert set(found.ids[:2]) == {1, 4}  # title matches first
    assert found.ids[-1] in {2, 3}
    assert found.facets["job_type"] == {"full_time": 2, "part_time": 1, "contract": 1}
    assert found.facets["remote"] == {"hybrid": 1, "onsite": 1, "remote": 2}


def test_phrase_exclusion_or_and_filters(engine):
    assert engine.search(SearchQuery(text='"data engineer"')).ids == [4]
    assert set(engine.search(SearchQuery(text="python -rust")).ids) == {1, 2, 4}
    assert set(engine.search(SearchQuery(text="rust OR spark")).ids) == {3, 4}
    assert engine.search(SearchQuery(text="python", remote="remote", salary_min=100_000)).ids == [3]
    assert engine.search(SearchQuery(country="DE")).ids == [1]
    assert set(engine.search(SearchQuery(published_since_ts=3_000)).ids) == {3, 4}


def test_typo_falls_back_to_fuzzy_and_paging_is_exact(engine):
    assert (
        3 in engine.search(SearchQuery(text="rsut")).ids or 3 in engine.search(SearchQuery(text="rustt")).ids
    )
    page = engine.search(SearchQuery(text="python", offset=3, limit=2))
    assert page.total == 4 and len(page.ids) == 1


def test_update_and_delete_replace_the_document(engine):
    engine.index([SearchDocument(3, "Go Engineer", "go", "", "Gamma", "", "contract", "remote")])
    assert engine.search(SearchQuery(text="rust")).total == 0
    engine.delete([1])
    assert 1 not in engine.search(SearchQuery(text="python")).ids


def test_suggest_completes_titles_skills_companies(engine):
    assert "python developer" not in engine.suggest("py")  # whole values, not fragments
    assert "python" in engine.suggest("py")
    assert "acme" in engine.suggest("ac")
    assert engine.suggest("  ") == [] and engine.suggest("(*[") == []


def test_a_corrupt_index_opens_empty_for_a_rebuild(tmp_path):
    path = tmp_path / "index"
    TantivyBackend(path).index(DOCS)
    (path / "meta.json").write_text("not json")
    assert TantivyBackend(path).search(SearchQuery()).total == 0
