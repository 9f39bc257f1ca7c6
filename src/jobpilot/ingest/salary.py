"""Salaries into min / max / ISO currency / period, from structured fields or from free text such as
"$120K – $160K", "€55.000 - 65.000 brutto/Jahr" or "£18/hour"."""

import re
from dataclasses import dataclass

from jobpilot.jobs.models import ANNUAL_FACTOR, SalaryPeriod

# Annual pay outside this range is a data error (cents sent as units, a phone number, a typo), not a salary.
ANNUAL_FLOOR = 1_000
ANNUAL_CEILING = 5_000_000
# Rough units per US dollar of currencies with small units, only to scale those bounds (an order of magnitude
# is all the check needs).
_UNITS_PER_USD = {
    "JPY": 150,
    "KRW": 1400,
    "INR": 85,
    "HUF": 380,
    "CLP": 950,
    "COP": 4000,
    "IDR": 16000,
    "PHP": 58,
    "THB": 36,
    "CZK": 23,
    "SEK": 10,
    "NOK": 10,
    "DKK": 7,
    "ZAR": 18,
    "MXN": 18,
    "TRY": 35,
    "BRL": 5,
    "PLN": 4,
    "HKD": 8,
    "ILS": 4,
    "CNY": 7,
}


@dataclass(frozen=True)
class Salary:
    min: int | None
    max: int | None
    currency: str
    period: str


class AbsurdSalary(ValueError):
    pass


# Longest first: "US$" before "$", "CHF" before nothing.
_CURRENCY_MARKS = [
    ("US$", "USD"),
    ("USD", "USD"),
    ("CA$", "CAD"),
    ("C$", "CAD"),
    ("CAD", "CAD"),
    ("A$", "AUD"),
    ("AU$", "AUD"),
    ("AUD", "AUD"),
    ("NZ$", "NZD"),
    ("NZD", "NZD"),
    ("R$", "BRL"),
    ("BRL", "BRL"),
    ("S$", "SGD"),
    ("SGD", "SGD"),
    ("HK$", "HKD"),
    ("HKD", "HKD"),
    ("MX$", "MXN"),
    ("MXN", "MXN"),
    ("EUR", "EUR"),
    ("TEUR", "EUR"),
    ("€", "EUR"),
    ("GBP", "GBP"),
    ("£", "GBP"),
    ("CHF", "CHF"),
    ("SEK", "SEK"),
    ("NOK", "NOK"),
    ("DKK", "DKK"),
    ("PLN", "PLN"),
    ("zł", "PLN"),
    ("CZK", "CZK"),
    ("Kč", "CZK"),
    ("INR", "INR"),
    ("₹", "INR"),
    ("JPY", "JPY"),
    ("CNY", "CNY"),
    ("¥", "JPY"),
    ("円", "JPY"),
    ("ZAR", "ZAR"),
    ("ILS", "ILS"),
    ("₪", "ILS"),
    ("TRY", "TRY"),
    ("₺", "TRY"),
    ("KRW", "KRW"),
    ("₩", "KRW"),
    ("$", "USD"),
]
_CURRENCY_RE = re.compile(
    "|".join(
        re.escape(mark) if not mark.isalpha() else rf"(?<![A-Za-z]){re.escape(mark)}(?![A-Za-z])"
        for mark, _ in _CURRENCY_MARKS
    )
)
_CURRENCY_OF = dict(_CURRENCY_MARKS)

# The country's currency when the text names none ("55.000 - 65.000 brutto/Jahr" on a German board).
COUNTRY_CURRENCY = {
    "US": "USD",
    "GB": "GBP",
    "CA": "CAD",
    "AU": "AUD",
    "NZ": "NZD",
    "CH": "CHF",
    "SE": "SEK",
    "NO": "NOK",
    "DK": "DKK",
    "PL": "PLN",
    "CZ": "CZK",
    "IN": "INR",
    "JP": "JPY",
    "BR": "BRL",
    "MX": "MXN",
    "SG": "SGD",
    "ZA": "ZAR",
    "IL": "ILS",
    "TR": "TRY",
    "KR": "KRW",
    "HK": "HKD",
    **dict.fromkeys(
        [
            "AT",
            "BE",
            "CY",
            "DE",
            "EE",
            "ES",
            "FI",
            "FR",
            "GR",
            "HR",
            "IE",
            "IT",
            "LT",
            "LU",
            "LV",
            "MT",
            "NL",
            "PT",
            "SI",
            "SK",
        ],
        "EUR",
    ),
}

_PERIOD_WORDS = [
    (SalaryPeriod.HOUR, r"hour|hourly|hr|std|stunde|stundenlohn|heure|hora|ora|uur|h"),
    (SalaryPeriod.DAY, r"day|daily|diem|tag|täglich|jour|día|dia|giorno|dag|tagessatz"),
    (SalaryPeriod.WEEK, r"week|weekly|wk|woche|semaine|semana|settimana"),
    (
        SalaryPeriod.MONTH,
        r"month|monthly|mo|mth|monat|monatlich|mois|mensuel|mes|mês|mensal|mensual|mese|maand|mtl",
    ),
    (
        SalaryPeriod.YEAR,
        r"year|yearly|yr|annum|annual|annually|pa|p\.a|jahr|jährlich|jahresgehalt|an|année|annuel|año|"
        r"anual|anno|jaar|ano|ano",
    ),
]
_PERIOD_RES = [
    (period, re.compile(rf"(?<![a-zäöüéèáíñ])(?:{words})\.?(?![a-zäöüéèáíñ])"))
    for period, words in _PERIOD_WORDS
]

