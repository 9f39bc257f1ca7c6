"""The marketplace search engine: SQL over the public index, with the work bounded for every query shape.

PostgreSQL full-text search pays per match: ranking every match of a broad word (a third of a million rows at 1M
listings), counting them all or faceting them all takes half a second each. So every search here reads a bounded
*candidate list* and answers from it:

- `newest`: the newest `count_cap + 1` matches (the "sample"). It gives the total (exact when the sample is not
  full), the facets, and the `newest` order.
- `relevance`: the sample plus the newest `pool` matches on title and keywords (the strong matches), ranked by
  `ts_rank` (title A > skills/tags B > description C > company/location D), newest first among equals. Cost in
  quality: a strong but older match behind the newest `pool` title matches and the newest `count_cap` matches is
  not ranked, and paging stops at `window` results (like every large search engine).
- Beyond the cap the total is the planner's estimate (never less than the cap), flagged `total_is_estimate`, and
  facets are counted over the sample and scaled to it, flagged `is_estimate`.

"The newest n matches" is read in time slices, newest slice first, stopping as soon as n are found: in each
slice PostgreSQL picks the cheapest plan (date order through the btree for common words, the GIN index plus a
sort of that slice's matches for rarer ones), so the work grows with n, not with the number of matches.

The candidate list and the summary are cached together (see `selectors.marketplace_search`); every page and
sort of one search is then a single query for 20 cards. The tenant scope is one more filter, set only from the
host the request arrived on.
"""

import functools
import json
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime

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
    expected: int,
    stats: "IndexStats",
    now: datetime,
) -> list[tuple]:
    """The newest `n` rows matching `where`, in date order, read in time slices from the newest back.

    The first slice is sized from the planner's estimate to hold about 1.5 n matches (assuming matches spread
    evenly over the index's age span); each next one from the density actually found so far, so that a wrong
    estimate (phrases are estimated badly) costs one more slice, not a scan of every match."""
    rows: list[tuple] = []
    span = (now - stats.oldest) if stats.oldest and stats.rows >= SLICED_FROM_ROWS else None
    step = span * min(0.25, 1.5 * n / max(expected, 1)) if span else None
    newer_than = None
    with connection.cursor() as cursor:
        while True:
            since = now - step if step is not None and step < span else None
            bounds, bound_params = [], []
            if newer_than is not None:
                bounds.append("mj.published_at < %s")
                bound_params.append(newer_than)
            if since is not None:
                bounds.append("mj.published_at >= %s")
                bound_params.append(since)
            sql = (
                f"SELECT {columns} FROM marketplace_job mj "  # noqa: S608 - only placeholders are interpolated
                f"WHERE {' AND '.join([where.render(), *bounds])} "
                "ORDER BY mj.published_at DESC, mj.id DESC LIMIT %s"
            )
            cursor.execute(sql, [*column_params, *where.params, *bound_params, n - len(rows)])
            rows += cursor.fetchall()
            if len(rows) >= n or since is None:
                return rows
            newer_than = since
            # Enough span for 1.5x the rows still missing at the density seen so far; at least twice as far back.
            step = step * max(2.0, 1.5 * n / len(rows)) if rows else step * 4


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
    common = _common_conditions(filters)
    # Estimates come from the plain conditions (an "unindexed" condition hides its selectivity from the planner).
    expected = _estimate(where_clause(filters))
    where = where_clause(filters, unindexed=common)
    ranked = sort == Sort.RELEVANCE and bool(filters.tsquery)
    rank = "ts_rank(mj.search_vector, %s::tsquery)" if ranked else "0"
    rank_params = [filters.tsquery] if ranked else []
    recency = "extract(epoch FROM mj.published_at)::float8"  # cheaper to read than a timestamp
    n = max(count_cap + 1, window)
    sample = _newest(
        where,
        n=n,
        columns=f"mj.id, {recency}, {rank}, mj.job_type, mj.remote, mj.city, mj.country, mj.company_slug, "
        "mj.company_name",
        column_params=rank_params,
        expected=expected,
        stats=stats,
        now=now,
    )
    summary = _summary(sample[: count_cap + 1], expected=expected, count_cap=count_cap)
    if sort == Sort.SALARY:
        return Candidates(ids=[], summary=summary)  # salary pages are read one by one (see `salary_page`)
    if not ranked:
        return Candidates(ids=[row[0] for row in sample[:window]], summary=summary)
    by_id = {row[0]: (row[2], row[1]) for row in sample}
    if not summary.total_is_estimate:
        return Candidates(ids=_ranked(by_id)[:window], summary=summary)  # the sample holds every match

    # The strong pool: title and keyword matches, found through the small title index (or the date index when
    # the word is common in titles). The full text condition only re-checks them (a `-word` may be in the
    # description), so it is never used to find rows here.
    head = ("mj.head_vector @@ %s::tsquery", (filters.tsquery,))
    head_common = _share_of_index(*head) >= COMMON_SHARE
    without_text = replace(filters, tsquery="")
    strong_estimate = where_clause(without_text)
    strong_estimate.add(head[0], filters.tsquery)
    strong = where_clause(filters, unindexed=common | {"text"})
    strong.add(f"({head[0]}) IS TRUE" if head_common else head[0], filters.tsquery)
    strong_rows = _newest(
        strong,
        n=pool,
        columns=f"mj.id, {recency}, {rank}",
        column_params=rank_params,
        expected=_estimate(strong_estimate),
        stats=stats,
        now=now,
    )
    for job_id, published_at, score in strong_rows:
        by_id[job_id] = (score, published_at)
    return Candidates(ids=_ranked(by_id)[:window], summary=summary)


