"""The backend-neutral search interface. A second engine (e.g. OpenSearch) is one new module that implements
`SearchBackend`; nothing else changes."""

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class SearchDocument:
    """What the engine needs of one marketplace row. `id` is `MarketplaceJob.id`."""

    id: int
    title: str
    skills: str = ""
    description: str = ""
    company: str = ""
    location: str = ""
    job_type: str = ""
    remote: str = ""
    country: str = ""
    salary_annual_max: int = 0
    published_ts: int = 0  # epoch seconds


@dataclass
class SearchResult:
    ids: list[int]
    scores: list[float]
    total: int  # exact
    facets: dict[str, dict[str, int]] = field(default_factory=dict)  # exact counts per value


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    job_type: str = ""
    remote: str = ""
    country: str = ""
    salary_min: int = 0
    published_since_ts: int = 0
    offset: int = 0
    limit: int = 20


class SearchBackend(Protocol):
    def index(self, docs: list[SearchDocument]) -> None: ...
    def delete(self, ids: list[int]) -> None: ...
    def search(self, query: SearchQuery) -> SearchResult: ...
    def suggest(self, prefix: str, limit: int = 8) -> list[str]: ...
    def clear(self) -> None: ...
