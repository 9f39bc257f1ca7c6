"""The Indeed-style and LinkedIn-style XML job feeds, written from canonical postings as a stream of text (a
marketplace feed lists every live job, so it is never built in memory). Text goes in CDATA sections; dates,
numbers and codes are escaped.

Indeed (the "XML feed" of its job-posting guidelines): `<source>` with `publisher`, `publisherurl`,
`lastBuildDate`, then per `<job>` the required `title`, `date`, `referencenumber`, `url`, `company`, `city`,
`state`, `country`, `description`, and `salary`, `jobtype`, `category`, `expirationdate`, `remotetype`.
LinkedIn (its job-wrapping XML feed): `<source>` with `lastBuildDate`, `publisherUrl`, `publisher`,
`expectedJobCount`, then per `<job>` the required `partnerJobId`, `company`, `title`, `description`, `applyUrl`,
`location`, and `city`, `state`, `country`, `workplaceTypes`, `jobtype`, `listDate`, `expirationDate`, `salaries`.
"""

import re
from collections.abc import Iterable, Iterator
from datetime import UTC
from email.utils import format_datetime
from xml.sax.saxutils import escape

from django.utils import timezone

# Characters XML 1.0 does not allow, even in CDATA.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

INDEED_JOB_TYPES = {
    "full_time": "fulltime",
    "part_time": "parttime",
    "contract": "contract",
    "internship": "internship",
    "temporary": "temporary",
}
INDEED_REMOTE_TYPES = {"remote": "Fully remote", "hybrid": "Hybrid remote"}
LINKEDIN_JOB_TYPES = {
    "full_time": "FULL_TIME",
    "part_time": "PART_TIME",
    "contract": "CONTRACT",
    "internship": "INTERNSHIP",
    "temporary": "TEMPORARY",
}
LINKEDIN_WORKPLACES = {"remote": "Remote", "hybrid": "Hybrid", "onsite": "On-site"}
LINKEDIN_PERIODS = {"year": "YEARLY", "month": "MONTHLY", "week": "WEEKLY", "day": "DAILY", "hour": "HOURLY"}
PERIOD_WORDS = {
    "year": "per year",
    "month": "per month",
    "week": "per week",
    "day": "per day",
    "hour": "per hour",
}


def cdata(text) -> str:
    """`text` as CDATA sections: a `]]>` inside is split across two sections, so no text can end one early."""
    text = _NOT_XML.sub("", "" if text is None else str(text))
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _element(name: str, text, *, raw: bool = False) -> str:
    if raw:
        return f"<{name}>{escape(_NOT_XML.sub('', str(text)))}</{name}>"
    return f"<{name}>{cdata(text)}</{name}>"


def _rfc822(moment) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True) if moment else ""


def _location_text(posting: dict) -> str:
    location = posting["location"]
    text = ", ".join(part for part in (location["city"], location["region"], location["country"]) if part)
    if posting["remote"] == "remote":
        return (
            f"Remote ({', '.join(posting['remote_countries'])})" if posting["remote_countries"] else "Remote"
        )
    return text


def salary_text(salary: dict | None) -> str:
    """`"USD 90,000–120,000 per year"`, or empty."""
    if not salary:
        return ""
    low, high = salary["min"], salary["max"]
    amount = (
        f"{low:,}–{high:,}" if low is not None and high is not None and low != high else f"{(low or high):,}"
    )
    return f"{salary['currency']} {amount} {PERIOD_WORDS.get(salary['period'], '')}".strip()


def indeed_feed(postings: Iterable[dict], *, publisher: str, publisher_url: str) -> Iterator[str]:
    yield '<?xml version="1.0" encoding="utf-8"?>\n<source>\n'
    yield _element("publisher", publisher) + "\n"
    yield _element("publisherurl", publisher_url) + "\n"
    yield _element("lastBuildDate", _rfc822(timezone.now())) + "\n"
    for posting in postings:
        location = posting["location"]
        parts = [
            _element("title", posting["title"]),
            _element("date", _rfc822(posting["published_at"])),
            _element("referencenumber", posting["id"]),
            _element("url", posting["url"]),
            _element("company", posting["company"]["name"]),
            _element("city", location["city"]),
            _element("state", location["region"]),
            _element("country", location["country"]),
            _element("description", posting["description_full"]),
            _element("jobtype", INDEED_JOB_TYPES.get(posting["job_type"], "")),
        ]
        if posting["salary"]:
            parts.append(_element("salary", salary_text(posting["salary"])))
        if posting["department"]:
            parts.append(_element("category", posting["department"]))
        if posting["valid_through"]:
            parts.append(_element("expirationdate", _rfc822(posting["valid_through"])))
        if posting["remote"] in INDEED_REMOTE_TYPES:
            parts.append(_element("remotetype", INDEED_REMOTE_TYPES[posting["remote"]]))
        yield "<job>\n" + "\n".join(parts) + "\n</job>\n"
    yield "</source>\n"


def linkedin_feed(
    postings: Iterable[dict], *, publisher: str, publisher_url: str, expected_count: int
) -> Iterator[str]:
    yield '<?xml version="1.0" encoding="UTF-8"?>\n<source>\n'
    yield _element("lastBuildDate", _rfc822(timezone.now())) + "\n"
    yield _element("publisherUrl", publisher_url) + "\n"
    yield _element("publisher", publisher) + "\n"
    yield _element("expectedJobCount", expected_count, raw=True) + "\n"
    for posting in postings:
        location = posting["location"]
        parts = [
            _element("partnerJobId", posting["id"]),
            _element("company", posting["company"]["name"]),
            _element("title", posting["title"]),
            _element("description", posting["description_full"]),
            _element("applyUrl", posting["apply_at"]),
            _element("location", _location_text(posting)),
            _element("city", location["city"]),
            _element("state", location["region"]),
            _element("country", location["country"]),
            _element("workplaceTypes", LINKEDIN_WORKPLACES.get(posting["remote"], "On-site")),
            _element("jobtype", LINKEDIN_JOB_TYPES.get(posting["job_type"], "OTHER")),
            _element("listDate", _rfc822(posting["published_at"])),
        ]
        if posting["valid_through"]:
            parts.append(_element("expirationDate", _rfc822(posting["valid_through"])))
        salary = posting["salary"]
        if salary:
            ends = []
            for end, amount in (("lowEnd", salary["min"]), ("highEnd", salary["max"])):
                if amount is not None:
                    ends.append(
                        f"<{end}>{_element('amount', amount, raw=True)}"
                        f"{_element('currencyCode', salary['currency'], raw=True)}</{end}>"
                    )
            parts.append(
                "<salaries><salary>"
                + "".join(ends)
                + _element("period", LINKEDIN_PERIODS.get(salary["period"], "YEARLY"), raw=True)
                + _element("type", "BASE_SALARY", raw=True)
                + "</salary></salaries>"
            )
        yield "<job>\n" + "\n".join(parts) + "\n</job>\n"
    yield "</source>\n"
