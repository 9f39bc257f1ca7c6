"""The marketplace search engine: SQL over the public index, with the work bounded for every query shape.

PostgreSQL full-text search pays per match: ranking every match of a broad word (a third of a million rows at 1M
listings), counting them all or faceting them all takes half a second each. So every search here reads a bounded
*candidate list* and answers from it:

- `newest`: the newest `count_cap + 1` matches (the "sample"). It gives the total (exact when the sample is not
  full), the facets, the `newest` order and the `salary` order (the sample by guaranteed yearly pay: for a broad
  search, the best paid of the newest matches).
- `relevance`: the sample, plus (when it holds few of them) the newest `pool` matches on title and keywords (the
  strong matches), ranked by `ts_rank` (title A > skills/tags B > description C > company/location D), newest
  first among equals. Cost in quality: a strong but older match behind those sets is not ranked, and paging
  stops at `window` results (like every large search engine).
- Beyond the cap the total is the planner's estimate (never less than the cap), flagged `total_is_estimate`, and
  facets are counted over the sample and scaled to it, flagged `is_estimate`.

"The newest n matches" is read in time slices, newest slice first, stopping as soon as n are found: in each
slice PostgreSQL picks the cheapest plan (date order through the btree for common words, the GIN index plus a
sort of that slice's matches for rarer ones), so the work grows with n, not with the number of matches. A
search expected to match only a few thousand jobs reads them all in one query and ranks all of them.

The candidate list and the summary are cached together (see `selectors.marketplace_search`); every page and
sort of one search is then a single query for 20 cards. The tenant scope is one more filter, set only from the
host the request arrived on.
"""

import functools
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from operator import itemgetter

from django.db import connection
from django.utils import timezone

# Card columns: what a result list shows. The job page reads the whole row instead.
CARD_COLUMNS = (
    "public_id",
    "source",
    "title",
    "slug",
    "company_name",
    "company_slug",
    "company_logo_url",
    "department",
    "job_type",
    "remote",
    "city",
    "region",
    "country",
    "location_text",
    "salary_min",
    "salary_max",
    "salary_currency",
    "salary_period",
    "skills",
    "tags",
    "summary",
    "apply_url",
    "is_featured",
    "published_at",
    "expires_at",
)
TOP_FACET_VALUES = 10
COMMON_SHARE = 0.1  # a GIN condition matching more than this share of the index is checked row by row
SLICED_FROM_ROWS = 50_000  # smaller indexes are read in one go
ALL_MATCHES_UP_TO = 4  # times the sample: searches expected to match fewer jobs read and rank them all
STATS_SECONDS = 300


class Sort:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    SALARY = "salary"


@dataclass(frozen=True)
class SearchFilters:
    """Everything that narrows the set of matching jobs. Hashable, so it is also the cache key's core.

    WARNING: `tenant_id` is the scope of the host the request came in on (None on the public marketplace).
    It must never be taken from a request parameter.
    """

    tenant_id: int | None = None
    tsquery: str = ""  # normalized by `normalize_query`; empty means "no text condition"
    location: tuple[str, ...] = ()  # lower-cased parts that must all match (city, region or country code)
    job_types: tuple[str, ...] = ()
    remote: tuple[str, ...] = ()
    salary_min: int | None = None
    salary_max: int | None = None
    currency: str = ""
    posted_since: datetime | None = None
    published_after: datetime | None = None  # strictly after: "new since the last alert"
    companies: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()


@dataclass
class Where:
    sql: list[str] = field(default_factory=list)
    params: list = field(default_factory=list)

    def add(self, sql: str, *params) -> None:
        self.sql.append(sql)
        self.params.extend(params)

    def render(self) -> str:
        return " AND ".join(self.sql)


def normalize_query(q: str) -> str:
    """Web-search syntax (quotes, `-word`, `or`) to PostgreSQL's canonical tsquery text. Empty when the text has
    no searchable words (only stop words or punctuation): such a query must not filter everything out."""
    if not q.strip():
        return ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT websearch_to_tsquery('english', %s)::text", [q])
        return cursor.fetchone()[0]


def _equals_any(where: Where, column: str, values: tuple[str, ...]) -> None:
    # One value as `=`, so that the (column, published_at) index can return rows in date order.
    if len(values) == 1:
        where.add(f"{column} = %s", values[0])
    else:
        where.add(f"{column} = ANY(%s::varchar[])", list(values))


