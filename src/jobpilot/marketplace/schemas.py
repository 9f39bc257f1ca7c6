"""Search parameters and the shapes of marketplace answers. A bad parameter is a 422 naming it (the API's
validation handler), never a 500 and never silently ignored."""

import base64
import binascii
import re
import uuid
from datetime import date, datetime, timedelta
from typing import Annotated, Literal

from django.conf import settings
from django.utils import timezone
from ninja import Schema
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from jobpilot.core.openapi import schema_example
from jobpilot.ingest.geo import search_location_keys
from jobpilot.jobs.models import JobType, RemoteOption
from jobpilot.jobs.schemas import job_type_spelling
from jobpilot.marketplace import examples
from jobpilot.marketplace.models import SavedSearch
from jobpilot.search.backend import SearchFilters, Sort
from jobpilot.search.language import LANGUAGES

MAX_LIST_ITEMS = 10


def _split(value):
    """`a,b` or repeated parameters (`?x=a&x=b`) or a JSON list: one flat list, blanks dropped."""
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else [value]
    out = []
    for item in items:
        if not isinstance(item, str):
            out.append(item)
            continue
        out += [part.strip() for part in item.split(",") if part.strip()]
    return out


def _remote(value):
    """`remote=true` (the seed API's form) means remote jobs; `false` means on-site or hybrid ones."""
    values = _split(value)
    if len(values) == 1 and str(values[0]).lower() in ("true", "1", "yes"):
        return [RemoteOption.REMOTE.value]
    if len(values) == 1 and str(values[0]).lower() in ("false", "0", "no"):
        return [RemoteOption.ONSITE.value, RemoteOption.HYBRID.value]
    return values


def _job_types(value):
    return [job_type_spelling(item) for item in _split(value)]


# The list parameters are checked as a whole (not item by item), so that an error names the parameter itself
# (`job_type`), not a position inside it.
def _choices(values):
    allowed = set(values)

    def check(values: list[str]) -> list[str]:
        values = list(dict.fromkeys(value.lower() for value in values))
        unknown = [value for value in values if value not in allowed]
        if unknown:
            raise ValueError(f"unknown value {unknown[0]!r}; use one of {', '.join(sorted(allowed))}")
        return values

    return AfterValidator(check)


def _labels(pattern: str, max_length: int):
    compiled = re.compile(pattern)

    def check(values: list[str]) -> list[str]:
        values = list(dict.fromkeys(value.strip().lower() for value in values))
        if len(values) > MAX_LIST_ITEMS:
            raise ValueError(f"at most {MAX_LIST_ITEMS} values")
        for value in values:
            if len(value) > max_length or not compiled.match(value):
                raise ValueError(f"{value[:max_length]!r} is not a valid value")
        return values

    return AfterValidator(check)


JobTypes = Annotated[list[str], BeforeValidator(_job_types), _choices(JobType.values)]
RemoteOptions = Annotated[list[str], BeforeValidator(_remote), _choices(RemoteOption.values)]
CompanySlugs = Annotated[list[str], BeforeValidator(_split), _labels(r"^[a-z0-9-]+$", 100)]
Languages = Annotated[list[str], BeforeValidator(_split), _choices(LANGUAGES)]
SkillNames = Annotated[list[str], BeforeValidator(_split), _labels(r"^[^\x00-\x1f]+$", 50)]


class SearchFilterParams(Schema):
    """Filters shared by the search endpoint and saved searches."""

    location: Annotated[str, StringConstraints(max_length=100, strip_whitespace=True)] = Field(
        "",
        description=(
            "City, region, country code or country name; parts separated by commas must all match (`berlin, de`, "
            "`Munich, Germany`). `Remote` (or `anywhere`) is no place: it asks for remote jobs."
        ),
    )
    job_type: JobTypes = Field(
        default_factory=list,
        description="One or more of full_time, part_time, contract, internship, temporary.",
    )
    remote: RemoteOptions = Field(
        default_factory=list, description="onsite, hybrid, remote (several allowed); `true` means remote."
    )
    salary_min: int | None = Field(
        None, ge=0, le=100_000_000, description="Yearly amount the job can pay at least."
    )
    salary_max: int | None = Field(
        None, ge=0, le=100_000_000, description="Yearly amount the job starts at most at."
    )
    currency: Annotated[str, StringConstraints(pattern=r"^([A-Za-z]{3})?$", to_upper=True)] = ""
    company: CompanySlugs = Field(default_factory=list, description="Company slugs (as in the facets).")
    skills: SkillNames = Field(default_factory=list, description="Jobs must list all of these skills.")
    lang: Languages = Field(
        default_factory=list,
        description="The listing's detected language(s), ISO 639-1: "
        + ", ".join(LANGUAGES)
        + " (`en` includes listings whose language could not be told).",
    )

    @field_validator("salary_max")
    @classmethod
    def _max_not_below_min(cls, value, info: ValidationInfo):
        minimum = info.data.get("salary_min")
        if value is not None and minimum is not None and value < minimum:
            raise ValueError("must not be below salary_min")
        return value

    def filters(self, **extra) -> SearchFilters:
        location, wants_remote = search_location_keys(
            tuple(part.strip().lower() for part in self.location.split(",") if part.strip())
        )
        remote = tuple(self.remote)
        if wants_remote and RemoteOption.REMOTE.value not in remote:
            remote = (*remote, RemoteOption.REMOTE.value)
        return SearchFilters(
            location=location,
            job_types=tuple(self.job_type),
            remote=remote,
            salary_min=self.salary_min,
            salary_max=self.salary_max,
            currency=self.currency,
            companies=tuple(self.company),
            skills=tuple(self.skills),
            languages=tuple(self.lang),
            **extra,
        )


