"""API shapes of the seeker's profile and resumes (the profile is served under /api/v1/auth/profile/)."""

import re
import uuid
from datetime import datetime
from typing import Annotated

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from ninja import Field, Schema
from pydantic import StringConstraints, field_validator, model_validator

from jobpilot.core.openapi import schema_example
from jobpilot.jobs.models import JobType, RemoteOption, SalaryPeriod
from jobpilot.jobs.schemas import JobTypeIn
from jobpilot.matching.taxonomy import normalize_label
from jobpilot.seekers import examples
from jobpilot.seekers.models import EducationLevel, ProfileVisibility, SkillLevel

PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 ()./-]{4,30}$")
_url_validator = URLValidator(schemes=["http", "https"])

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


def http_url(value: str) -> str:
    value = value.strip()
    try:
        _url_validator(value)
    except DjangoValidationError as error:
        raise ValueError("must be an http(s) URL") from error
    return value


class LinkSchema(Schema):
    label: str = Field(..., min_length=1, max_length=50)
    url: str = Field(..., max_length=500)

    _url = field_validator("url")(http_url)


class SkillSchema(Schema):
    name: str = Field(..., min_length=1, max_length=80)
    level: SkillLevel = SkillLevel.INTERMEDIATE

    @field_validator("name")
    @classmethod
    def _strip(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise ValueError("must not be blank")
        return normalize_label(value)  # "js" and "JavaScript" are one skill


class SeekerProfileOut(Schema):
    model_config = schema_example(examples.SEEKER_PROFILE)

    headline: str
    location: str
    bio: str
    phone: str
    links: list[LinkSchema]
    desired_job_types: list[JobType]
    desired_locations: list[str]
    work_arrangements: list[RemoteOption]
    salary_expectation: int | None
    salary_currency: str
    salary_period: SalaryPeriod
    experience_years: int | None
    education_level: EducationLevel | None
    skills: list[SkillSchema]
    notify_application_updates: bool
    notify_interview_reminders: bool
    notify_job_recommendations: bool
    notify_product_news: bool
    profile_visibility: ProfileVisibility
    share_contact_details: bool

    @staticmethod
    def resolve_skills(obj) -> list:
        return list(obj.skills.all()) if obj.pk and not obj._state.adding else []

    @staticmethod
    def resolve_education_level(obj):
        return obj.education_level or None


class SeekerProfilePatch(Schema):
    """Every field optional; only the fields sent change. `skills` replaces the whole list."""

    model_config = schema_example(examples.SEEKER_PROFILE_PATCH)

    headline: str = Field(None, max_length=200)
    location: str = Field(None, max_length=200)
    bio: str = Field(None, max_length=5000)
    phone: str = Field(None, max_length=32)
    links: list[LinkSchema] = Field(None, max_length=10)
    desired_job_types: list[JobTypeIn] = Field(None, max_length=len(JobType.choices))
    desired_locations: list[ShortText] = Field(None, max_length=10)
    work_arrangements: list[RemoteOption] = Field(None, max_length=len(RemoteOption.choices))
    salary_expectation: int | None = Field(None, ge=0, le=100_000_000)
    salary_currency: str = Field(None, pattern=r"^([A-Z]{3})?$")
    salary_period: SalaryPeriod = None
    experience_years: int | None = Field(None, ge=0, le=70)
    education_level: EducationLevel | None = None
    skills: list[SkillSchema] = Field(None, max_length=50)
    notify_application_updates: bool = None
    notify_interview_reminders: bool = None
    notify_job_recommendations: bool = None
    notify_product_news: bool = None
    profile_visibility: ProfileVisibility = None
    share_contact_details: bool = None

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data):
        # Ninja schemas read attributes off any object: without this, a string would pass as "no changes".
        if not isinstance(getattr(data, "_obj", data), dict):  # Ninja hands validators a DjangoGetter
            raise ValueError("must be an object")
        return data

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        value = value.strip()
        if value and not PHONE_PATTERN.match(value):
            raise ValueError("must be a phone number (digits, spaces, + ( ) - . /)")
        return value

    @field_validator("desired_job_types", "work_arrangements", "desired_locations")
    @classmethod
    def _unique(cls, values: list) -> list:
        seen, unique = set(), []
        for value in values:
            key = value.lower() if isinstance(value, str) else value
            if key not in seen:
                seen.add(key)
                unique.append(value)
        return unique

    @field_validator("skills")
    @classmethod
    def _unique_skills(cls, skills: list[SkillSchema]) -> list[SkillSchema]:
        names = [skill.name.lower() for skill in skills]
        if len(names) != len(set(names)):
            raise ValueError("each skill can be listed once")
        return skills

    def profile_changes(self) -> tuple[dict, list[dict] | None]:
        """(field changes for the model, the new skills list or None when skills were not sent)."""
        changes = self.model_dump(exclude_unset=True, exclude={"skills"}, mode="json")
        # Not from the exclude_unset dump: that would drop each skill's defaulted level.
        skills = (
            [skill.model_dump(mode="json") for skill in self.skills]
            if "skills" in self.model_fields_set
            else None
        )
        if "education_level" in changes and changes["education_level"] is None:
            changes["education_level"] = ""
        return changes, skills


class ResumeOut(Schema):
    model_config = schema_example(examples.RESUME)

    id: uuid.UUID
    title: str
    original_filename: str
    kind: str
    size: int
    is_default: bool
    text_status: str
    created_at: datetime
    download_url: str

    @staticmethod
    def resolve_download_url(obj) -> str:
        return f"/api/v1/resumes/{obj.id}/download/"


class ResumeDetailOut(ResumeOut):
    model_config = schema_example(examples.RESUME_DETAIL)

    text: str


class ResumeParseValues(Schema):
    """What the seeker edited on the review page (or sent to `…/apply/`): each replaces the parsed value of that
    field. `skills` are the names kept (unchecked ones left out, typed ones normalized like the profile's)."""

    phone: str = Field(None, max_length=32)
    location: str = Field(None, max_length=200)
    summary: str = Field(None, max_length=5000)
    links: list[LinkSchema] = Field(None, max_length=10)
    experience_years: int = Field(None, ge=0, le=70)
    skills: list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]] = (
        Field(None, max_length=50)
    )

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        value = value.strip()
        if value and not PHONE_PATTERN.match(value):
            raise ValueError("must be a phone number (digits, spaces, + ( ) - . /)")
        return value

    @field_validator("skills")
    @classmethod
    def _normalized(cls, skills: list[str]) -> list[str]:
        return [normalize_label(" ".join(skill.split())) for skill in skills]
