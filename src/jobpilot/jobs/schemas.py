"""The shapes of postings going in and out of the employer API (and of a CSV import's rows, which are validated
with the same input schema). Limits here are the product's limits; cross-field rules live in the services."""

import re
import uuid
from datetime import date, datetime
from typing import Annotated, ClassVar, Literal

from ninja import Schema
from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    HttpUrl,
    StringConstraints,
    field_validator,
    model_validator,
)

from jobpilot.core.openapi import schema_example
from jobpilot.core.time_zones import TimeZoneName
from jobpilot.jobs import examples
from jobpilot.jobs.models import JobPosting, JobType, RemoteOption, SalaryPeriod
from jobpilot.matching.taxonomy import normalize_label

COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SALARY = 100_000_000
MAX_HTML = 50_000


def job_type_spelling(value):
    """The job type people write ("full-time", "Full time") as its value ("full_time"): every input of a job type
    (postings, seeker profiles, search) reads it through this."""
    if isinstance(value, str):
        return re.sub(r"[\s-]+", "_", value.strip().lower())
    return value


# A job type as input: its value or the way people write it.
JobTypeIn = Annotated[JobType, BeforeValidator(job_type_spelling)]


def _country(value: str) -> str:
    value = value.strip().upper()
    if value and not COUNTRY_CODE.match(value):
        raise ValueError("must be a two-letter ISO 3166 country code, like DE or US")
    return value


def _url(value: str) -> str:
    if value:
        HttpUrl(value)  # raises on anything that is not an absolute http(s) URL
        if not value.lower().startswith(("http://", "https://")):
            raise ValueError("must be an http or https URL")
    return value


def _words(max_items: int, max_length: int, *, normalize=None):
    """A list of short labels (tags, skills): trimmed, empty ones dropped, duplicates (any case) dropped.

    `normalize` maps each entry to its stored form first (skills: the taxonomy's canonical label)."""

    def clean(values: list[str]) -> list[str]:
        seen, out = set(), []
        for value in values:
            value = " ".join(value.split())
            if not value:
                continue
            if normalize:
                value = normalize(value)
            if len(value) > max_length:
                raise ValueError(f"each entry must be at most {max_length} characters")
            if value.lower() not in seen:
                seen.add(value.lower())
                out.append(value)
        if len(out) > max_items:
            raise ValueError(f"at most {max_items} entries")
        return out

    return AfterValidator(clean)


CountryCode = Annotated[str, AfterValidator(_country)]
Url = Annotated[str, StringConstraints(max_length=500, strip_whitespace=True), AfterValidator(_url)]
Html = Annotated[str, StringConstraints(max_length=MAX_HTML)]
Tags = Annotated[list[str], _words(20, 40)]
Skills = Annotated[list[str], _words(30, 50, normalize=normalize_label)]
Salary = Annotated[int, Field(ge=0, le=MAX_SALARY)]


class ScreeningQuestion(Schema):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_-]{1,40}$")] = Field(
        default_factory=lambda: uuid.uuid4().hex[:12]
    )
    question: Annotated[str, StringConstraints(min_length=3, max_length=300, strip_whitespace=True)]
    kind: Literal["text", "yes_no", "single_choice", "multiple_choice", "number"] = "text"
    required: bool = False
    choices: list[Annotated[str, StringConstraints(min_length=1, max_length=100, strip_whitespace=True)]] = (
        Field(default_factory=list, max_length=20)
    )

    @model_validator(mode="after")
    def _choices_fit_the_kind(self):
        if self.kind in ("single_choice", "multiple_choice") and len(self.choices) < 2:
            raise ValueError("a choice question needs at least two choices")
        if self.kind not in ("single_choice", "multiple_choice") and self.choices:
            raise ValueError("only choice questions have choices")
        return self


ScreeningQuestions = Annotated[list[ScreeningQuestion], Field(max_length=20)]


class _PostingFields(Schema):
    @field_validator("screening_questions", check_fields=False)
    @classmethod
    def _question_ids_are_unique(cls, questions):
        ids = [question.id for question in questions or []]
        if len(ids) != len(set(ids)):
            raise ValueError("question ids must be unique")
        return questions


class JobPostingIn(_PostingFields):
    """A new posting (always a draft; publishing is a separate step for admins)."""

    model_config = schema_example(examples.POSTING_IN_EXAMPLE)

    title: Annotated[str, StringConstraints(min_length=3, max_length=200, strip_whitespace=True)]
    description: Html = ""
    requirements: Html = ""
    benefits: Html = ""
    department: Annotated[str, StringConstraints(max_length=100, strip_whitespace=True)] = ""
    job_type: JobTypeIn = JobType.FULL_TIME
    tags: Tags = Field(default_factory=list)
    skills: Skills = Field(default_factory=list)
    city: Annotated[str, StringConstraints(max_length=100, strip_whitespace=True)] = ""
    region: Annotated[str, StringConstraints(max_length=100, strip_whitespace=True)] = ""
    country: CountryCode = ""
    remote: RemoteOption = RemoteOption.ONSITE
    applicant_countries: Annotated[list[CountryCode], Field(max_length=50)] = Field(default_factory=list)
    salary_min: Salary | None = None
    salary_max: Salary | None = None
    salary_currency: Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{3}$", to_upper=True)] = "USD"
    salary_period: SalaryPeriod = SalaryPeriod.YEAR
    application_deadline: date | None = None
    expires_at: datetime | None = None
    apply_url: Url = ""
    screening_questions: ScreeningQuestions = Field(default_factory=list)
    is_featured: bool = False


