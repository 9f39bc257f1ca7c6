"""What an adapter hands the pipeline: one `RawJob` per item in the source's own words (only renamed into these
fields, never interpreted), or a `Rejected` for an item it could not read. `normalize.py` does the rest."""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class RawJob:
    external_id: str
    title: str
    url: str  # the original posting page
    apply_url: str = ""  # where to apply, when the source names it apart from the page
    group_id: str = ""
    company: str = ""
    department: str = ""
    # Location: free text as shown, plus whatever the source gives as structure.
    location: str = ""
    city: str = ""
    region: str = ""
    country: str = ""  # a code or a name
    # "remote" / "hybrid" / "onsite" when the source says so structurally; else inferred from the texts.
    workplace: str = ""
    applicant_countries: list[str] = field(default_factory=list)
    employment_type: str = ""  # the source's own word: "Full-time", "FullTime", "permanent", ...
    # Salary: structured when the source has it, else `salary_text` is parsed.
    salary_min: float | None = None
    salary_max: float | None = None
    salary_currency: str = ""
    salary_period: str = ""  # the source's own word: "per-year-salary", "1 YEAR", "hour", ...
    salary_text: str = ""
    description_html: str = ""
    posted_at: datetime | str | int | None = None
    updated_at: datetime | str | int | None = None
    tags: list[str] = field(default_factory=list)


@dataclass
class Rejected:
    ref: str  # the item's id, or its position in the feed when it has none
    reason: str


class FetchFailed(Exception):
    """The source could not be read (after retries). Raised by an adapter at any point: items it yielded
    before are kept, but the fetch is not complete, so nothing is closed."""
