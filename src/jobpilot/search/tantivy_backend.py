"""The tantivy backend: an on-disk index opened in-process; several processes on one host read one index, one
writes it at a time (tantivy's writer lock).

The applied change-log cursor is a file next to the index, written only after the index commit it covers: a crash
between the two replays a few changes, which is harmless because each change applies the row's current state.
"""

import copy
import os
import re
import shutil
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

import tantivy

from jobpilot.core.money import comparable_amount
from jobpilot.search.backend import (
    IndexBusy,
    Page,
    SearchDocument,
    SearchFilters,
    SearchResult,
    Snippet,
    Sort,
    Suggestion,
)
from jobpilot.search.language import DEFAULT as DEFAULT_LANGUAGE
from jobpilot.search.language import LANGUAGES
from jobpilot.search.query import parse

# title > skills > description > company/location (the old tsvector weights A > B > C > D).
BOOSTS = {"title": 4.0, "skills": 2.5, "description": 1.0, "company": 0.6, "location": 0.6}
# Titles and descriptions are stemmed by the listing's language (`search.language`): English (and unknown) in
# `title`/`description`, every other language in `title_<code>`/`description_<code>` with that language's
# stemmer. A query is analysed by every field's stemmer, so a German word finds German postings and an English
# one English postings as before.
STEMMED = ("title", "description")
OTHER_LANGUAGES = tuple(code for code in LANGUAGES if code != DEFAULT_LANGUAGE)
LANGUAGE_IDS = {code: number for number, code in enumerate(LANGUAGES)}
LANGUAGE_CODES = {number: code for code, number in LANGUAGE_IDS.items()}
UNKNOWN_LANGUAGE = -1
for _code in OTHER_LANGUAGES:
    for _name in STEMMED:
        BOOSTS[f"{_name}_{_code}"] = BOOSTS[_name]
TEXT_FIELDS = list(BOOSTS)
FUZZY_FIELDS = {  # typo tolerance: distance 1
    name: (False, 1, True) for name in TEXT_FIELDS if name.split("_")[0] in ("title", "skills")
}
# Recency is a signal, not a cut: added to the text score of jobs published within these many days.
RECENCY_BONUS = ((7, 0.6), (30, 0.4))
# The signals re-order this many of the best BM25 hits (`_ranked_page`); deeper positions are in BM25 order.
RESCORE_WINDOW = 300
# Quality is a signal too, smaller than recency: +0.15 per point (`_quality`: pay shown, a real description, an
# employer's own posting). Duplicates never reach the index (ingest drops them).
QUALITY_BONUS = 0.15
QUALITY_DESCRIPTION_CHARS = (300, 12_000)  # shorter is a stub, longer is usually a pasted brochure
SNIPPET_CHARS = 180
# Tokenizing costs ~0.5 ms per 1,000 characters, so the generator gets a window of the text around the first
# place a query word (or its stem's start) appears, not the whole description.
SNIPPET_WINDOW_CHARS = 800
SNIPPET_LEAD_CHARS = 200
STEM_PREFIX_CHARS = 5
TOP_FACET_VALUES = 10
FACET_CACHE_SIZE = 512  # searches without words whose facets are kept per index generation
_FACET_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="search-facets")
EXACT_TERMS = 1_000_000  # per-segment buckets kept by terms aggregations: every one, so counts are exact
SALARY_BANDS = ((0, 30_000), (30_000, 60_000), (60_000, 100_000), (100_000, 150_000), (150_000, None))
POSTED_WITHIN_DAYS = (1, 7, 30)
# Newest first looks among the jobs of the last 2, then 8, then 32 days before every match (`_sorted_page`).
NEWEST_WINDOW_DAYS = (2, 8, 32)
NEWEST_WINDOW_MAX_HITS = 1_000  # deeper offsets go straight to every match
SUGGEST_FIELDS = {"suggest_title": "title", "suggest_skill": "skill", "suggest_company": "company"}
SUGGEST_FIELDS["suggest_location"] = "location"
CURSOR_FILE = "applied-cursor"
EXPIRY_LOOKAHEAD_SECONDS = 10.0  # how far ahead `expire` looks for the next expiry to wake up for
SEP = "\x1f"  # between the parts of a facet value ("slug\x1fname")
NO_VALUE = -1  # a missing salary: below every filter's lower bound, last in salary order
MAX_I64 = 2**63 - 1
# Sort keys are unique, so that search-after never skips a tie: the value in the high bits, the row id in the low
# 32 (seconds since 2020 for newest, yearly pay capped at 2^30 for salary).
ROW_BITS = 32
KEY_EPOCH = 1_577_836_800  # 2020-01-01
KEY_VALUE_MAX = 2**30 - 1
MIN_KEY = -(2**62)


