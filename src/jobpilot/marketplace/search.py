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

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

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
# Newest first; the last slice is everything older. Fine slices cost a query each when a search is rare; coarse
# ones make a medium-common word visit all its matches in the first slice.
SLICES = (timedelta(days=1), timedelta(days=3), timedelta(days=7), timedelta(days=30), None)


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


def where_clause(filters: SearchFilters) -> Where:
    where = Where()
    # The index holds live jobs only, but expiry is closed by a periodic task: never show a job past its time.
    where.add("(mj.expires_at IS NULL OR mj.expires_at > now())")
    if filters.tenant_id is not None:
        where.add("mj.tenant_id = %s", filters.tenant_id)
    if filters.tsquery:
        where.add("mj.search_vector @@ %s::tsquery", filters.tsquery)
    if filters.location:
        where.add("mj.location_keys @> %s::varchar[]", list(filters.location))
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
    if filters.skills:
        where.add("mj.skill_keys @> %s::varchar[]", list(filters.skills))
    return where


def _newest(where: Where, *, n: int, columns: str, column_params: list, now: datetime) -> list[tuple]:
    """The newest `n` rows matching `where` (in date order), read slice by slice."""
    rows: list[tuple] = []
    newer_than = None
    with connection.cursor() as cursor:
        for span in SLICES:
            since = now - span if span is not None else None
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
            if len(rows) >= n:
                break
            newer_than = since
    return rows


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
    where = where_clause(filters)
    ranked = sort == Sort.RELEVANCE and bool(filters.tsquery)
    rank = "ts_rank(mj.search_vector, %s::tsquery)" if ranked else "0"
    rank_params = [filters.tsquery] if ranked else []
    sample = _newest(
        where,
        n=max(count_cap + 1, window),
        columns=f"mj.id, mj.published_at, {rank}, mj.job_type, mj.remote, mj.city, mj.country, mj.company_slug, "
        "mj.company_name",
        column_params=rank_params,
        now=now,
    )
    summary = _summary(sample[: count_cap + 1], where, count_cap=count_cap)
    if sort == Sort.SALARY:
        return Candidates(ids=[], summary=summary)  # salary pages are read one by one (see `salary_page`)
    if not ranked:
        return Candidates(ids=[row[0] for row in sample[:window]], summary=summary)
    strong = Where([*where.sql, "mj.head_vector @@ %s::tsquery"], [*where.params, filters.tsquery])
    by_id = {row[0]: (row[2], row[1]) for row in sample}
    for job_id, published_at, score in _newest(
        strong, n=pool, columns=f"mj.id, mj.published_at, {rank}", column_params=rank_params, now=now
    ):
        by_id[job_id] = (score, published_at)
    order = sorted(by_id, key=lambda job_id: (by_id[job_id], job_id), reverse=True)
    return Candidates(ids=order[:window], summary=summary)


def _summary(sample: list[tuple], where: Where, *, count_cap: int) -> Summary:
    estimated = len(sample) > count_cap
    total = max(count_cap + 1, _estimate(where)) if estimated else len(sample)
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
    where = where_clause(filters)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT mj.id FROM marketplace_job mj WHERE {where.render()} "  # noqa: S608
            "ORDER BY mj.salary_annual_min DESC NULLS LAST, mj.id DESC LIMIT %s OFFSET %s",
            [*where.params, limit, offset],
        )
        return [row[0] for row in cursor.fetchall()]
