"""Reads for seekers. `resume_for_download` is the only way to a resume's file for anyone but its owner."""

import uuid

from django.db.models import QuerySet

from jobpilot.core.errors import NotFound
from jobpilot.seekers.models import Resume, SeekerProfile
from jobpilot.tracker.models import TrackedApplication
from tenants.selectors import membership_for


def seeker_profile_get(*, seeker) -> SeekerProfile:
    """The seeker's profile; an unsaved one with the defaults when they have never written it."""
    profile = SeekerProfile.objects.filter(user=seeker).prefetch_related("skills").first()
    return profile or SeekerProfile(user=seeker)


def resume_list(*, seeker) -> QuerySet[Resume]:
    return Resume.objects.filter(owner=seeker, deleted_at__isnull=True).order_by("-is_default", "-created_at")


def resume_get(*, seeker, resume_id: uuid.UUID) -> Resume:
    resume = resume_list(seeker=seeker).filter(pk=resume_id).first()
    if resume is None:
        raise NotFound("Resume not found.")
    return resume


def resume_for_download(*, user, resume_id: uuid.UUID, tenant) -> Resume:
    """The resume `user` may download on this host: their own (any host), or, on an employer's domain, one the
    seeker submitted to that employer when `user` is a member of it. Anything else is a 404.

    WARNING: this decides who reads a candidate's resume across tenants. The tenant is the one the request's host
    resolved to, never a parameter; the grant is a tracker row that the apply flow wrote for (this tenant, this
    resume). Widening either condition leaks resumes to employers the seeker never applied to.
    """
    resume = Resume.objects.filter(pk=resume_id).first()
    if resume is None:
        raise NotFound("Resume not found.")
    if resume.owner_id == user.pk and resume.deleted_at is None:
        return resume
    if (
        not tenant.is_public
        and membership_for(user=user, tenant=tenant) is not None
        and TrackedApplication.objects.filter(resume=resume, tenant=tenant).exists()
    ):
        return resume
    raise NotFound("Resume not found.")


def seeker_export_data(*, seeker) -> dict:
    """The seeker's profile, skills and resumes (metadata and extracted text) for the privacy export."""
    profile = SeekerProfile.objects.filter(user=seeker).prefetch_related("skills").first()
    profile_data = None
    if profile is not None:
        profile_data = {
            field.name: getattr(profile, field.attname)
            for field in SeekerProfile._meta.concrete_fields
            if field.name != "user"
        }
        profile_data["skills"] = [{"name": s.name, "level": s.level} for s in profile.skills.all()]
    resumes = [
        {
            "id": resume.id,
            "title": resume.title,
            "original_filename": resume.original_filename,
            "kind": resume.kind,
            "size": resume.size,
            "sha256": resume.sha256,
            "is_default": resume.is_default,
            "created_at": resume.created_at,
            "deleted_at": resume.deleted_at,
            "text": resume.text,
        }
        for resume in Resume.objects.filter(owner=seeker).order_by("created_at")
    ]
    return {"profile": profile_data, "resumes": resumes}


def resume_parse_get(*, seeker, parse_id: uuid.UUID):
    """One of the seeker's parse results (another seeker's is a 404)."""
    from jobpilot.seekers.models import ResumeParse

    parse = ResumeParse.objects.select_related("resume").filter(pk=parse_id, owner=seeker).first()
    if parse is None:
        raise NotFound("Parse result not found.")
    return parse
