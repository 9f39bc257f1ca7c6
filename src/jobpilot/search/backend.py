"""The backend-neutral search interface. A second engine (e.g. OpenSearch) is one new module that implements
`SearchBackend`; nothing else changes: callers build `SearchFilters`, get ids back and read cards from PostgreSQL.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


class Sort:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    SALARY = "salary"


@dataclass(frozen=True)
class SearchDocument:
    """What the engine needs of one marketplace row (`marketplace.MarketplaceJob`): text to rank, values to
    filter, sort and facet on. `public_id` is the key (stable across a close and a re-listing)."""

    public_id: str
    row_id: int  # MarketplaceJob.id: what cards are read by
    title: str
    skills: tuple[str, ...] = ()
    description: str = ""
    company: str = ""
    location: str = ""
    tenant_id: int = 0  # 0: an imported job
    company_slug: str = ""
    job_type: str = ""
    remote: str = ""
    city: str = ""
    country: str = ""
    location_keys: tuple[str, ...] = ()
    skill_keys: tuple[str, ...] = ()
    currency: str = ""
    salary_annual_min: int | None = None
    salary_annual_max: int | None = None
    published_at: datetime | None = None
    expires_at: datetime | None = None
    language: str = ""  # ISO 639-1 (`search.language`); "": unknown, indexed like English


@dataclass(frozen=True)
class SearchFilters:
    """A search: the text (web-search syntax) and everything that narrows the set of matching jobs. Hashable, so
    equal saved searches are tested once.

    WARNING: `tenant_id` is the scope of the host the request came in on (None on the public marketplace). It must
    never be taken from a request parameter.
    """

    tenant_id: int | None = None
    text: str = ""  # words, "a phrase", -excluded, this or that
    location: tuple[str, ...] = ()  # lower-cased parts that must all match (city, region or country code)
    job_types: tuple[str, ...] = ()
    remote: tuple[str, ...] = ()
    salary_min: int | None = None  # the job's yearly range overlaps [salary_min, salary_max]
    salary_max: int | None = None
    currency: str = ""
    posted_since: datetime | None = None
    published_after: datetime | None = None  # strictly after: "new since the last alert"
    companies: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()  # detected listing languages (ISO 639-1)


@dataclass(frozen=True)
class Page:
    sort: str = Sort.RELEVANCE
    limit: int = 20
    offset: int = 0
    after: int | None = (
        None  # search-after: the sort key of the last hit of the previous page (newest, salary)
    )
    facets: bool = False


@dataclass
class SearchResult:
    row_ids: list[int]
    total: int  # exact
    next_after: int | None = None  # the sort key to pass as `Page.after` for the next page (None: relevance)
    facets: dict = field(default_factory=dict)  # exact counts (see `TantivyBackend.search`)
    languages: dict[int, str] = field(
        default_factory=dict
    )  # row id -> the language it was indexed in ("": en)


@dataclass(frozen=True)
class Snippet:
    """A short passage of a job's description around the query's words. `highlights` are [start, end) offsets
    into `text` in characters (code points) of the matched words; `text` is plain text, never markup."""

    text: str
    highlights: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Suggestion:
    text: str
    kind: str  # title, skill, company, location
    count: int


class IndexBusy(Exception):
    """Another process is writing the index; the caller leaves the work to it."""


class SearchBackend(Protocol):
    def cursor(self) -> int | None:
        """The change-log id applied last (None: an index never built, or unreadable)."""

    def apply(self, *, upserts: list[SearchDocument], deletes: list[str], cursor: int) -> None:
        """Replace or add `upserts`, remove `deletes` (public ids), then record `cursor`; raise `IndexBusy`."""

    def replace_all(self, docs: Iterable[SearchDocument], *, cursor: int) -> int: ...
    def search(self, filters: SearchFilters, page: Page) -> SearchResult: ...
    def matching(self, doc: SearchDocument, searches: list[SearchFilters]) -> list[int]:
        """The positions in `searches` that `doc` matches (saved-search alerts), with the same query semantics."""

    def suggest(self, prefix: str, limit: int = 8) -> list[Suggestion]: ...
    def snippets(self, text: str, bodies: dict[int, str], languages: dict[int, str]) -> dict[int, Snippet]:
        """For row ids -> their description text: a passage with the words of `text` highlighted (rows without
        a matching word are left out), analysed in each row's language (`SearchResult.languages`)."""