class JobSearchParams(SearchFilterParams):
    q: Annotated[str, StringConstraints(max_length=200, strip_whitespace=True)] = Field(
        "", description='Web-search syntax: words, "a phrase", -excluded, this or that.'
    )
    posted_within: int | None = Field(None, ge=1, le=365, description="Days since the job was published.")
    sort: Literal["relevance", "newest", "salary"] = Sort.RELEVANCE
    limit: int = Field(20, ge=1, le=100)
    page: int = Field(1, ge=1)
    facets: bool = Field(True, description="Count job types, remote options, top locations and companies.")

    cursor: Annotated[str, StringConstraints(max_length=100, strip_whitespace=True)] = Field(
        "",
        description="`pagination.next_cursor` of the previous page: pages beyond `page`'s reach, to any depth.",
    )

    @field_validator("page")
    @classmethod
    def _page_within_reach(cls, value, info: ValidationInfo):
        limit = info.data.get("limit") or 20
        reach = settings.MARKETPLACE_SEARCH_MAX_OFFSET
        if (value - 1) * limit >= reach:
            raise ValueError(f"page reaches only the first {reach} results; follow next_cursor to go deeper")
        return value

    @field_validator("cursor")
    @classmethod
    def _cursor_of_this_sort(cls, value, info: ValidationInfo):
        if value:
            sort, _position = decode_cursor(value)
            if sort != info.data.get("sort"):
                raise ValueError("the cursor belongs to another sort order")
        return value

    def filters(self, **extra) -> SearchFilters:
        if self.posted_within:
            extra["posted_since"] = timezone.now() - timedelta(days=self.posted_within)
        return super().filters(**extra)


def encode_cursor(sort: str, position: int) -> str:
    """An opaque cursor: the sort and, per sort, the last hit's sort key (newest, salary) or the offset reached
    (relevance)."""
    return base64.urlsafe_b64encode(f"{sort}:{position}".encode()).decode().rstrip("=")


def decode_cursor(value: str) -> tuple[str, int]:
    try:
        sort, _, position = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode().partition(":")
        if sort not in (Sort.RELEVANCE, Sort.NEWEST, Sort.SALARY):
            raise ValueError
        return sort, int(position)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ValueError("not a cursor this search gave out") from None


# --- answers ------------------------------------------------------------------------------------------------------
# Answers are built as plain data by the selectors, so they are plain pydantic models: ninja's `Schema` would run
# its ORM-attribute resolver on every nested object of every card (a few ms per search page).


class Answer(BaseModel):
    pass


class CompanyOut(Answer):
    name: str
    slug: str
    logo_url: str


class LocationOut(Answer):
    city: str
    region: str
    country: str
    text: str


class SalaryOut(Answer):
    min: int | None
    max: int | None
    currency: str
    period: str


class SnippetOut(Answer):
    text: str = Field(description="Plain text (escape it before putting it into HTML); never markup.")
    highlights: list[tuple[int, int]] = Field(
        description="The matched words: [start, end) offsets into `text`, in characters (Unicode code points)."
    )


class JobCardOut(Answer):
    id: uuid.UUID
    source: str
    title: str
    slug: str
    company: CompanyOut
    department: str
    job_type: str
    remote: str
    location: LocationOut
    salary: SalaryOut | None
    skills: list[str]
    tags: list[str]
    summary: str
    apply_url: str
    is_featured: bool
    published_at: datetime
    expires_at: datetime | None
    snippet: SnippetOut | None = Field(
        None, description="Search with words only: a passage of the description with the matched words."
    )


class ScreeningQuestionOut(Answer):
    id: str
    question: str
    kind: str
    required: bool
    choices: list[str]


