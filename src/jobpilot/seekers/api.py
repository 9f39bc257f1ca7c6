"""Resumes: `/api/v1/resumes/`. The seeker manages their own on any host; an employer's members download the ones
sent to that employer, on that employer's domain."""

import uuid

from django.http import FileResponse
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile

from jobpilot.accounts.auth import user_auth
from jobpilot.core.openapi import response_example
from jobpilot.seekers import examples, selectors, services
from jobpilot.seekers.models import RESUME_CONTENT_TYPES
from jobpilot.seekers.schemas import ResumeDetailOut, ResumeOut

router = Router(auth=user_auth, tags=["resumes"])


_FILE_EXAMPLES = {
    "pdf": "%PDF-1.7 … (the PDF file's bytes)",
    "docx": "PK… (the .docx file's bytes, a ZIP archive)",
}
_DOWNLOAD_ANSWER = {
    "responses": {
        200: {
            "description": "The file as an attachment, under the name it was uploaded with.",
            "headers": {
                "Content-Disposition": {
                    "schema": {"type": "string"},
                    "example": 'attachment; filename="Dana Reyes CV.pdf"',
                }
            },
            "content": {
                content_type: {
                    "schema": {"type": "string", "format": "binary"},
                    "example": _FILE_EXAMPLES[kind],
                }
                for kind, content_type in RESUME_CONTENT_TYPES.items()
            },
        }
    }
}


@router.get("/", response=list[ResumeOut], summary="My resumes (default first)")
def resume_list(request):
    return selectors.resume_list(seeker=request.auth)


class ResumeUploadForm(Schema):
    title: str = Field("", max_length=200)
    make_default: bool = False


@router.post(
    "/",
    response={201: ResumeOut},
    summary="Upload a resume (PDF or .docx, at most 5 MB)",
    openapi_extra={
        "requestBody": {"content": {"multipart/form-data": {"example": examples.RESUME_UPLOAD_FORM}}},
        **response_example(examples.RESUME_UPLOADED, status=201),
    },
)
def resume_upload(request, file: File[UploadedFile], form: Form[ResumeUploadForm]):
    """The file is checked by its content, not its name: it must be a PDF or Word (.docx) document that opens.
    The first resume becomes the default. Its text is extracted in the background (`text_status`)."""
    resume = services.resume_upload(
        seeker=request.auth, upload=file, title=form.title, make_default=form.make_default
    )
    return Status(201, resume)


@router.get(
    "/{uuid:resume_id}/", response=ResumeDetailOut, summary="One of my resumes, with its extracted text"
)
def resume_detail(request, resume_id: uuid.UUID):
    return selectors.resume_get(seeker=request.auth, resume_id=resume_id)


@router.post("/{uuid:resume_id}/default/", response=ResumeOut, summary="Make this my default resume")
def resume_set_default(request, resume_id: uuid.UUID):
    return services.resume_set_default(seeker=request.auth, resume_id=resume_id)


@router.delete("/{uuid:resume_id}/", response={204: None}, summary="Delete a resume")
def resume_delete(request, resume_id: uuid.UUID):
    """Employers this resume was already sent to keep their copy until the account is deleted."""
    services.resume_delete(seeker=request.auth, resume_id=resume_id)
    return Status(204, None)


@router.get("/{uuid:resume_id}/download/", summary="Download a resume file", openapi_extra=_DOWNLOAD_ANSWER)
def resume_download(request, resume_id: uuid.UUID):
    """The owner, on any host; a member of an employer, on that employer's domain, for a resume sent to it."""
    resume = selectors.resume_for_download(user=request.auth, resume_id=resume_id, tenant=request.tenant)
    response = FileResponse(
        resume.file.open("rb"),
        as_attachment=True,
        filename=resume.original_filename,
        content_type=resume.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
