"""schema.org `JobPosting` for a job page, as Google for Jobs reads it
(https://developers.google.com/search/docs/appearance/structured-data/job-posting)."""

import json
from datetime import datetime, time

from django.utils import timezone
from django.utils.safestring import mark_safe

# Our job types as schema.org `employmentType` values.
EMPLOYMENT_TYPES = {
    "full_time": "FULL_TIME",
    "part_time": "PART_TIME",
    "contract": "CONTRACTOR",
    "internship": "INTERN",
    "temporary": "TEMPORARY",
}
SALARY_UNITS = {"year": "YEAR", "month": "MONTH", "week": "WEEK", "day": "DAY", "hour": "HOUR"}


def job_posting_jsonld(job: dict, *, url: str, company_url: str, logo_url: str) -> dict:
    """`job`: a `marketplace.selectors.job_detail` dict. `url`: the page's absolute address; `company_url`: the
    employer's careers site; `logo_url`: an absolute logo address (branding logo or the profile's)."""
    description = "".join(
        part for part in (job["description_html"], job["requirements_html"], job["benefits_html"]) if part
    )
    data = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": job["title"],
        "description": description or job["summary"] or job["title"],
        "identifier": {"@type": "PropertyValue", "name": job["company"]["name"], "value": str(job["id"])},
        "datePosted": _iso(job["published_at"]),
        "employmentType": EMPLOYMENT_TYPES.get(job["job_type"], "OTHER"),
        "hiringOrganization": {
            "@type": "Organization",
            "name": job["company"]["name"],
            "sameAs": company_url,
        },
        "url": url,
        # Applying happens on this site (an employer's own apply link is the exception).
        "directApply": not job["apply_url"],
    }
    if logo_url:
        data["hiringOrganization"]["logo"] = logo_url
    valid_through = job["expires_at"] or (
        timezone.make_aware(datetime.combine(job["application_deadline"], time.max))
        if job["application_deadline"]
        else None
    )
    if valid_through:
        data["validThrough"] = _iso(valid_through)
    location = job["location"]
    if location["country"] or location["city"]:
        address = {"@type": "PostalAddress", "addressCountry": location["country"]}
        if location["city"]:
            address["addressLocality"] = location["city"]
        if location["region"]:
            address["addressRegion"] = location["region"]
        data["jobLocation"] = {"@type": "Place", "address": address}
    if job["remote"] == "remote":
        data["jobLocationType"] = "TELECOMMUTE"
        # Google requires where remote applicants may live; no list means anywhere in the job's country.
        countries = job["applicant_countries"] or ([location["country"]] if location["country"] else [])
        # Employers' remote jobs always have one (publishing requires it); an imported job may not, and an empty
        # list is invalid, so it is left out rather than sent empty.
        if countries:
            data["applicantLocationRequirements"] = [{"@type": "Country", "name": code} for code in countries]
    salary = job["salary"]
    if salary:
        value = {"@type": "QuantitativeValue", "unitText": SALARY_UNITS.get(salary["period"], "YEAR")}
        if salary["min"] is not None and salary["max"] is not None and salary["min"] != salary["max"]:
            value.update(minValue=salary["min"], maxValue=salary["max"])
        else:
            value["value"] = salary["min"] if salary["min"] is not None else salary["max"]
        data["baseSalary"] = {"@type": "MonetaryAmount", "currency": salary["currency"], "value": value}
    return data


def as_script(data: dict) -> str:
    """The JSON for a `<script type="application/ld+json">`: `<`, `>` and `&` escaped so that no description can
    close the script element."""
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)  # noqa: S308 - JSON with every HTML-significant character escaped


def _iso(moment) -> str:
    return moment.isoformat() if moment else ""