class JobDetailOut(JobCardOut):
    # Where the job came from: the board of an imported job, or the ATS an employer's posting is synced from
    # (`greenhouse`, `lever`, ...); "" for a posting typed into JobPilot.
    source_name: str = ""
    description_html: str
    requirements_html: str
    benefits_html: str
    applicant_countries: list[str]
    application_deadline: date | None
    screening_questions: list[ScreeningQuestionOut]


class SearchPaginationOut(Answer):
    page: int
    limit: int
    total: int
    pages: int = Field(description="Pages of `limit` results in `total`.")
    total_is_estimate: bool = Field(description="Always false: totals are exact (kept for old clients).")
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page; null on the last.")


class FacetValueOut(Answer):
    value: str
    count: int


class LocationFacetOut(Answer):
    city: str
    country: str
    count: int


class CompanyFacetOut(Answer):
    slug: str
    name: str
    count: int


class SalaryBandOut(Answer):
    min: int
    max: int | None = Field(description="Exclusive; null: no upper end.")
    count: int = Field(description="Jobs whose yearly range reaches into the band (by its upper end).")


class PostedWithinOut(Answer):
    days: int
    count: int


class FacetsOut(Answer):
    """Exact counts over every match."""

    job_type: list[FacetValueOut]
    remote: list[FacetValueOut]
    locations: list[LocationFacetOut] = Field(description="The top 10 cities.")
    companies: list[CompanyFacetOut] = Field(description="The top 10 companies.")
    salary_bands: list[SalaryBandOut] = Field(default_factory=list)
    posted_within: list[PostedWithinOut] = Field(default_factory=list)
    languages: list[FacetValueOut] = Field(
        default_factory=list,
        description="Per detected language (ISO 639-1, as `lang`); listings whose language is unclear count as en.",
    )
    is_estimate: bool = Field(False, description="Always false (kept for old clients).")


class SearchOut(Answer):
    results: list[JobCardOut]
    pagination: SearchPaginationOut
    facets: FacetsOut | None


class SavedJobOut(Answer):
    model_config = schema_example(examples.SAVED_JOB_EXAMPLE)

    id: uuid.UUID
    title: str
    company_name: str
    saved_at: datetime
    available: bool = Field(description="False once the job has left the marketplace (closed or expired).")
    job: JobCardOut | None


class SavedJobListOut(Answer):
    model_config = schema_example(examples.SAVED_JOBS_EXAMPLE)

    results: list[SavedJobOut]
    pagination: SearchPaginationOut


FREQUENCY_HELP = (
    "How often new matches are notified: `instant` (when a job is listed), a `daily` or `weekly` digest, or `off` "
    "(the search is kept, never alerted; switched back on, alerts start from then)."
)


class SavedSearchIn(Schema):
    model_config = schema_example(examples.SAVED_SEARCH_IN_EXAMPLE)

    name: Annotated[str, StringConstraints(min_length=1, max_length=100, strip_whitespace=True)]
    q: Annotated[str, StringConstraints(max_length=200, strip_whitespace=True)] = ""
    filters: SearchFilterParams = Field(default_factory=SearchFilterParams)
    frequency: SavedSearch.Frequency = Field(SavedSearch.Frequency.DAILY, description=FREQUENCY_HELP)


class SavedSearchPatch(Schema):
    model_config = schema_example(examples.SAVED_SEARCH_PATCH_EXAMPLE)

    name: Annotated[str, StringConstraints(min_length=1, max_length=100, strip_whitespace=True)] | None = None
    q: Annotated[str, StringConstraints(max_length=200, strip_whitespace=True)] | None = None
    filters: SearchFilterParams | None = None
    frequency: SavedSearch.Frequency | None = Field(None, description=FREQUENCY_HELP)


class SavedSearchOut(Schema):
    model_config = schema_example(examples.SAVED_SEARCH_EXAMPLE)

    id: int
    name: str
    q: str
    filters: dict
    frequency: str
    scope: str = Field(description="`marketplace`, or the employer slug the search was saved on.")
    last_alerted_at: datetime | None
    created_at: datetime
    updated_at: datetime


class SuggestParams(Schema):
    q: Annotated[str, StringConstraints(min_length=1, max_length=100, strip_whitespace=True)] = Field(
        description="What the searcher has typed so far."
    )
    limit: int = Field(8, ge=1, le=20)


class SuggestionOut(Answer):
    text: str = Field(description="The whole value, lower-cased.")
    kind: Literal["title", "skill", "company", "location"]
    count: int = Field(description="Live jobs with this value.")


class SuggestOut(Answer):
    results: list[SuggestionOut]


class PageParams(Schema):
    page: int = Field(1, ge=1, le=10_000)
    limit: int = Field(20, ge=1, le=100)
