"""Writes for seekers: the profile, its skills, and resumes (upload, default switch, delete, text extraction).

Every resume write holds the seeker's user row lock (`accounts.services.user_lock`), so the count limit and the
single default hold under concurrent requests; the partial unique index `resume_one_default_per_owner` backs the
latter up.
"""

import hashlib
import logging
import uuid
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from jobpilot.accounts.services import user_lock
from jobpilot.core.errors import Conflict, Invalid, NotFound
from jobpilot.seekers import documents
from jobpilot.seekers.models import Resume, SeekerProfile, SeekerSkill, resume_upload_to
from jobpilot.tracker.models import TrackedApplication

logger = logging.getLogger(__name__)

MAX_RESUMES_PER_SEEKER = 10


# --- Profile --------------------------------------------------------------------------------------------------------


@transaction.atomic
def seeker_profile_update(*, seeker, changes: dict, skills: list[dict] | None = None) -> SeekerProfile:
    """Apply validated field changes; `skills` (when given) replaces the whole list, in the order given.

    Locks the profile row (created on first write), so two concurrent updates apply one after the other.
    """
    SeekerProfile.objects.get_or_create(user=seeker)
    profile = SeekerProfile.objects.select_for_update().get(user=seeker)
    for field, value in changes.items():
        setattr(profile, field, value)
    profile.save()
    if skills is not None:
        profile.skills.all().delete()
        SeekerSkill.objects.bulk_create(
            SeekerSkill(profile=profile, name=skill["name"], level=skill["level"], position=position)
            for position, skill in enumerate(skills)
        )
    return profile


# --- Resumes --------------------------------------------------------------------------------------------------------


