"""The seeker's resume review page (public host): pick one of my resumes or upload one, see what the parser read
with its confidence (or the quality gate's verdict), edit or uncheck, and apply it to the profile in one step.
Views parse, call one service or selector, render."""

import uuid

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from pydantic import ValidationError

from jobpilot.core.errors import DomainError, NotFound
from jobpilot.portal.seeker_views import seeker_page
from jobpilot.seekers import selectors, services
from jobpilot.seekers.schemas import ResumeParseValues

QUALITY_LABELS = {
    "ok": "Read cleanly",
    "broken_reading_order": "Text in a broken order: check every field",
    "empty": "No text in the document",
    "image_only": "A scan or an image: no text to read",
    "too_little_text": "Too little text to read a resume from",
}


@seeker_page
@require_http_methods(["GET", "POST"])
def resume_review_start(request):
    """GET: choose a resume or upload one. POST: parse it, then show the review."""
    resumes = list(selectors.resume_list(seeker=request.user))
    problem = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is not None:
                parse = services.resume_parse(seeker=request.user, upload=upload)
            else:
                parse = services.resume_parse(
                    seeker=request.user, resume_id=uuid.UUID(request.POST.get("resume_id", ""))
                )
        except ValueError:
            problem = "Choose one of your resumes or upload a file."
        except DomainError as exc:
            problem = exc.detail
        else:
            return redirect("portal:resume-review", parse_id=parse.pk)
    context = {"resumes": resumes, "problem": problem}
    return render(request, "portal/seeker/resume_review_start.html", context, status=422 if problem else 200)


def _review_rows(result: dict) -> dict:
    """The parse result laid out for the page: each applicable field with its value, confidence and source."""
    contact = result.get("contact") or {}

    def row(value):
        return (
            {"value": value["value"], "confidence": value["confidence"], "source": value["source"]}
            if value
            else None
        )

    return {
        "contact": {name: row(contact.get(name)) for name in ("name", "email", "phone", "location")},
        "summary": row(result.get("summary")),
        "links": [row(link) for link in result.get("links") or []],
        "experience": [row(entry) for entry in result.get("experience") or []],
        "education": [row(entry) for entry in result.get("education") or []],
        "skills": [row(skill) for skill in result.get("skills") or []],
        "years": row(result.get("total_years_experience")),
    }


def _values_from_post(post, fields: list[str]) -> dict:
    values: dict = {}
    for field in ("phone", "location", "summary"):
        if field in fields:
            values[field] = post.get(field, "")
    if "experience_years" in fields and post.get("experience_years", "").strip():
        values["experience_years"] = post["experience_years"].strip()
    if "links" in fields:
        values["links"] = [
            {"label": label, "url": url}
            for label, url in zip(post.getlist("link_label"), post.getlist("link_url"), strict=False)
            if url.strip()
        ]
    if "skills" in fields:
        typed = [item for item in post.get("skills_added", "").split(",") if item.strip()]
        values["skills"] = post.getlist("skill") + typed
    return values


@seeker_page
@require_http_methods(["GET", "POST"])
def resume_review(request, parse_id: uuid.UUID):
    try:
        parse = selectors.resume_parse_get(seeker=request.user, parse_id=parse_id)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    errors: list[str] = []
    if request.method == "POST":
        fields = [field for field in request.POST.getlist("apply") if field in services.APPLICABLE_FIELDS]
        try:
            values = ResumeParseValues(**_values_from_post(request.POST, fields))
            services.resume_parse_apply(
                seeker=request.user,
                parse_id=parse.pk,
                fields=fields,
                values=values.model_dump(exclude_unset=True, mode="json"),
            )
        except ValidationError as exc:
            errors = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        except DomainError as exc:
            errors = [exc.detail]
        else:
            messages.success(request, "Your profile is updated from the resume.")
            return redirect("portal:profile")
    quality = parse.result.get("quality") or {}
    context = {
        "parse": parse,
        "quality": quality,
        "quality_label": QUALITY_LABELS.get(parse.quality, parse.quality),
        "rows": _review_rows(parse.result),
        "values": services.parsed_values(parse.result),
        "errors": errors,
    }
    return render(request, "portal/seeker/resume_review.html", context, status=422 if errors else 200)


@seeker_page
@require_http_methods(["GET", "POST"])
def cv_builder(request):
    """Pick a template (and PDF, Word or both); the files are kept with my resumes and offered for download."""
    from jobpilot.seekers.cv_builder import TEMPLATES

    made, problem, chosen = [], "", request.POST.get("template", "modern")
    if request.method == "POST":
        try:
            made = services.resume_generate(
                seeker=request.user, template=chosen, kinds=request.POST.getlist("kind"), title=""
            )
        except DomainError as exc:
            problem = exc.detail
    context = {"templates": TEMPLATES.values(), "chosen": chosen, "made": made, "problem": problem}
    return render(request, "portal/seeker/cv_builder.html", context, status=422 if problem else 200)
