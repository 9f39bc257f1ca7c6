"""Resume parsing: `/api/v1/resume/`. Parse an upload or one of my resumes, review, apply chosen fields; my skills."""

import json
import uuid

from ninja import Field, Router, Schema, Status

from jobpilot.accounts.auth import user_auth
from jobpilot.core.errors import Invalid
from jobpilot.seekers import selectors, services

router = Router(auth=user_auth, tags=["resume parsing"])


class ParseOut(Schema):
    id: uuid.UUID
    resume_id: uuid.UUID
    quality: str
    result: dict


class ApplyIn(Schema):
    fields: list[str] = Field(..., min_length=1, max_length=10)


class SkillOut(Schema):
    name: str
    level: str


def _parse_out(parse) -> dict:
    return {"id": parse.id, "resume_id": parse.resume_id, "quality": parse.quality, "result": parse.result}


@router.post("/parse/", response={201: ParseOut}, summary="Parse a resume (upload, or JSON {resume_id})")
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
    "/parse/{uuid:parse_id}/apply/", response=dict, summary="Apply chosen parsed fields to my profile"
)
def resume_parse_apply(request, parse_id: uuid.UUID, payload: ApplyIn):
    services.resume_parse_apply(seeker=request.auth, parse_id=parse_id, fields=payload.fields)
    return {"applied": payload.fields}


@router.get("/skills/", response=list[SkillOut], summary="My skills")
def resume_skills(request):
    profile = selectors.seeker_profile_get(seeker=request.auth)
    return list(profile.skills.all()) if profile.pk else []
