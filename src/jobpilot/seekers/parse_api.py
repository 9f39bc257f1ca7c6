"""Resume parsing: `/api/v1/resume/`. Parse an upload or one of my resumes, review, apply chosen fields; my skills."""

import json
import uuid
from enum import StrEnum
from typing import Literal

from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from jobpilot.accounts.auth import user_auth
from jobpilot.core.errors import Invalid
from jobpilot.seekers import selectors, services
from jobpilot.seekers.cv_builder import TEMPLATES
from jobpilot.seekers.schemas import ResumeOut, ResumeParseValues

router = Router(auth=user_auth, tags=["resume parsing"])


_PARSE_EXAMPLE = {
    "id": "6f1c2a4e-8d1b-4c1e-9a55-2f7b9c0d1e23",
    "resume_id": "0b8e1d7a-3c2f-4f5e-8a9b-1c2d3e4f5a6b",
    "quality": "ok",
    "result": {
        "quality": {"status": "ok", "detail": "", "chars": 812, "wordlike_ratio": 0.91, "ok": True},
        "contact": {"email": {"value": "dana@example.com", "confidence": 0.95, "source": "dana@example.com"}},
        "skills": [
            {"value": {"label": "Python", "skill_id": None}, "confidence": 0.0, "source": "Python, SQL"}
        ],
    },
}


class ParseOut(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [_PARSE_EXAMPLE]})

    id: uuid.UUID
    resume_id: uuid.UUID
    quality: str
    result: dict


class ResumeParseApplyIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"fields": ["phone", "skills"], "values": {"skills": ["Python", "PostgreSQL"]}}]
        }
    )

    fields: list[str] = Field(..., min_length=1, max_length=10)
    values: ResumeParseValues | None = None  # what the seeker edited; fields not in it apply as parsed


class ResumeSkillOut(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"name": "Python", "level": "advanced"}]})

    name: str
    level: str


class AppliedOut(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"applied": ["phone", "skills"]}]})

    applied: list[str]


def _parse_out(parse) -> dict:
    return {"id": parse.id, "resume_id": parse.resume_id, "quality": parse.quality, "result": parse.result}


@router.post(
    "/parse/",
    response={201: ParseOut},
    summary="Parse a resume (upload, or JSON {resume_id})",
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {"resume_id": {"type": "string", "format": "uuid"}},
                        "required": ["resume_id"],
                    },
                    "example": {"resume_id": "0b8e1d7a-3c2f-4f5e-8a9b-1c2d3e4f5a6b"},
                },
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                        "required": ["file"],
                    },
                    "example": {"file": "%PDF-1.7 … (the file's bytes)"},
                },
            }
        }
    },
)
def resume_parse(request):
    """Multipart with `file`, or JSON `{"resume_id": ...}` of one of my resumes. A file with no readable text
    (empty, scanned, too short) is refused with 422 and not stored."""
    # Read by hand, not as a ninja File parameter: that would make the JSON form of this endpoint a 415.
    file = request.FILES.get("file")
    if file is not None:
        parse = services.resume_parse(seeker=request.auth, upload=file)
        return Status(201, _parse_out(parse))
    if not request.content_type or not request.content_type.startswith("application/json"):
        raise Invalid('Send a file (multipart) or JSON {"resume_id": ...}.', code="unsupported_content_type")
    try:
        body = json.loads(request.body or b"")
        resume_id = uuid.UUID(str(body["resume_id"]))
    except (ValueError, KeyError, TypeError) as error:
        raise Invalid(
            'JSON must be {"resume_id": "<uuid>"}.', code="invalid_json", field="resume_id"
        ) from error
    parse = services.resume_parse(seeker=request.auth, resume_id=resume_id)
    return Status(201, _parse_out(parse))


@router.post(
    "/parse/{uuid:parse_id}/apply/",
    response=AppliedOut,
    summary="Apply chosen parsed fields to my profile",
)
def resume_parse_apply(request, parse_id: uuid.UUID, payload: ResumeParseApplyIn):
    values = payload.values.model_dump(exclude_unset=True, mode="json") if payload.values else None
    services.resume_parse_apply(seeker=request.auth, parse_id=parse_id, fields=payload.fields, values=values)
    return {"applied": payload.fields}


@router.get("/skills/", response=list[ResumeSkillOut], summary="My skills")
def resume_skills(request):
    profile = selectors.seeker_profile_get(seeker=request.auth)
    return list(profile.skills.all()) if profile.pk else []


CvTemplate = StrEnum("CvTemplate", {name.upper(): name for name in TEMPLATES})


class ResumeGenerateIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"template": "modern", "kinds": ["pdf", "docx"], "title": "Dana CV"}]}
    )

    template: CvTemplate
    kinds: list[Literal["pdf", "docx"]] = Field(["pdf", "docx"], min_length=1, max_length=2)
    title: str = Field("", max_length=200)


@router.post(
    "/generate/",
    response={201: list[ResumeOut]},
    summary="Build a CV from my profile (PDF and/or .docx), kept with my resumes",
)
def resume_generate(request, payload: ResumeGenerateIn):
    """Templates: classic, modern, compact. Each file is stored as one of my resumes (the 10-resume limit applies:
    409 without room for every file, and nothing is stored); download it from its `download_url`."""
    made = services.resume_generate(
        seeker=request.auth, template=str(payload.template), kinds=payload.kinds, title=payload.title
    )
    return Status(201, made)