class JobPostingPatch(_PostingFields):
    """A partial update: only the fields sent change. Sending `null` clears a clearable field."""

    model_config = schema_example(examples.POSTING_PATCH_EXAMPLE)

    title: Annotated[str, StringConstraints(min_length=3, max_length=200, strip_whitespace=True)] | None = (
        None
    )
    slug: Annotated[str, StringConstraints(min_length=3, max_length=80, pattern=SLUG.pattern)] | None = None
    description: Html | None = None
    requirements: Html | None = None
    benefits: Html | None = None
    department: Annotated[str, StringConstraints(max_length=100, strip_whitespace=True)] | None = None
    job_type: JobTypeIn | None = None
    tags: Tags | None = None
    skills: Skills | None = None
    city: Annotated[str, StringConstraints(max_length=100, strip_whitespace=True)] | None = None
    region: Annotated[str, StringConstraints(max_length=100, strip_whitespace=True)] | None = None
    country: CountryCode | None = None
    remote: RemoteOption | None = None
    applicant_countries: Annotated[list[CountryCode], Field(max_length=50)] | None = None
    salary_min: Salary | None = None
    salary_max: Salary | None = None
    salary_currency: Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{3}$", to_upper=True)] | None = None
    salary_period: SalaryPeriod | None = None
    application_deadline: date | None = None
    expires_at: datetime | None = None
    apply_url: Url | None = None
    screening_questions: ScreeningQuestions | None = None
    is_featured: bool | None = None

    # Fields that cannot be emptied with null (their "empty" is a value, or they are required).
    NOT_NULLABLE: ClassVar[tuple[str, ...]] = (
        "title",
        "slug",
        "job_type",
        "remote",
        "salary_currency",
        "salary_period",
        "is_featured",
    )

    @model_validator(mode="after")
    def _required_fields_are_not_nulled(self):
        for name in self.NOT_NULLABLE:
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} cannot be null")
        return self

    def changes(self) -> dict:
        """The fields the caller sent; null for a text or list field means empty."""
        changes = {}
        for name in self.model_fields_set:
            value = getattr(self, name)
            if value is None and name not in (
                "salary_min",
                "salary_max",
                "application_deadline",
                "expires_at",
            ):
                value = [] if name in ("tags", "skills", "applicant_countries", "screening_questions") else ""
            if name == "screening_questions" and value:
                value = [question.model_dump() for question in value]
            changes[name] = value
        return changes


class ScreeningQuestionOut(Schema):
    id: str
    question: str
    kind: str
    required: bool
    choices: list[str]


class JobPostingOut(Schema):
    model_config = schema_example(examples.POSTING_EXAMPLE)

    id: uuid.UUID = Field(validation_alias="public_id")
    slug: str
    status: JobPosting.Status
    closed_reason: str
    title: str
    description: str
    requirements: str
    benefits: str
    department: str
    job_type: JobType
    tags: list[str]
    skills: list[str]
    city: str
    region: str
    country: str
    remote: RemoteOption
    applicant_countries: list[str]
    salary_min: int | None
    salary_max: int | None
    salary_currency: str
    salary_period: SalaryPeriod
    application_deadline: date | None
    expires_at: datetime | None
    apply_url: str
    screening_questions: list[ScreeningQuestionOut]
    is_featured: bool
    view_count: int
    application_count: int
    published_at: datetime | None
    closed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    # Provenance: "" for a posting typed here, else the ATS it is synced from (see `employer/ats/`). While
    # `ats_connection_id` is set, the board owns title, description, location, type, salary, tags and apply URL.
    source: str = ""
    external_id: str = ""
    ats_connection_id: int | None = None


class JobPostingListParams(Schema):
    status: JobPosting.Status | None = None
    q: Annotated[str, StringConstraints(max_length=200, strip_whitespace=True)] = ""
    department: Annotated[str, StringConstraints(max_length=100, strip_whitespace=True)] = ""
    page: int = Field(1, ge=1, le=10_000)
    limit: int = Field(20, ge=1, le=100)


class PageOut(Schema):
    page: int
    limit: int
    total: int
    pages: int


class JobPostingListOut(Schema):
    model_config = schema_example(examples.LIST_EXAMPLE)

    results: list[JobPostingOut]
    pagination: PageOut


class ImportRowError(Schema):
    row: int
    field: str | None
    message: str


class ImportOut(Schema):
    model_config = schema_example(examples.IMPORT_EXAMPLE)

    created: int
    jobs: list[JobPostingOut]


class CompanyProfileIn(Schema):
    model_config = schema_example(examples.COMPANY_EXAMPLE)

    name: Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
    tagline: Annotated[str, StringConstraints(max_length=200, strip_whitespace=True)] = ""
    logo_url: Url = ""
    website: Url = ""
    about: Html = ""
    time_zone: TimeZoneName = "UTC"  # where application deadline days end


class CompanyProfileOut(Schema):
    model_config = schema_example(examples.COMPANY_EXAMPLE)

    name: str
    tagline: str
    logo_url: str
    website: str
    about: str
    time_zone: str