def where_clause(filters: SearchFilters, *, unindexed: frozenset[str] = frozenset()) -> Where:
    """The SQL condition for `filters`. GIN-indexed conditions named in `unindexed` are written so that the
    planner cannot use their index (see `_common_conditions`)."""
    where = Where()
    # The index holds live jobs only, but expiry is closed by a periodic task: never show a job past its time.
    # (The clock is the application's: `now()` in SQL would be the start of a long transaction.)
    where.add("(mj.expires_at IS NULL OR mj.expires_at > %s)", timezone.now())
    if filters.tenant_id is not None:
        where.add("mj.tenant_id = %s", filters.tenant_id)
    for name, (sql, params) in gin_conditions(filters).items():
        where.add(f"({sql}) IS TRUE" if name in unindexed else sql, *params)
    if filters.job_types:
        _equals_any(where, "mj.job_type", filters.job_types)
    if filters.remote:
        _equals_any(where, "mj.remote", filters.remote)
    # Salary ranges overlap the wanted range; both ends are yearly amounts.
    if filters.salary_min is not None:
        where.add("mj.salary_annual_max >= %s", filters.salary_min)
    if filters.salary_max is not None:
        where.add("mj.salary_annual_min <= %s", filters.salary_max)
    if filters.currency:
        where.add("mj.salary_currency = %s", filters.currency)
    if filters.posted_since is not None:
        where.add("mj.published_at >= %s", filters.posted_since)
    if filters.published_after is not None:
        where.add("mj.published_at > %s", filters.published_after)
    if filters.companies:
        _equals_any(where, "mj.company_slug", filters.companies)
    return where


def gin_conditions(filters: SearchFilters) -> dict[str, tuple[str, list]]:
    conditions = {}
    if filters.tsquery:
        conditions["text"] = ("mj.search_vector @@ %s::tsquery", [filters.tsquery])
    if filters.location:
        conditions["location"] = ("mj.location_keys @> %s::varchar[]", [list(filters.location)])
    if filters.skills:
        conditions["skills"] = ("mj.skill_keys @> %s::varchar[]", [list(filters.skills)])
    return conditions


def _newest(
    where: Where,
    *,
    n: int,
    columns: str,
    column_params: list,
    start: datetime,
    step: timedelta | None,
    oldest,
) -> list[tuple]:
    """The newest `n` rows matching `where` published before `start`, in date order, read in time slices going
    back from `start`: the first one `step` long (None: no slicing), each next one sized from the density of
    matches found so far, so that a wrong first guess costs one more slice, not a scan of every match."""
    rows: list[tuple] = []
    newer_than = start
    with connection.cursor() as cursor:
        while True:
            since = (
                start - step if step is not None and oldest is not None and start - step > oldest else None
            )
            bounds = ["mj.published_at < %s"] + (["mj.published_at >= %s"] if since else [])
            sql = (
                f"SELECT {columns} FROM marketplace_job mj "  # noqa: S608 - only placeholders are interpolated
                f"WHERE {' AND '.join([where.render(), *bounds])} "
                "ORDER BY mj.published_at DESC, mj.id DESC LIMIT %s"
            )
            bound_params = [newer_than, since] if since else [newer_than]
            cursor.execute(sql, [*column_params, *where.params, *bound_params, n - len(rows)])
            rows += cursor.fetchall()
            if len(rows) >= n or since is None:
                return rows
            newer_than = since
            # Enough span for 1.5x the rows still missing at the density seen so far; at least twice as far back.
            step = step * max(2.0, 1.5 * n / len(rows)) if rows else step * 4


def _first_step(*, expected: float, n: int, span: timedelta) -> timedelta:
    """A first slice expected to hold 1.5 n matches if `expected` matches are spread evenly over `span`, and at
    most a quarter of it: the planner underestimates phrases by 10x, and a slice too large for them visits
    every candidate in it."""
    return span * min(0.25, 1.5 * n / max(expected, 1))


@dataclass(frozen=True)
class IndexStats:
    rows: int
    oldest: datetime | None
    read_at: float


_stats: IndexStats | None = None


def _index_stats() -> IndexStats:
    """The index's size and age span, from the planner's statistics; re-read every few minutes."""
    global _stats
    if _stats is None or time.monotonic() - _stats.read_at > STATS_SECONDS:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.reltuples::bigint, (SELECT min(published_at) FROM marketplace_job) "
                "FROM pg_class c WHERE c.oid = 'marketplace_job'::regclass"
            )
            rows, oldest = cursor.fetchone()
        _stats = IndexStats(rows=max(rows, 0), oldest=oldest, read_at=time.monotonic())
    return _stats


