"""Rows for seeker, resume and tracker tests, made through the services (the way the product makes them)."""

import itertools
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile

from jobpilot.seekers.services import resume_upload
from jobpilot.tracker.services import (
    tracked_application_create_external,
    tracked_application_create_for_jobpilot_apply,
)
from tests.seekers.files import pdf_bytes

# Tenant-side ids must be unique per tenant across committing tests too (tracker rows are public, flushed; but
# keep them distinct anyway so a test never meets another test's row).
_employer_application_ids = itertools.count(int(uuid.uuid4().int % 10**9) * 1000)


def upload_resume(seeker, content: bytes | None = None, name: str = "resume.pdf", **options):
    content = content if content is not None else pdf_bytes(f"Resume of {seeker.email}")
    return resume_upload(seeker=seeker, upload=SimpleUploadedFile(name, content), **options)


def apply_through_jobpilot(seeker, tenant, *, resume=None, title="Backend Engineer", **options):
    """What the apply flow will do: the tracker row linked to (tenant, employer application id)."""
    return tracked_application_create_for_jobpilot_apply(
        seeker=seeker,
        tenant=tenant,
        application_id=options.pop("application_id", next(_employer_application_ids)),
        job_public_id=options.pop("job_public_id", uuid.uuid4()),
        title=title,
        company=options.pop("company", tenant.name),
        resume=resume,
        **options,
    )


def track_external(seeker, **fields):
    return tracked_application_create_external(
        seeker=seeker, fields={"company": "Initech", "title": "Developer", **fields}
    )