class _Ranked(NamedTuple):
    hits: list  # (score, address), the page's
    count: int  # every match


def _tokenizer(field: str) -> str:
    code = field.rpartition("_")[2]
    return f"stem_{code}" if code in OTHER_LANGUAGES else "en_stem"


def _with_analyzers(index: tantivy.Index) -> tantivy.Index:
    """Register the per-language stemmers (tokenizers are not stored in the index: every open needs them).
    Each is tantivy's `en_stem` chain with another language's stemmer."""
    for code in OTHER_LANGUAGES:
        analyzer = (
            tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.remove_long(40))
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.stemmer(LANGUAGES[code]))
            .build()
        )
        index.register_tokenizer(f"stem_{code}", analyzer)
    return index


def _schema():
    b = tantivy.SchemaBuilder()
    b.add_text_field("public_id", tokenizer_name="raw")
    b.add_integer_field("row_id", fast=True)
    for name in TEXT_FIELDS:
        b.add_text_field(name, tokenizer_name=_tokenizer(name))
    # Terms facets are counted on short strings (a string fast field's ordinals count cheaper than an integer
    # column's values); salary bands and publication days are range/histogram aggregations on the integers.
    for name in ("job_type", "remote", "company_facet", "location_facet"):
        b.add_text_field(name, tokenizer_name="raw", fast=True)
    for name in ("company_slug", "location_keys", "skill_keys", "currency", *SUGGEST_FIELDS):
        b.add_text_field(name, tokenizer_name="raw")
    for name in ("tenant_id", "salary_annual_min", "salary_annual_max", "published_us", "expires_us"):
        b.add_integer_field(name, indexed=True, fast=True)
    for name in ("newest_key", "salary_key"):
        b.add_integer_field(name, fast=True)
    for name in ("lang_id", "quality"):
        b.add_integer_field(name, indexed=True, fast=True)
    return b.build()


def _quality(d: SearchDocument) -> int:
    """0-3: pay shown, a description of a sane length, an employer's own posting (not imported)."""
    low, high = QUALITY_DESCRIPTION_CHARS
    return (
        (d.salary_annual_min is not None or d.salary_annual_max is not None)
        + (low <= len(d.description) <= high)
        + bool(d.tenant_id)
    )


def _stemmed_field(name: str, language: str) -> str:
    return f"{name}_{language}" if language in OTHER_LANGUAGES else name


def _us(moment: datetime | None, default: int) -> int:
    return int(moment.timestamp() * 1_000_000) if moment is not None else default


DAY_US = 86_400_000_000


