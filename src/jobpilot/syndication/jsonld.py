"""schema.org `JobPosting` for a job page, as Google for Jobs reads it
(https://developers.google.com/search/docs/appearance/structured-data/job-posting), from the canonical posting."""

import json

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


def job_posting_jsonld(posting: dict) -> dict:
    """`posting`: a canonical posting (`syndication.canonical`)."""
    data = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": posting["title"],
        "description": posting["description_full"],
        "identifier": {
            "@type": "PropertyValue",
            "name": posting["company"]["name"],
            "value": str(posting["id"]),
        },
        "datePosted": _iso(posting["published_at"]),
        "employmentType": EMPLOYMENT_TYPES.get(posting["job_type"], "OTHER"),
        "hiringOrganization": {
            "@type": "Organization",
            "name": posting["company"]["name"],
            "sameAs": posting["company_url"],
        },
        "url": posting["url"],
        # Applying happens on this site (an employer's own apply link is the exception).
        "directApply": posting["direct_apply"],
    }
    if posting["logo_url"]:
        data["hiringOrganization"]["logo"] = posting["logo_url"]
    if posting["valid_through"]:
        data["validThrough"] = _iso(posting["valid_through"])
    location = posting["location"]
    if location["country"] or location["city"]:
        address = {"@type": "PostalAddress", "addressCountry": location["country"]}
        if location["city"]:
            address["addressLocality"] = location["city"]
        if location["region"]:
            address["addressRegion"] = location["region"]
        data["jobLocation"] = {"@type": "Place", "address": address}
    if posting["remote"] == "remote":
        data["jobLocationType"] = "TELECOMMUTE"
        # Employers' remote jobs always name where applicants may live (publishing requires it); an imported job
        # may not, and an empty list is invalid, so it is left out rather than sent empty.
        if posting["remote_countries"]:
            data["applicantLocationRequirements"] = [
                {"@type": "Country", "name": code} for code in posting["remote_countries"]
            ]
    salary = posting["salary"]
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