# A number as people write pay: 120,000 / 55.000 / 55 000 / 18.50 / 1.234,56 / 120K / 1.2M / 40 Tsd.
_NUMBER_RE = re.compile(
    r"(?P<num>\d{1,2},\d{2},\d{3}(?:,\d{2},\d{3})*"  # Indian grouping: 12,00,000
    r"|\d{1,3}(?:[,.\u00a0\u202f '’]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?)\s?"
    r"(?P<mult>k|K|m(?![a-z])|M|Mio\.?|Tsd\.?|tsd\.?|TEUR|mil(?![a-z]))?"
)
_RANGE_GAP_RE = re.compile(r"^\s*(?:[-–—~]|to|bis|à|a|till|tot|up to)\s*$", re.IGNORECASE)
_UP_TO_RE = re.compile(r"\b(?:up to|bis zu|max(?:imum)?\.?|jusqu'à|hasta)\s*$", re.IGNORECASE)


def _number(text: str) -> float:
    text = re.sub(r"[\u00a0\u202f '’]", "", text)
    if re.fullmatch(r"\d{1,2}(?:,\d{2})+,\d{3}", text):
        return float(text.replace(",", ""))
    if "," in text and "." in text:
        # The later mark is the decimal one: 1,234.56 or 1.234,56.
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        return float(text.replace(thousands, "").replace(decimal, "."))
    for mark in ",.":
        if mark in text:
            head, _, tail = text.rpartition(mark)
            if len(tail) == 3:  # 55.000 / 120,000: thousands
                return float(text.replace(mark, ""))
            return float(text.replace(mark, "."))  # 18.50 / 18,50: decimals
    return float(text)


_MULTIPLIER = {"k": 1_000, "m": 1_000_000, "mio": 1_000_000, "tsd": 1_000, "teur": 1_000, "mil": 1_000}


def _multiplier(mark: str | None) -> int:
    return _MULTIPLIER.get((mark or "").lower().rstrip("."), 1)


def period_from_word(word: str) -> str:
    """A source's period word ("per-year-salary", "1 YEAR", "HOUR", "hourly", "Monat") as a SalaryPeriod."""
    lowered = (word or "").lower().replace("-", " ").replace("_", " ")
    for period, pattern in _PERIOD_RES:
        if pattern.search(lowered):
            return period
    return ""


def currency_from_text(text: str) -> str:
    found = _CURRENCY_RE.search(text or "")
    return _CURRENCY_OF[found.group(0)] if found else ""


def parse_salary_text(text: str) -> tuple[float | None, float | None, str, str]:
    """(min, max, currency, period) found in free text; Nones and "" for what it does not say."""
    if not text:
        return None, None, "", ""
    numbers = []
    for match in _NUMBER_RE.finditer(text):
        value = _number(match.group("num"))
        numbers.append((value, _multiplier(match.group("mult")), match))
        if len(numbers) == 2:
            break
    if not numbers:
        return None, None, currency_from_text(text), ""
    low = high = None
    first_value, first_mult, first = numbers[0]
    if len(numbers) == 2:
        second_value, second_mult, second = numbers[1]
        gap = text[first.end() : second.start()]
        gap = _CURRENCY_RE.sub("", gap)
        if _RANGE_GAP_RE.match(gap):
            if first_mult == 1 and second_mult > 1 and first_value <= second_value:
                first_mult = second_mult  # "$50-60k": the k is meant for both
            low, high = first_value * first_mult, second_value * second_mult
    if low is None:
        value = first_value * first_mult
        if _UP_TO_RE.search(_CURRENCY_RE.sub("", text[: first.start()])):
            high = value
        else:
            low = value
    period = period_from_word(text[first.start() :]) or period_from_word(text)
    return low, high, currency_from_text(text), period


def _guess_period(amount: float) -> str:
    # No period given: a small amount is hourly pay, a middling one monthly, the rest yearly.
    if amount < 300:
        return SalaryPeriod.HOUR
    if amount < 15_000:
        return SalaryPeriod.MONTH
    return SalaryPeriod.YEAR


def normalize_salary(
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    currency: str = "",
    period: str = "",
    text: str = "",
    country: str = "",
) -> Salary | None:
    """One salary from structured fields, falling back to (and filled in from) the free text. None when there
    is no salary. Raises AbsurdSalary for amounts no job pays."""
    text_min, text_max, text_currency, text_period = parse_salary_text(text)
    if minimum is None and maximum is None:
        minimum, maximum = text_min, text_max
    if minimum is None and maximum is None:
        return None
    if minimum is not None and maximum is not None and minimum > maximum:
        minimum, maximum = maximum, minimum
    currency = (currency or "").strip().upper()
    currency = currency if re.fullmatch(r"[A-Z]{3}", currency) else currency_from_text(currency)
    currency = currency or text_currency or COUNTRY_CURRENCY.get(country, "")
    period = period_from_word(period) if period else ""
    period = period or text_period or _guess_period(maximum if maximum is not None else minimum)
    factor = ANNUAL_FACTOR[period]
    scale = _UNITS_PER_USD.get(currency, 1)
    for amount in (minimum, maximum):
        if amount is not None and not ANNUAL_FLOOR * scale <= amount * factor <= ANNUAL_CEILING * scale:
            raise AbsurdSalary(f"salary {amount:g} {currency} per {period} is not plausible")
    return Salary(
        min=round(minimum) if minimum is not None else None,
        max=round(maximum) if maximum is not None else None,
        currency=currency,
        period=period,
    )