@functools.lru_cache(maxsize=8192)
def _share_of_index(sql: str, params: tuple) -> float:
    """The planner's estimate of the share of all rows matching one condition (per process: a word's share
    changes slowly)."""
    stats = _index_stats()
    if not stats.rows:
        return 0.0
    return (
        _estimate(Where([sql], [list(param) if isinstance(param, tuple) else param for param in params]))
        / stats.rows
    )


def _common_conditions(filters: SearchFilters) -> frozenset[str]:
    """GIN conditions that match a large share of the index. PostgreSQL underestimates what collecting a few
    hundred thousand row ids from a GIN index costs (~80 ms for a third of 1M rows) and would combine such a
    condition into a bitmap; walking the date index and checking each row finds the newest matches of a
    common word after a few thousand rows instead."""
    return frozenset(
        name
        for name, (sql, params) in gin_conditions(filters).items()
        if _share_of_index(sql, _hashable(params)) >= COMMON_SHARE
    )


def _hashable(params: list) -> tuple:
    return tuple(tuple(param) if isinstance(param, list) else param for param in params)


@dataclass(frozen=True)
class Summary:
    total: int
    total_is_estimate: bool
    facets: dict


@dataclass(frozen=True)
class Candidates:
    """A search's ordered result ids (at most `window`) and its summary: what a cache entry holds."""

    ids: list[int]
    summary: Summary