def resume_upload(*, seeker, upload, title: str = "", make_default: bool = False) -> Resume:
    """Validate an uploaded file by its content, store it, record it; text extraction runs after commit.

    The file is written to storage before the transaction and removed again if the transaction fails, so a
    rolled-back upload leaves no orphan behind and the row lock is not held during the storage write.
    """
    if upload.size is not None and upload.size > documents.MAX_RESUME_BYTES:
        raise Invalid(
            f"The file is larger than {documents.MAX_RESUME_BYTES // (1024 * 1024)} MB.",
            code="file_too_large",
            field="file",
        )
    content = upload.read(documents.MAX_RESUME_BYTES + 1)
    kind = documents.validate_resume_bytes(content)
    original_filename = PurePath(upload.name or "resume").name[:255]
    resume = Resume(
        owner=seeker,
        kind=kind,
        title=(title.strip() or PurePath(original_filename).stem or "Resume")[:200],
        original_filename=original_filename,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    stored_name = resume.file.storage.save(resume_upload_to(resume, original_filename), ContentFile(content))
    resume.file.name = stored_name
    try:
        with transaction.atomic():
            user_lock(seeker)
            active = Resume.objects.filter(owner=seeker, deleted_at__isnull=True)
            if active.count() >= MAX_RESUMES_PER_SEEKER:
                raise Conflict(
                    f"You can keep up to {MAX_RESUMES_PER_SEEKER} resumes. Delete one first.",
                    code="too_many_resumes",
                )
            resume.is_default = make_default or not active.filter(is_default=True).exists()
            if resume.is_default:
                active.filter(is_default=True).update(is_default=False)
            resume.save()
            resume_id = str(resume.id)
            transaction.on_commit(lambda: _schedule_text_extraction(resume_id))
    except BaseException:
        resume.file.storage.delete(stored_name)
        raise
    return resume


def _schedule_text_extraction(resume_id: str) -> None:
    from jobpilot.seekers.tasks import resume_extract_text

    resume_extract_text.delay(resume_id)


@transaction.atomic
def resume_set_default(*, seeker, resume_id: uuid.UUID) -> Resume:
    """Make one of the seeker's resumes the default, atomically (holds the seeker lock)."""
    user_lock(seeker)
    resume = Resume.objects.filter(pk=resume_id, owner=seeker, deleted_at__isnull=True).first()
    if resume is None:
        raise NotFound("Resume not found.")
    if not resume.is_default:
        Resume.objects.filter(owner=seeker, is_default=True).update(is_default=False)
        Resume.objects.filter(pk=resume.pk).update(is_default=True)
        resume.is_default = True
    return resume


@transaction.atomic
def resume_delete(*, seeker, resume_id: uuid.UUID) -> None:
    """Remove a resume from the seeker's list. If the newest other resume exists it becomes the default.

    A resume already sent to an employer is only marked deleted: that employer keeps access to what it received
    until the seeker deletes the account. Any other resume and its file are removed (the file after commit).
    """
    user_lock(seeker)
    resume = Resume.objects.filter(pk=resume_id, owner=seeker, deleted_at__isnull=True).first()
    if resume is None:
        raise NotFound("Resume not found.")
    was_default = resume.is_default
    if TrackedApplication.objects.filter(resume=resume, tenant__isnull=False).exists():
        Resume.objects.filter(pk=resume.pk).update(deleted_at=timezone.now(), is_default=False)
    else:
        _delete_files_on_commit([resume.file.name])
        resume.delete()
    if was_default:
        newest = Resume.objects.filter(owner=seeker, deleted_at__isnull=True).order_by("-created_at").first()
        if newest is not None:
            Resume.objects.filter(pk=newest.pk).update(is_default=True)


def _delete_files_on_commit(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    def delete():
        for name in names:
            try:
                default_storage.delete(name)
            except OSError:  # the row is gone either way; a leftover file is logged, not fatal
                logger.exception("Could not delete stored file %s", name)

    transaction.on_commit(delete)


def resume_text_extract(*, resume_id: uuid.UUID) -> Resume | None:
    """Extract the text of a stored resume (runs in a Celery task). None if the resume is gone meanwhile."""
    resume = Resume.objects.filter(pk=resume_id).first()
    if resume is None:
        return None
    try:
        with resume.file.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError:  # deleted between the lookup and the read
        return None
    try:
        text = documents.extract_resume_text(content, resume.kind)
        status = Resume.TextStatus.READY
    except Invalid:
        text, status = "", Resume.TextStatus.FAILED
    except Exception:  # noqa: BLE001 - a parser bug must not retry forever; the resume stays usable
        logger.exception("Text extraction failed for resume %s", resume_id)
        text, status = "", Resume.TextStatus.FAILED
    Resume.objects.filter(pk=resume_id).update(
        text=text, text_status=status, text_extracted_at=timezone.now()
    )
    resume.text, resume.text_status = text, status
    return resume


# --- Privacy ----------------------------------------------------------------------------------------------------------


def seeker_data_erase(*, seeker) -> None:
    """Delete the seeker's profile and resumes; stored files go after commit. Call inside the account-deletion
    transaction, after the tracker (whose rows point at these resumes) has been erased."""
    resumes = Resume.objects.filter(owner=seeker)
    _delete_files_on_commit([name for name in resumes.values_list("file", flat=True) if name])
    resumes.delete()
    SeekerProfile.objects.filter(user=seeker).delete()


# --- Resume parsing -------------------------------------------------------------------------------------------------

APPLICABLE_FIELDS = ("phone", "location", "summary", "links", "experience_years", "skills")
_UNREADABLE = {"empty", "image_only", "too_little_text"}


def resume_parse(*, seeker, resume_id: uuid.UUID | None = None, upload=None):
    """Parse the seeker's own resume, or an upload (stored as a new resume only when it has readable text)."""
    from jobpilot.seekers import parsing, selectors
    from jobpilot.seekers.models import ResumeParse

    if upload is not None:
        if upload.size is not None and upload.size > documents.MAX_RESUME_BYTES:
            raise Invalid("The file is larger than 5 MB.", code="file_too_large", field="file")
        content = upload.read()
        result = parsing.parse_resume(content)
        if result.quality.status in _UNREADABLE:
            raise Invalid(result.quality.detail, code=f"resume_{result.quality.status}", field="file")
        upload.seek(0)
        resume = resume_upload(seeker=seeker, upload=upload)
    else:
        resume = selectors.resume_get(seeker=seeker, resume_id=resume_id)
        with resume.file.open("rb") as handle:
            content = handle.read()
        result = parsing.parse_resume(content)
    return ResumeParse.objects.create(
        resume=resume, owner=seeker, quality=result.quality.status, result=result.as_dict()
    )


def resume_parse_apply(*, seeker, parse_id: uuid.UUID, fields: list[str], values: dict | None = None):
    """Copy the chosen parsed fields into the profile in one transaction (skills are added, not replaced).

    `values` (validated by `schemas.ResumeParseValues`) holds what the seeker edited on review: an edited field is
    applied as edited, the others as parsed. For skills it is the list the seeker kept."""
    from jobpilot.seekers.models import ResumeParse

    unknown = set(fields) - set(APPLICABLE_FIELDS)
    if unknown or not fields:
        raise Invalid(
            f"Choose fields among: {', '.join(APPLICABLE_FIELDS)}.", code="invalid_fields", field="fields"
        )
    values = values or {}
    with transaction.atomic():
        parse = ResumeParse.objects.select_for_update().filter(pk=parse_id, owner=seeker).first()
        if parse is None:
            raise NotFound("Parse result not found.")
        parsed = parsed_values(parse.result)
        chosen = {field: values.get(field, parsed.get(field)) for field in fields}
        changes = {}
        for field, column, limit in (
            ("phone", "phone", 32),
            ("location", "location", 200),
            ("summary", "bio", 5000),
        ):
            if chosen.get(field):
                changes[column] = chosen[field][:limit]
        if chosen.get("links"):
            changes["links"] = chosen["links"]
        if chosen.get("experience_years") is not None:
            changes["experience_years"] = chosen["experience_years"]
        skills = None
        if chosen.get("skills"):
            profile, _ = SeekerProfile.objects.get_or_create(user=seeker)
            skills = [{"name": s.name, "level": s.level} for s in profile.skills.all()]
            seen = {s["name"].lower() for s in skills}
            for name in chosen["skills"]:
                name = name[:80]
                if name.lower() not in seen:
                    seen.add(name.lower())
                    skills.append({"name": name, "level": "intermediate"})
        profile = seeker_profile_update(seeker=seeker, changes=changes, skills=skills)
        parse.applied_at = timezone.now()
        parse.save(update_fields=["applied_at"])
    return profile


def parsed_values(result: dict) -> dict:
    """A stored parse result as the plain values the profile takes (what the review page prefills)."""
    contact = result.get("contact") or {}
    values = {}
    for field in ("phone", "location"):
        if contact.get(field):
            values[field] = contact[field]["value"]
    if result.get("summary"):
        values["summary"] = result["summary"]["value"]
    if result.get("links"):
        values["links"] = [
            {"label": link["value"]["kind"], "url": link["value"]["url"]} for link in result["links"]
        ]
    if result.get("total_years_experience"):
        values["experience_years"] = int(result["total_years_experience"]["value"])
    if result.get("skills"):
        values["skills"] = [hit["value"]["label"] for hit in result["skills"]]
    return values


# --- CV builder -----------------------------------------------------------------------------------------------------

CV_KINDS = ("pdf", "docx")


def resume_generate(
    *, seeker, template: str, kinds: list[str] | tuple = CV_KINDS, title: str = ""
) -> list[Resume]:
    """Make a CV from the profile in `template`, one file per kind, and keep each as one of the seeker's resumes
    (the same checks, storage and limit as an upload: `resume_upload`). All or nothing: without room for every
    file, nothing is stored (409)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils.text import slugify

    from jobpilot.seekers import cv_builder, selectors

    if template not in cv_builder.TEMPLATES:
        raise Invalid(
            f"Choose a template among: {', '.join(cv_builder.TEMPLATES)}.",
            code="unknown_template",
            field="template",
        )
    kinds = list(dict.fromkeys(kinds))
    if not kinds or set(kinds) - set(CV_KINDS):
        raise Invalid("Choose pdf, docx or both.", code="invalid_kinds", field="kinds")
    content = cv_builder.cv_content(user=seeker, profile=selectors.seeker_profile_get(seeker=seeker))
    if not content.name:
        raise Invalid("Add your first and last name to your account first.", code="profile_incomplete")
    if not content.has_body:
        raise Invalid(
            "Add a headline, an about-you text or skills to your profile first.", code="profile_incomplete"
        )
    files = [(kind, cv_builder.render(content, template, kind)) for kind in kinds]
    label = cv_builder.TEMPLATES[template].label
    stem = slugify(content.name) or "cv"
    made: list[Resume] = []
    try:
        with transaction.atomic():
            user_lock(seeker)
            active = Resume.objects.filter(owner=seeker, deleted_at__isnull=True).count()
            if active + len(files) > MAX_RESUMES_PER_SEEKER:
                raise Conflict(
                    f"You can keep up to {MAX_RESUMES_PER_SEEKER} resumes. Delete {active + len(files) - MAX_RESUMES_PER_SEEKER} first.",
                    code="too_many_resumes",
                )
            for kind, data in files:
                upload = SimpleUploadedFile(f"{stem}-cv-{template}.{kind}", data)
                made.append(
                    resume_upload(
                        seeker=seeker, upload=upload, title=(title.strip() or f"{content.name} CV ({label})")
                    )
                )
    except BaseException:
        for resume in made:  # the rows rolled back with the transaction; their files go too
            resume.file.storage.delete(resume.file.name)
        raise
    return made
