"""The job as the seeker applied to it, kept on the tracker row (`TrackedApplication.job_snapshot`) so it is still
there after the posting is closed or deleted: from a marketplace listing (JobPilot employers' and imported jobs),
or from a page's schema.org JobPosting JSON-LD (`job_snapshot_from_jsonld`)."""

import json
import re

from django.utils import timezone

from jobpilot.jobs.html import sanitize_html
from jobpilot.marketplace.models import MarketplaceJob

_JSONLD = re.compile(r"<script[^>]+application/ld\+json[^>]*>(.*?)</script>", re.S | re.I)
MAX_DESCRIPTION = 100_000


def job_snapshot(job: MarketplaceJob) -> dict:
    has_salary = job.salary_min is not None or job.salary_max is not None
    return {
        "title": job.title,
        "company": job.company_name,
        "description_html": sanitize_html(
            "".join(part for part in (job.description_html, job.requirements_html, job.benefits_html) if part)
        ),
        "salary": {
            "min": job.salary_min,
            "max": job.salary_max,
            "currency": job.salary_currency,
            "period": job.salary_period,
        }
        if has_salary
        else None,
        "location": job.location_text,
        "remote": job.remote,
        "captured_at": timezone.now().isoformat(),
        "source": "jobpilot" if job.tenant_id else "imported",
    }


def _number(value) -> int | float | None:
    """A salary amount from someone else's page: a number, or a numeric string; anything else is unknown."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    try:
        return float(str(value).replace(",", "")) if value is not None else None
    except ValueError:
        return None


def _job_postings(node):
    if isinstance(node, list):
        for item in node:
            yield from _job_postings(item)
    elif isinstance(node, dict):
        kind = node.get("@type")
        if kind == "JobPosting" or (isinstance(kind, list) and "JobPosting" in kind):
            yield node
        yield from _job_postings(node.get("@graph", []))


def job_snapshot_from_jsonld(html: str) -> dict:
    """The first JobPosting in a page's JSON-LD as a snapshot, or {} when the page has none. Malformed blocks are
    skipped; the description is sanitized like our own."""
    for block in _JSONLD.findall(html):
        try:
            data = json.loads(block)
        except ValueError:
            continue
        for posting in _job_postings(data):
            salary = posting.get("baseSalary") or {}
            value = salary.get("value") if isinstance(salary, dict) else None
            value = value if isinstance(value, dict) else {}
            address = (
                (posting.get("jobLocation") or {}) if isinstance(posting.get("jobLocation"), dict) else {}
            )
            address = address.get("address") or {}
            location = ", ".join(
                str(address.get(key))
                for key in ("addressLocality", "addressRegion", "addressCountry")
                if isinstance(address, dict) and address.get(key)
            )
            organization = posting.get("hiringOrganization") or {}
            return {
                "title": str(posting.get("title") or "")[:200],
                "company": str(organization.get("name") or "")[:200]
                if isinstance(organization, dict)
                else "",
                "description_html": sanitize_html(str(posting.get("description") or "")[:MAX_DESCRIPTION]),
                "salary": {
                    "min": _number(value.get("minValue", value.get("value"))),
                    "max": _number(value.get("maxValue", value.get("value"))),
                    "currency": str(salary.get("currency") or "")[:3],
                    "period": str(value.get("unitText") or "").lower()[:8],
                }
                if value
                else None,
                "location": location,
                "remote": "remote" if posting.get("jobLocationType") == "TELECOMMUTE" else "",
                "captured_at": timezone.now().isoformat(),
                "source": "json_ld",
            }
    return {}