def candidates(filters: SearchFilters, *, sort: str, count_cap: int, pool: int, window: int) -> Candidates:
    now = timezone.now()
    stats = _index_stats()
    sliced = stats.rows >= SLICED_FROM_ROWS and stats.oldest is not None
    span = now - stats.oldest if sliced else timedelta(0)
    common = _common_conditions(filters)
    # Estimates come from the plain conditions (an "unindexed" condition hides its selectivity from the planner).
    expected = _estimate(where_clause(filters))
    where = where_clause(filters, unindexed=common)
    ranked = sort == Sort.RELEVANCE and bool(filters.tsquery)
    recency = "extract(epoch FROM mj.published_at)::float8"  # cheaper to read than a timestamp
    # Ranked searches also note which rows match on title or keywords (the small vector: cheap to check).
    rank = "ts_rank(mj.search_vector, %s::tsquery), mj.head_vector @@ %s::tsquery" if ranked else "0, false"
    rank_params = [filters.tsquery, filters.tsquery] if ranked else []
    n = max(count_cap + 1, window)
    # A search expected to match a few thousand jobs reads them all in one query (the bitmap of their index
    # entries visits each once either way) and ranks every one. Phrases are estimated too low to trust.
    small = expected <= ALL_MATCHES_UP_TO * n and "<" not in filters.tsquery
    read = ALL_MATCHES_UP_TO * n + 1 if small else n
    rows = _newest(
        where,
        n=read,
        columns=f"mj.id, {recency}, {rank}, mj.job_type, mj.remote, mj.city, mj.country, mj.company_slug, "
        "mj.company_name, mj.salary_annual_min",
        column_params=rank_params,
        start=now,
        step=_first_step(expected=expected, n=n, span=span) if sliced and not small else None,
        oldest=stats.oldest,
    )
    complete = len(rows) < read  # every match is in `rows`
    summary = _summary(
        rows[: count_cap + 1], expected=len(rows) if complete else expected, count_cap=count_cap
    )
    if sort == Sort.SALARY:
        # Highest guaranteed (minimum) yearly pay first, jobs that do not say last. Over the rows read, like the
        # rest: an index walk in salary order visits half the index for a word that only low-paid jobs use.
        by_salary = sorted(rows, key=lambda row: (row[10] is not None, row[10] or 0, row[0]), reverse=True)
        return Candidates(ids=[row[0] for row in by_salary[:window]], summary=summary)
    if not ranked:
        return Candidates(ids=[row[0] for row in rows[:window]], summary=summary)
    scores = {row[0]: (row[2], row[1]) for row in rows}
    strong_in_sample = sum(1 for row in rows if row[3])
    if complete or strong_in_sample >= max(1, pool // 4):
        # Every match is ranked; or the rows hold a quarter pool of strong matches already. Strong matches rank
        # alike and then by date, so older ones from the pool would only come after those: beyond page 12.
        return Candidates(ids=_ranked(scores)[:window], summary=summary)

    # The strong pool: the newest title and keyword matches older than the sample, found through the small
    # title index (or the date index when the word is common in titles). The full text condition only
    # re-checks them (a `-word` may be in the description). Its slices are sized from the density of strong
    # matches in the sample: the planner estimates phrases badly.
    head = ("mj.head_vector @@ %s::tsquery", (filters.tsquery,))
    strong = where_clause(filters, unindexed=common | {"text"})
    strong.add(f"({head[0]}) IS TRUE" if _share_of_index(*head) >= COMMON_SHARE else head[0], filters.tsquery)
    sample_start = datetime.fromtimestamp(rows[-1][1], tz=UTC)
    sample_span = now - sample_start
    missing = pool - strong_in_sample
    if not sliced:
        step = None
    elif strong_in_sample:
        step = sample_span * max(1.0, 1.5 * missing / strong_in_sample)
    else:
        step = sample_span * 4
    strong_rows = _newest(
        strong,
        n=missing,
        columns=f"mj.id, {recency}, ts_rank(mj.search_vector, %s::tsquery)",
        column_params=[filters.tsquery],
        start=sample_start,
        step=step,
        oldest=stats.oldest,
    )
    for job_id, published_at, score in strong_rows:
        scores[job_id] = (score, published_at)
    return Candidates(ids=_ranked(scores)[:window], summary=summary)


def _ranked(scores: dict[int, tuple[float, float]]) -> list[int]:
    """Ids by rank, then newest, then highest id (the same order as the SQL date order)."""
    return sorted(scores, key=lambda job_id: (scores[job_id], job_id), reverse=True)


def _summary(sample: list[tuple], *, expected: int, count_cap: int) -> Summary:
    """Total and facets from the sample rows `(id, recency, rank, strong, job_type, remote, city, country,
    company_slug, company_name, salary_annual_min)`."""
    estimated = len(sample) > count_cap
    total = max(count_cap + 1, expected) if estimated else len(sample)
    scale = total / len(sample) if estimated else 1
    # Counted with map/zip over the columns: C loops, ~10x faster than a Python loop over 1,000 rows.
    job_types, remotes, cities, countries, companies, names = (
        list(map(itemgetter(index), sample)) for index in range(4, 10)
    )
    locations = Counter(location for location in zip(cities, countries, strict=True) if location[0])
    company_names = dict(zip(companies, names, strict=True))

    def top(counter: Counter, limit: int | None = None):
        return sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:limit]

    facets = {
        "job_type": [{"value": value, "count": round(n * scale)} for value, n in top(Counter(job_types))],
        "remote": [{"value": value, "count": round(n * scale)} for value, n in top(Counter(remotes))],
        "locations": [
            {"city": city, "country": country, "count": round(n * scale)}
            for (city, country), n in top(locations, TOP_FACET_VALUES)
        ],
        "companies": [
            {"slug": slug, "name": company_names[slug], "count": round(n * scale)}
            for slug, n in top(Counter(companies), TOP_FACET_VALUES)
        ],
        "is_estimate": estimated,
    }
    return Summary(total=total, total_is_estimate=estimated, facets=facets)


def _estimate(where: Where) -> int:
    """The planner's row estimate for the full match set: free of a scan, right in magnitude."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"EXPLAIN (FORMAT JSON) SELECT 1 FROM marketplace_job mj WHERE {where.render()}",  # noqa: S608
            where.params,
        )
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


def cards(ids: list[int]) -> list[dict]:
    """Result cards for `ids`, in that order."""
    if not ids:
        return []
    columns = ", ".join(f"mj.{name}" for name in ("id", *CARD_COLUMNS))
    with connection.cursor() as cursor:
        # Expiry is checked again: the ids may come from a cache entry written before the job expired.
        cursor.execute(
            f"SELECT {columns} FROM marketplace_job mj "  # noqa: S608 - only placeholders are interpolated
            "WHERE mj.id = ANY(%s) AND (mj.expires_at IS NULL OR mj.expires_at > %s)",
            [ids, timezone.now()],
        )
        names = [column.name for column in cursor.description]
        rows = {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}
    return [rows[job_id] for job_id in ids if job_id in rows]