def _ranked(scores: dict[int, tuple[float, float]]) -> list[int]:
    """Ids by rank, then newest, then highest id (the same order as the SQL date order)."""
    return sorted(scores, key=lambda job_id: (scores[job_id], job_id), reverse=True)


def _summary(sample: list[tuple], *, expected: int, count_cap: int) -> Summary:
    estimated = len(sample) > count_cap
    total = max(count_cap + 1, expected) if estimated else len(sample)
    scale = total / len(sample) if estimated else 1
    counts = {name: Counter() for name in ("job_type", "remote", "location", "company")}
    names = {}
    for _, _, _, job_type, remote, city, country, company_slug, company_name in sample:
        counts["job_type"][job_type] += 1
        counts["remote"][remote] += 1
        if city:
            counts["location"][(city, country)] += 1
        counts["company"][company_slug] += 1
        names[company_slug] = company_name

    def top(counter: Counter, limit: int | None = None):
        return sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:limit]

    facets = {
        "job_type": [{"value": value, "count": round(n * scale)} for value, n in top(counts["job_type"])],
        "remote": [{"value": value, "count": round(n * scale)} for value, n in top(counts["remote"])],
        "locations": [
            {"city": city, "country": country, "count": round(n * scale)}
            for (city, country), n in top(counts["location"], TOP_FACET_VALUES)
        ],
        "companies": [
            {"slug": slug, "name": names[slug], "count": round(n * scale)}
            for slug, n in top(counts["company"], TOP_FACET_VALUES)
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
        cursor.execute(f"SELECT {columns} FROM marketplace_job mj WHERE mj.id = ANY(%s)", [ids])  # noqa: S608
        names = [column.name for column in cursor.description]
        rows = {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}
    return [rows[job_id] for job_id in ids if job_id in rows]


def salary_page(filters: SearchFilters, *, offset: int, limit: int) -> list[int]:
    """Ids of one page in salary order: the highest guaranteed (minimum) yearly pay first; jobs that do not
    say are last. Ordering by the minimum lets the salary index start right at `salary_max`."""
    where = where_clause(filters, unindexed=_common_conditions(filters))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT mj.id FROM marketplace_job mj WHERE {where.render()} "  # noqa: S608
            "ORDER BY mj.salary_annual_min DESC NULLS LAST, mj.id DESC LIMIT %s OFFSET %s",
            [*where.params, limit, offset],
        )
        return [row[0] for row in cursor.fetchall()]
