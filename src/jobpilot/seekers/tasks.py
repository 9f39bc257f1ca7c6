from celery import shared_task

from jobpilot.seekers.services import resume_text_extract


@shared_task(name="seekers.resume_extract_text", acks_late=True, ignore_result=True)
def resume_extract_text(resume_id: str) -> None:
    """Fill in a resume's text (pypdf / python-docx) after its upload committed."""
    resume_text_extract(resume_id=resume_id)
