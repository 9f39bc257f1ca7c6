"""Keys that find the same job across sources, strongest first:

1. the canonical apply/posting URL (tracking parameters, scheme, `www.`, trailing slash and case removed);
2. a fingerprint of normalized title + company + location;
3. near-duplicate text: same company and location, and SimHash of the title + description word 3-shingles within
   `NEAR_DUPLICATE_BITS` bits. The location must agree: the city variants of one role (same text, another city)
   are distinct jobs, which is exactly what plain text similarity cannot tell apart.

`repeats` is the rule pair by pair; `services._find_duplicate` applies it to the candidates one query finds.
The threshold is measured, not guessed: `bench/ingest_dedupe.py` reports precision and recall on a labelled sample.
"""

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit

from jobpilot.ingest.geo import fold

# Chosen on the labelled sample of bench/ingest_dedupe.py (figures in docs/adr/0018-job-import.md).
NEAR_DUPLICATE_BITS = 10

_TRACKING = re.compile(
    r"^(?:utm_.*|gh_src|gh_jid_src|source|src|ref|referrer|lever-source.*|lever-origin|"
    r"fbclid|gclid|mc_cid|mc_eid|trk|trackingid|_hs.*)$",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+", re.UNICODE)
_COMPANY_SUFFIX = re.compile(
    r"\b(?:inc|llc|ltd|limited|gmbh|ag|se|sa|sas|bv|b\.v|plc|corp|corporation|co|company|group|holding|"
    r"technologies|labs)\b\.?",
    re.IGNORECASE,
)


def canonical_url(url: str) -> str:
    parts = urlsplit((url or "").strip())
    host = parts.netloc.lower().removeprefix("www.")
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query) if not _TRACKING.match(k)))
    path = parts.path.rstrip("/").lower()
    # Apply pages are the posting's page plus "/apply" (Lever, Ashby, Workable): one job, one key.
    path = path.removesuffix("/apply").removesuffix("/application")
    return f"{host}{path}{'?' + query if query else ''}"[:500]


def company_key(name: str) -> str:
    return " ".join(_WORD.findall(fold(_COMPANY_SUFFIX.sub(" ", name or ""))))


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text or ""))


def location_key(*, city: str, region: str, country: str, remote: str) -> str:
    return "|".join([" ".join(_words(city)), country.upper(), remote if not city else ""])


def _digest(*parts: str) -> str:
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=20).hexdigest()


def fingerprint(*, title: str, company: str, location: str) -> str:
    return _digest(" ".join(_words(title)), company_key(company), location)


def near_key(*, company: str, location: str) -> str:
    return _digest(company_key(company), location)


def simhash(text: str) -> int:
    """64-bit SimHash of the word 3-shingles (signed, to fit a PostgreSQL bigint)."""
    words = _words(text)
    shingles = [" ".join(words[i : i + 3]) for i in range(max(1, len(words) - 2))] if words else [""]
    # Bit b is set when more than half the shingles' hashes have it: count the 1s per column of the hashes
    # written as 64-digit binary strings (the same result as summing +1/-1 per bit, many times faster).
    columns = zip(
        *(
            format(int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "big"), "064b")
            for s in shingles
        ),
        strict=True,
    )
    half = len(shingles)
    unsigned = int("".join("1" if 2 * column.count("1") > half else "0" for column in columns), 2)
    return unsigned - (1 << 64) if unsigned >= 1 << 63 else unsigned


def hamming(a: int, b: int) -> int:
    return ((a ^ b) & ((1 << 64) - 1)).bit_count()


def listing_keys(listing) -> dict:
    """The dedupe keys of a normalized `Listing`."""
    from jobpilot.jobs.html import html_to_text

    location = location_key(
        city=listing.city, region=listing.region, country=listing.country, remote=listing.remote
    )
    return {
        "location": location,
        "canonical_url": canonical_url(listing.url),
        # A re-post may link the posting's page or its apply page: either names the job.
        "canonical_urls": {canonical_url(listing.url), canonical_url(listing.apply_url)},
        "fingerprint": fingerprint(title=listing.title, company=listing.company_name, location=location),
        "near_key": near_key(company=listing.company_name, location=location),
        "simhash": simhash(f"{listing.title} {html_to_text(listing.description_html)}"),
    }


def repeats(new: dict, listed: dict, *, bits: int = NEAR_DUPLICATE_BITS) -> bool:
    """Whether a new listing (its `listing_keys`) is the same job as one listed already."""
    return (
        listed["canonical_url"] in new["canonical_urls"]
        or listed["fingerprint"] == new["fingerprint"]
        or (listed["near_key"] == new["near_key"] and hamming(listed["simhash"], new["simhash"]) <= bits)
    )