def _document(d: SearchDocument) -> tantivy.Document:
    published = _us(d.published_at, 0)
    low = d.row_id & ((1 << ROW_BITS) - 1)
    seconds = min(max(published // 1_000_000 - KEY_EPOCH, 0), KEY_VALUE_MAX)
    # Across currencies by approximate value (`jobpilot.core.money`); pay that cannot be compared sorts last.
    comparable = comparable_amount(d.salary_annual_min, d.currency)
    salary = min(comparable, KEY_VALUE_MAX) if comparable is not None else NO_VALUE
    return tantivy.Document(
        public_id=d.public_id,
        row_id=d.row_id,
        **{_stemmed_field("title", d.language): d.title},
        **{_stemmed_field("description", d.language): d.description},
        skills=" ".join(d.skills),
        company=d.company,
        location=d.location,
        job_type=d.job_type,
        remote=d.remote,
        company_facet=f"{d.company_slug}{SEP}{d.company}",
        location_facet=[f"{d.city}{SEP}{d.country}"] if d.city else [],
        company_slug=d.company_slug,
        location_keys=list(d.location_keys),
        skill_keys=list(d.skill_keys),
        currency=d.currency,
        tenant_id=d.tenant_id,
        salary_annual_min=d.salary_annual_min if d.salary_annual_min is not None else NO_VALUE,
        salary_annual_max=d.salary_annual_max if d.salary_annual_max is not None else NO_VALUE,
        published_us=published,
        expires_us=_us(d.expires_at, MAX_I64),
        newest_key=(seconds << ROW_BITS) | low,
        salary_key=(salary << ROW_BITS) | low if salary >= 0 else low - (1 << ROW_BITS),  # no pay: last
        suggest_title=[d.title.lower()] if d.title else [],
        suggest_skill=[skill.lower() for skill in d.skills],
        suggest_company=[d.company.lower()] if d.company else [],
        suggest_location=[d.city.lower()] if d.city else [],
        lang_id=LANGUAGE_IDS.get(d.language, UNKNOWN_LANGUAGE),
        quality=_quality(d),
    )


def _language_counts(buckets) -> list[dict]:
    """Per language code, most first; the undetected count as English (as the `lang` filter treats them)."""
    codes = LANGUAGE_CODES | {UNKNOWN_LANGUAGE: DEFAULT_LANGUAGE}
    counts: dict[str, int] = {}
    for number, n in buckets:
        if number in codes:
            counts[codes[number]] = counts.get(codes[number], 0) + n
    return [
        {"value": code, "count": n}
        for code, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def _days_aggregation(now_us: int) -> dict:
    """Publication times in day-long buckets aligned on `now`, over the last POSTED_WITHIN_DAYS."""
    oldest = now_us - max(POSTED_WITHIN_DAYS) * DAY_US
    return {
        "histogram": {
            "field": "published_us",
            "interval": float(DAY_US),
            "offset": float(now_us % DAY_US),
            "hard_bounds": {"min": float(oldest), "max": float(MAX_I64)},
        }
    }


def _posted_within(result: dict, now_us: int) -> list[dict]:
    """Each "within d days" as a sum of whole buckets of `_days_aggregation`."""
    # Bucket keys are their start times (exact in a float: microseconds stay below 2^53 until year 2255).
    per_day = [(int(b["key"]), b["doc_count"]) for b in result["days"]["buckets"]]
    return [
        {"days": d, "count": sum(n for start, n in per_day if start >= now_us - d * DAY_US)}
        for d in POSTED_WITHIN_DAYS
    ]


def _expired(d: SearchDocument, now: datetime) -> bool:
    return d.expires_at is not None and d.expires_at <= now


def _conditions(f: SearchFilters) -> list[tuple]:
    """The filters of `f` as hashable conditions ("term"/"set"/"range", field, values), each one engine query, all
    of which a match meets: saved-search matching tests each distinct condition once. No condition on expiry:
    the index holds no job past its time (`TantivyBackend.expire`), which saves a range over every document."""

    def at_least(name, low):
        return ("range", name, low, MAX_I64, True)

    out = []
    if f.tenant_id is not None:
        out.append(("term", "tenant_id", f.tenant_id))
    out += [("term", "location_keys", key) for key in f.location]
    out += [("term", "skill_keys", key) for key in f.skills]
    for name, values in (("job_type", f.job_types), ("remote", f.remote), ("company_slug", f.companies)):
        if values:
            out.append(("set", name, tuple(values)))
    if f.languages:  # English includes the undetected, which are indexed as English
        ids = [LANGUAGE_IDS[code] for code in f.languages]
        out.append(("set", "lang_id", tuple(ids + [UNKNOWN_LANGUAGE] * (DEFAULT_LANGUAGE in f.languages))))
    if f.currency:
        out.append(("term", "currency", f.currency))
    if f.salary_min is not None:
        out.append(at_least("salary_annual_max", f.salary_min))
    if f.salary_max is not None:
        out.append(("range", "salary_annual_min", 0, f.salary_max, True))
    if f.posted_since is not None:
        out.append(at_least("published_us", _us(f.posted_since, 0)))
    if f.published_after is not None:
        out.append(at_least("published_us", _us(f.published_after, 0) + 1))
    return out


class TantivyBackend:
    """`path=None`: an index in memory (used to test one new job against every saved search)."""

    def __init__(self, path: Path | None):
        self.path = Path(path) if path is not None else None
        self._write_lock = threading.Lock()
        self._seen_cursor: int | None = None
        self._seen_meta: tuple | None = None
        # Bumped after every reload: a searcher taken after reading it sees at least that commit. The reader
        # reloads only when told (`refresh`, `_commit`), so a generation names one set of segments.
        self._generation = 0
        self._facet_cache: dict[tuple, dict] = {}  # (filters, generation) -> facets of a search without words
        self._facet_cache_lock = threading.Lock()
        self._index = self._open()

    # --- storage ------------------------------------------------------------------------------------------------

    def _open(self):
        """Open the index, or make an empty one (no cursor: the indexer rebuilds it) when it is missing or
        unreadable. Its reader reloads only when told (`_reload`)."""
        index = self._open_index()
        index.config_reader(reload_policy="Manual")
        self._generation += 1
        return index

    def _open_index(self):
        schema = _schema()
        if self.path is None:
            return _with_analyzers(tantivy.Index(schema))
        self.path.mkdir(parents=True, exist_ok=True)
        try:
            # An index written with another schema (an older release) raises here too: rebuilt like a corrupt one.
            index = tantivy.Index(schema, path=str(self.path), reuse=True)
            index.searcher()
            return _with_analyzers(index)
        except (ValueError, OSError):
            shutil.rmtree(self.path, ignore_errors=True)
            self.path.mkdir(parents=True)
            return _with_analyzers(tantivy.Index(schema, path=str(self.path), reuse=False))

    def _reload(self) -> None:
        self._index.reload()
        self._generation += 1

    def cursor(self) -> int | None:
        if self.path is None:
            return None
        try:
            return int((self.path / CURSOR_FILE).read_text())
        except (OSError, ValueError):
            return None

    def _write_cursor(self, cursor: int) -> None:
        tmp = self.path / f"{CURSOR_FILE}.tmp"
        tmp.write_text(str(cursor))
        os.replace(tmp, self.path / CURSOR_FILE)
        self._seen_cursor = cursor

    def refresh(self) -> int | None:
        """See what another process committed since this one last looked (its cursor file moved, or the index's
        meta.json: an expiry commit moves no cursor); reopen an index whose directory was deleted under it (the
        indexer then rebuilds it)."""
        if self.path is None:
            return None
        try:
            meta = (self.path / "meta.json").stat()
        except OSError:
            self._index, meta = self._open(), None
        stamp = (meta.st_mtime_ns, meta.st_size, meta.st_ino) if meta is not None else None
        cursor = self.cursor()
        if cursor != self._seen_cursor or stamp != self._seen_meta:
            self._reload()
            self._seen_cursor, self._seen_meta = cursor, stamp
        return cursor

    def _writer(self):
        if not self._write_lock.acquire(blocking=False):
            raise IndexBusy
        try:
            # In memory: one job to test saved searches against; the smallest heap tantivy allows.
            heap = 50_000_000 if self.path is not None else 15_000_000
            return self._index.writer(heap_size=heap, num_threads=1)
        except ValueError as error:  # LockBusy: another process is writing
            self._write_lock.release()
            raise IndexBusy from error

    def _commit(self, writer) -> None:
        try:
            writer.commit()
            writer.wait_merging_threads()
        finally:
            self._write_lock.release()
        self._reload()

    def apply(self, *, upserts: list[SearchDocument], deletes: list[str], cursor: int | None) -> None:
        writer = self._writer()
        try:
            for public_id in deletes:
                writer.delete_documents_by_term("public_id", public_id)
            now = datetime.now(UTC)
            for doc in upserts:
                writer.delete_documents_by_term("public_id", doc.public_id)  # upsert: the newest version wins
                if not _expired(doc, now):
                    writer.add_document(_document(doc))
        except BaseException:
            writer.rollback()
            self._write_lock.release()
            raise
        self._commit(writer)
        if cursor is not None and self.path is not None:
            self._write_cursor(cursor)

    def replace_all(self, docs: Iterable[SearchDocument], *, cursor: int) -> int:
        """Every document anew (a rebuild), then `cursor`: the change-log id read before the rows were."""
        writer = self._writer()
        count = 0
        try:
            writer.delete_all_documents()
            now = datetime.now(UTC)
            for doc in docs:
                if not _expired(doc, now):
                    writer.add_document(_document(doc))
                    count += 1
        except BaseException:
            writer.rollback()
            self._write_lock.release()
            raise
        self._commit(writer)
        if self.path is not None:
            self._write_cursor(cursor)
        return count

    def expire(self, now: datetime | None = None) -> float | None:
        """Delete the documents whose expiry has passed (the expiry task closes their rows later, and until then
        no search may count them), committing only when there are any. Returns the seconds until the next
        expiry within EXPIRY_LOOKAHEAD_SECONDS (None: none that soon), so that the follower wakes for it. Raises
        `IndexBusy` when another process writes (that one's follower expires them)."""
        now_us = _us(now or datetime.now(UTC), 0)
        schema, integer = self._index.schema, tantivy.FieldType.Integer
        searcher = self._index.searcher()
        # Indexed ranges over few terms (expiry times are nearly unique): cheap at any index size.
        passed = tantivy.Query.range_query(schema, "expires_us", integer, MIN_KEY, now_us)
        if searcher.search(passed, limit=1, count=True).count:
            writer = self._writer()
            try:
                writer.delete_documents_by_query(passed)
            except BaseException:
                writer.rollback()
                self._write_lock.release()
                raise
            self._commit(writer)
            searcher = self._index.searcher()
        soon = tantivy.Query.range_query(
            schema, "expires_us", integer, now_us + 1, now_us + int(EXPIRY_LOOKAHEAD_SECONDS * 1_000_000)
        )
        first = searcher.search(soon, limit=1, order_by_field="expires_us", order=tantivy.Order.Asc).hits
        return (first[0][0] - now_us) / 1_000_000 if first else None

    def clear(self) -> None:
        """Drop the index and its cursor (the next indexer run rebuilds it)."""
        if self.path is not None:
            shutil.rmtree(self.path, ignore_errors=True)
        self._seen_cursor = None
        self._index = self._open()

    # --- queries ------------------------------------------------------------------------------------------------

    def _text_query(self, text: str, *, fuzzy: bool):
        parsed = parse(text)
        if parsed.is_empty:
            return None
        options = {
            "default_field_names": TEXT_FIELDS,
            "field_boosts": BOOSTS,
            "fuzzy_fields": FUZZY_FIELDS if fuzzy else {},
            "conjunction_by_default": True,
        }
        parts = []
        if parsed.positive:
            parts.append((tantivy.Occur.Must, self._index.parse_query_lenient(parsed.positive, **options)[0]))
        else:
            parts.append((tantivy.Occur.Must, tantivy.Query.all_query()))
        if parsed.negative:
            options["conjunction_by_default"] = False  # any excluded word excludes
            negative = self._index.parse_query_lenient(parsed.negative, **options)[0]
            parts.append((tantivy.Occur.MustNot, negative))
        return tantivy.Query.boolean_query(parts)

    def _filters(self, f: SearchFilters) -> list:
        return [self._condition_query(condition) for condition in _conditions(f)]

    def _condition_query(self, condition: tuple):
        schema, kind, name, *values = self._index.schema, *condition
        if kind == "term":
            return tantivy.Query.term_query(schema, name, values[0])
        if kind == "set":
            return tantivy.Query.term_set_query(schema, name, list(values[0]))
        low, high, include_lower = values
        return tantivy.Query.range_query(
            schema, name, tantivy.FieldType.Integer, low, high, include_lower=include_lower
        )

    def _query(self, f: SearchFilters, *, now: datetime, fuzzy: bool = False):
        """Every match of `f`, scored by BM25 of its text (the filters add one constant to every match's score:
        the order is the text's)."""
        text = self._text_query(f.text, fuzzy=fuzzy)
        must = tantivy.Occur.Must
        parts = [(must, text if text is not None else tantivy.Query.all_query())]
        parts += [(must, condition) for condition in self._filters(f)]
        return tantivy.Query.boolean_query(parts)

    def search(self, f: SearchFilters, page: Page, *, now: datetime | None = None) -> SearchResult:
        """One page of ids in `page.sort` order with the exact total and (if asked) exact facets.

        Relevance: BM25 over every match with field boosts, the best RESCORE_WINDOW re-ordered with the recency
        and quality bonuses (`_ranked_page`); a search that finds nothing
        is retried with typo tolerance on titles and skills. Newest and salary order page by search-after.
        Each pass over the matches is made once: the scored page gives the total, the facets' aggregation
        gives it for the sorted orders (whose page looks at the newest matches only, `_sorted_page`)."""
        now = now or datetime.now(UTC)
        generation = self._generation  # before the searcher: it sees at least this generation's commit
        searcher = self._index.searcher()
        has_words = not parse(f.text).is_empty
        ranked = page.sort == Sort.RELEVANCE and has_words
        limit = max(1, min(page.limit, 100))
        matches = self._query(f, now=now)  # what the page, the facets and the count run on
        # The page's pass runs beside the facets' (the engine releases the GIL): the slower one, not the sum.
        # Pool tasks never wait for other pool tasks, so concurrent requests cannot starve it.
        if ranked:
            pending = _FACET_POOL.submit(self._ranked_page, searcher, matches, page, limit, now)
        else:
            pending = _FACET_POOL.submit(self._sorted_page, searcher, matches, page, limit, now)
        if not page.facets:
            facets = {}
        elif not has_words:  # filters only: counted once per commit (see `_cached_facets`)
            facets = self._cached_facets(searcher, generation, f, matches, now)
        else:
            facets = self._facets(searcher, matches, now)
        found = pending.result()
        if ranked and not found.count:  # typo tolerance: the facets are those of the fuzzy matches
            matches = self._query(f, now=now, fuzzy=True)
            found = self._ranked_page(searcher, matches, page, limit, now)
            facets = self._facets(searcher, matches, now) if page.facets else {}
        hits, total = (found.hits, found.count) if ranked else (found, None)
        if total is None:
            total = facets["_total"] if facets else self._count(searcher, matches)
        facets.pop("_total", None)
        addresses = [address for _key, address in hits]
        row_ids = searcher.fast_field_values("row_id", addresses) if addresses else []
        languages = searcher.fast_field_values("lang_id", addresses) if addresses else []
        next_after = hits[-1][0] if not ranked and len(hits) == limit else None
        return SearchResult(
            row_ids=row_ids,
            total=total,
            next_after=next_after,
            facets=facets,
            languages={
                row: LANGUAGE_CODES.get(lang, "") for row, lang in zip(row_ids, languages, strict=True)
            },
        )

    def _ranked_page(self, searcher, query, page: Page, limit: int, now: datetime) -> "_Ranked":
        """Relevance: BM25 over every match (the exact count comes with it), then the top RESCORE_WINDOW hits
        re-ordered by BM25 plus the recency and quality bonuses, read from fast fields for those hits only
        (Elasticsearch's rescore window). Positions from RESCORE_WINDOW on are in BM25 order: the window is
        always the same top-k set, so pages across its edge have neither duplicates nor holes."""
        offset = max(0, page.offset)
        if offset >= RESCORE_WINDOW:
            found = searcher.search(query, limit=limit, offset=offset, count=True)
            return _Ranked(found.hits, found.count)
        found = searcher.search(query, limit=max(RESCORE_WINDOW, offset + limit), count=True)
        window, rest = found.hits[:RESCORE_WINDOW], found.hits[RESCORE_WINDOW:]
        addresses = [address for _score, address in window]
        published = searcher.fast_field_values("published_us", addresses) if addresses else []
        quality = searcher.fast_field_values("quality", addresses) if addresses else []
        now_us = _us(now, 0)
        cuts = [(now_us - days * DAY_US, bonus) for days, bonus in RECENCY_BONUS]

        def rescored(number: int) -> float:
            at = published[number]
            recency = sum(bonus for since, bonus in cuts if at >= since)
            return window[number][0] + recency + QUALITY_BONUS * quality[number]

        # A stable sort: equal scores keep the engine's (BM25, then document) order.
        order = sorted(range(len(window)), key=rescored, reverse=True)
        ranked = [window[number] for number in order] + rest
        return _Ranked(ranked[offset : offset + limit], found.count)

    @staticmethod
    def _count(searcher, query) -> int:
        # A count as an aggregation: no scoring and no top-k collector (5.2 -> 3.7 ms over 1M matches).
        return int(searcher.aggregate(query, {"n": {"value_count": {"field": "row_id"}}})["n"]["value"])

    def _sorted_page(self, searcher, query, page: Page, limit: int, now: datetime) -> list:
        """Newest (or salary) first. The newest matches are looked for among the jobs published in the last
        NEWEST_WINDOW_DAYS first (an indexed range, cheap), widening when the window holds fewer matches than
        the page needs, and only then over every match (10 ms at 1M). Exact: the window starts on a whole
        second, so every job outside it has a smaller sort key (seconds in the high bits) than any inside."""
        key = "salary_key" if page.sort == Sort.SALARY else "newest_key"
        must = tantivy.Occur.Must
        if page.after is not None:
            before = tantivy.Query.range_query(
                self._index.schema,
                key,
                tantivy.FieldType.Integer,
                MIN_KEY,
                page.after,
                include_upper=False,
            )
            query = tantivy.Query.boolean_query([(must, query), (must, before)])
        offset = 0 if page.after is not None else max(0, page.offset)
        if key == "newest_key" and offset + limit <= NEWEST_WINDOW_MAX_HITS:
            for days in NEWEST_WINDOW_DAYS:
                since = (_us(now, 0) - days * DAY_US) // 1_000_000 * 1_000_000
                recent = tantivy.Query.range_query(
                    self._index.schema, "published_us", tantivy.FieldType.Integer, since, MAX_I64
                )
                windowed = tantivy.Query.boolean_query([(must, query), (must, recent)])
                found = searcher.search(windowed, limit=limit, offset=offset, order_by_field=key, count=True)
                if found.count >= offset + limit:
                    return found.hits
        return searcher.search(query, limit=limit, offset=offset, order_by_field=key, count=False).hits

    def _cached_facets(self, searcher, generation: int, f: SearchFilters, query, now: datetime) -> dict:
        """Facets of a search without words (landing pages, filter clicks): the counts of a generation of the
        index are kept (FACET_CACHE_SIZE searches, dropped on every commit), except posted-within, which moves
        with the clock: that is counted each time, over the matches of the last POSTED_WITHIN_DAYS only."""
        key = (f, generation)
        with self._facet_cache_lock:
            if self._facet_cache and next(iter(self._facet_cache))[1] != generation:
                self._facet_cache.clear()  # an older generation's: never asked again
            kept = self._facet_cache.get(key)
        if kept is None:
            facets = self._facets(searcher, query, now)
            with self._facet_cache_lock:
                if generation == self._generation and FACET_CACHE_SIZE:
                    while len(self._facet_cache) >= FACET_CACHE_SIZE:
                        self._facet_cache.pop(next(iter(self._facet_cache)))
                    self._facet_cache[key] = copy.deepcopy(facets)
            return facets
        now_us = _us(now, 0)
        oldest = now_us - max(POSTED_WITHIN_DAYS) * DAY_US
        recent = tantivy.Query.range_query(
            self._index.schema, "published_us", tantivy.FieldType.Integer, oldest, MAX_I64
        )
        within = tantivy.Query.boolean_query([(tantivy.Occur.Must, query), (tantivy.Occur.Must, recent)])
        days = searcher.aggregate(within, {"days": _days_aggregation(now_us)})
        return {**copy.deepcopy(kept), "posted_within": _posted_within(days, now_us)}

    def _facets(self, searcher, query, now: datetime) -> dict:
        """Exact counts over every match, in two aggregation passes run side by side (`_FACET_POOL`; the salary
        ranges count the matches too: `_total`).
        Locations and companies ask the engine for a few more than the top values (every segment still counts
        every value, so the counts are exact) and again for all of them only when a tie at the cut could make
        the top ten depend on the engine's order. Salary bands are a range aggregation over the yearly upper
        end (a dense column: no pay is -1, below every band); posted-within is a histogram of publication
        times with day-long buckets aligned on `now`, so each "within d days" is a sum of whole buckets."""

        def terms(name, size=EXACT_TERMS):
            return {"terms": {"field": name, "size": size, "segment_size": EXACT_TERMS}}

        now_us = _us(now, 0)
        top = 2 * TOP_FACET_VALUES
        agg = {
            "job_type": terms("job_type"),
            "remote": terms("remote"),
            "locations": terms("location_facet", top),
            "companies": terms("company_facet", top),
            "salary": {
                "range": {
                    "field": "salary_annual_max",
                    "ranges": [
                        {"key": str(number), "from": float(low), **({"to": float(high)} if high else {})}
                        for number, (low, high) in enumerate(SALARY_BANDS)
                    ],
                    "keyed": True,
                }
            },
            "days": _days_aggregation(now_us),
            "languages": terms("lang_id"),
        }
        # Companies and locations (thousands of values) on one thread, the rest on another.
        wide = {name: agg.pop(name) for name in ("companies", "locations")}
        other = _FACET_POOL.submit(searcher.aggregate, query, wide)
        result = {**searcher.aggregate(query, agg), **other.result()}

        def buckets(name, found=result):
            return sorted(
                ((b["key"], b["doc_count"]) for b in found[name]["buckets"] if b["doc_count"]),
                key=lambda item: (-item[1], item[0]),
            )

        def top_values(name, field):
            values = buckets(name)
            if len(values) == top and values[-1][1] == values[TOP_FACET_VALUES - 1][1]:
                values = buckets(name, searcher.aggregate(query, {name: terms(field)}))
            return [(*value.partition(SEP)[::2], n) for value, n in values[:TOP_FACET_VALUES]]

        posted = _posted_within(result, now_us)
        by_band = result["salary"]["buckets"]
        salary = [
            {"min": low, "max": high, "count": by_band.get(str(number), {}).get("doc_count", 0)}
            for number, (low, high) in enumerate(SALARY_BANDS)
        ]
        return {
            "job_type": [{"value": v, "count": n} for v, n in buckets("job_type")],
            "remote": [{"value": v, "count": n} for v, n in buckets("remote")],
            "locations": [
                {"city": city, "country": country, "count": n}
                for city, country, n in top_values("locations", "location_facet")
            ],
            "companies": [
                {"slug": slug, "name": name, "count": n}
                for slug, name, n in top_values("companies", "company_facet")
            ],
            "salary_bands": salary,
            "posted_within": posted,
            "languages": _language_counts(buckets("languages")),
            "is_estimate": False,
            # Every match has a yearly upper end (-1 without pay), and the range aggregation adds buckets for the
            # values outside the bands: its buckets count every match once.
            "_total": sum(b["doc_count"] for b in by_band.values()),
        }

    def matching(
        self, doc: SearchDocument, searches: list[SearchFilters], *, now: datetime | None = None
    ) -> list[int]:
        """Positions in `searches` that `doc` matches: `doc` alone in an index in memory, tested with the query a
        search runs (so an alert matches exactly what the search shows). That query is a conjunction (text and
        every filter condition), so each distinct text and each distinct condition is run once on the one-doc
        index and a search matches when all of its parts do: thousands of saved searches share a few dozen parts.
        That includes the typo retry: a fuzzy match counts when the search finds nothing exactly in this (the
        full) index."""
        now = now or datetime.now(UTC)
        if _expired(doc, now):
            return []
        self.refresh()  # the typo retry below asks the index: its latest commit
        probe = TantivyBackend(None)
        probe.apply(upserts=[doc], deletes=[], cursor=None)
        on_probe, on_index = probe._index.searcher(), self._index.searcher()
        texts: dict[tuple[str, bool], bool] = {}
        conditions: dict[tuple, bool] = {}

        def hits(searcher, query) -> int:
            return searcher.search(query, limit=1, count=True).count

        def text_matches(text: str, fuzzy: bool) -> bool:
            if (text, fuzzy) not in texts:
                query = probe._text_query(text, fuzzy=fuzzy)
                texts[text, fuzzy] = query is None or bool(hits(on_probe, query))
            return texts[text, fuzzy]

        def condition_holds(condition: tuple) -> bool:
            if condition not in conditions:
                conditions[condition] = bool(hits(on_probe, probe._condition_query(condition)))
            return conditions[condition]

        matched = []
        for number, f in enumerate(searches):
            if not all(condition_holds(c) for c in _conditions(f)):
                continue
            ranked = not parse(f.text).is_empty
            if text_matches(f.text, False) or (
                ranked and text_matches(f.text, True) and not hits(on_index, self._query(f, now=now))
            ):
                matched.append(number)
        return matched

    def suggest(self, prefix: str, limit: int = 8, *, tenant_id: int | None = None) -> list[Suggestion]:
        """Completions of `prefix` among whole titles, skills, companies and locations of live jobs in the scope,
        most frequent first."""
        prefix = " ".join(prefix.lower().split())
        if not prefix:
            return []
        searcher = self._index.searcher()
        scope = (
            tantivy.Query.term_query(self._index.schema, "tenant_id", tenant_id)
            if tenant_id is not None
            else tantivy.Query.all_query()  # counts live documents only (not deleted ones awaiting a merge)
        )
        found = [
            Suggestion(text=term, kind=kind, count=count)
            for name, kind in SUGGEST_FIELDS.items()
            for term, count in searcher.terms_with_prefix(name, prefix, filter_query=scope, limit=limit)
            if count
        ]
        found.sort(key=lambda s: (-s.count, s.text))
        return found[:limit]

    def snippets(self, text: str, bodies: dict[int, str], languages: dict[int, str]) -> dict[int, Snippet]:
        """Per row id, a passage of its description around the words of `text` (excluded words are never
        highlighted), marked by tantivy's `SnippetGenerator` with the analyser of the field the job's language
        was indexed in (`languages`, from the search that found the rows: a lookup here cost 3 ms at 1M). The
        description comes from the caller (PostgreSQL): the engine stores no text."""
        positive = parse(text).positive
        if not positive or not bodies:
            return {}
        schema = self._index.schema
        query = self._index.parse_query_lenient(positive, default_field_names=TEXT_FIELDS)[0]
        searcher = self._index.searcher()
        prefixes = {
            word.casefold()[:STEM_PREFIX_CHARS] for word in re.findall(r"\w+", positive) if word != "OR"
        }
        generators: dict[str, tantivy.SnippetGenerator] = {}
        out = {}
        for row_id, body in bodies.items():
            field = _stemmed_field("description", languages.get(row_id, ""))
            if field not in generators:
                generators[field] = tantivy.SnippetGenerator.create(searcher, query, schema, field)
                generators[field].set_max_num_chars(SNIPPET_CHARS)
            found = generators[field].snippet_from_doc(tantivy.Document(**{field: _passage(body, prefixes)}))
            fragment = found.fragment()
            if not fragment or not found.highlighted():
                continue
            # tantivy's ranges are byte offsets into the UTF-8 fragment; callers index Python strings.
            raw = fragment.encode()
            out[row_id] = Snippet(
                text=fragment,
                highlights=tuple(
                    (len(raw[: r.start].decode(errors="ignore")), len(raw[: r.end].decode(errors="ignore")))
                    for r in found.highlighted()
                ),
            )
        return out


def _passage(body: str, prefixes: set[str]) -> str:
    """The part of `body` the snippet is chosen from: a window starting a little before the first occurrence of
    any of `prefixes` (the beginning when none occurs)."""
    folded = body.casefold()
    found = [at for at in (folded.find(prefix) for prefix in prefixes) if at >= 0]
    start = max(0, min(found) - SNIPPET_LEAD_CHARS) if found else 0
    return body[start : start + SNIPPET_WINDOW_CHARS]
