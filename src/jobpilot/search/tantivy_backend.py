"""The tantivy backend: an on-disk index opened in-process (several processes on one host read one index)."""

import shutil
from pathlib import Path

import tantivy

from jobpilot.search.backend import SearchDocument, SearchQuery, SearchResult

# title > skills > description > company/location (the old tsvector weights A > B > C > D).
BOOSTS = {"title": 4.0, "skills": 2.5, "description": 1.0, "company": 0.6, "location": 0.6}
TEXT_FIELDS = list(BOOSTS)
FACET_FIELDS = {
    "job_type": ("full_time", "part_time", "contract", "temporary", "internship"),
    "remote": ("onsite", "hybrid", "remote"),
}
FEW_HITS = 5  # below this many exact hits, retry with typo tolerance


def _schema():
    b = tantivy.SchemaBuilder()
    b.add_integer_field("id", stored=True, indexed=True, fast=True)
    for name in TEXT_FIELDS:
        b.add_text_field(name, stored=name == "title", tokenizer_name="en_stem")
    for name in ("job_type", "remote", "country"):
        b.add_text_field(name, stored=False, tokenizer_name="raw", fast=True)
    b.add_integer_field("salary_annual_max", indexed=True, fast=True)
    b.add_integer_field("published_ts", indexed=True, fast=True)
    # Raw, lower-cased completions (titles, skills, companies, locations) for `suggest`.
    b.add_text_field("suggest", stored=True, tokenizer_name="raw")
    return b.build()


class TantivyBackend:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._index = self._open()

    def _open(self):
        """Open the index, or make an empty one if it is missing or unreadable (the caller rebuilds it)."""
        self.path.mkdir(parents=True, exist_ok=True)
        schema = _schema()
        try:
            return tantivy.Index(schema, path=str(self.path), reuse=True)
        except (ValueError, OSError):
            shutil.rmtree(self.path, ignore_errors=True)
            self.path.mkdir(parents=True)
            return tantivy.Index(schema, path=str(self.path), reuse=False)

    def clear(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        self._index = self._open()

    def index(self, docs: list[SearchDocument]) -> None:
        writer = self._index.writer(heap_size=50_000_000, num_threads=1)
        for d in docs:
            writer.delete_documents_by_term(
                "id", d.id
            )  # upsert: the newest version of a row replaces the old one
            writer.add_document(
                tantivy.Document(
                    id=d.id,
                    title=d.title,
                    skills=d.skills,
                    description=d.description,
                    company=d.company,
                    location=d.location,
                    job_type=d.job_type,
                    remote=d.remote,
                    country=d.country.lower(),
                    salary_annual_max=d.salary_annual_max,
                    published_ts=d.published_ts,
                    suggest=[
                        s.lower() for s in (d.title, d.company, d.location, *d.skills.split(",")) if s.strip()
                    ],
                )
            )
        writer.commit()
        writer.wait_merging_threads()
        self._index.reload()

    def delete(self, ids: list[int]) -> None:
        writer = self._index.writer(heap_size=15_000_000, num_threads=1)
        for pk in ids:
            writer.delete_documents_by_term("id", pk)
        writer.commit()
        writer.wait_merging_threads()
        self._index.reload()

    def _text_query(self, text: str, fuzzy: bool):
        fuzzy_fields = {name: (False, 1, True) for name in ("title", "skills")} if fuzzy else {}
        query, _errors = self._index.parse_query_lenient(
            text,
            TEXT_FIELDS,
            field_boosts=BOOSTS,
            fuzzy_fields=fuzzy_fields,
            conjunction_by_default=True,  # every word must match; `or` and `-word` are the query language's
        )
        return query

    def _filters(self, q: SearchQuery):
        schema = self._index.schema
        out = []
        for name in ("job_type", "remote", "country"):
            value = getattr(q, name)
            if value:
                out.append(
                    tantivy.Query.term_query(schema, name, value.lower() if name == "country" else value)
                )
        if q.salary_min:
            out.append(
                tantivy.Query.range_query(
                    schema, "salary_annual_max", tantivy.FieldType.Integer, q.salary_min, 2**62
                )
            )
        if q.published_since_ts:
            out.append(
                tantivy.Query.range_query(
                    schema, "published_ts", tantivy.FieldType.Integer, q.published_since_ts, 2**62
                )
            )
        return out

    def _combine(self, text_query, filters):
        must = tantivy.Occur.Must
        parts = [(must, text_query)] if text_query is not None else [(must, tantivy.Query.all_query())]
        parts += [(must, f) for f in filters]
        return tantivy.Query.boolean_query(parts)

    def search(self, q: SearchQuery) -> SearchResult:
        searcher = self._index.searcher()
        filters = self._filters(q)
        text = q.text.strip()
        query = self._combine(self._text_query(text, fuzzy=False) if text else None, filters)
        if text and searcher.search(query, limit=1, count=True).count < FEW_HITS:
            query = self._combine(self._text_query(text, fuzzy=True), filters)
        limit = max(1, min(q.limit, 100))
        found = searcher.search(query, limit=limit, offset=max(0, q.offset), count=True)
        ids, scores = [], []
        for score, address in found.hits:
            ids.append(searcher.doc(address)["id"][0])
            scores.append(score)
        facets = {}
        schema = self._index.schema
        for name, values in FACET_FIELDS.items():
            counts = {}
            for value in values:
                n = searcher.search(
                    tantivy.Query.boolean_query(
                        [
                            (tantivy.Occur.Must, query),
                            (tantivy.Occur.Must, tantivy.Query.term_query(schema, name, value)),
                        ]
                    ),
                    limit=1,
                    count=True,
                ).count
                if n:
                    counts[value] = n
            facets[name] = counts
        return SearchResult(ids=ids, scores=scores, total=found.count, facets=facets)

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        prefix = prefix.strip().lower()
        if not prefix:
            return []
        searcher = self._index.searcher()
        query = tantivy.Query.regex_query(self._index.schema, "suggest", _regex_escape(prefix) + ".*")
        seen: list[str] = []
        for _score, address in searcher.search(query, limit=limit * 5, count=False).hits:
            for value in searcher.doc(address)["suggest"]:
                if value.startswith(prefix) and value not in seen:
                    seen.append(value)
        return seen[:limit]


def _regex_escape(text: str) -> str:
    return "".join("\\" + c if c in r".^$*+?()[]{}|\\-&~#@<>\"" else c for c in text)
