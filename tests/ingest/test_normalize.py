"""The normalizer on tables of real-world strings: salaries, locations, titles and employment types."""

import pytest

from jobpilot.ingest.geo import parse_location
from jobpilot.ingest.normalize import clean_title, employment_type, parse_date
from jobpilot.ingest.salary import AbsurdSalary, normalize_salary

# (text, min, max, currency, period)
SALARIES = [
    ("$120K – $160K", 120000, 160000, "USD", "year"),
    ("€55.000 - 65.000 brutto/Jahr", 55000, 65000, "EUR", "year"),
    ("£18/hour", 18, None, "GBP", "hour"),
    ("$50-60k", 50000, 60000, "USD", "year"),
    ("Up to $90,000 per year", None, 90000, "USD", "year"),
    ("45 000 € par an", 45000, None, "EUR", "year"),
    ("CHF 120’000", 120000, None, "CHF", "year"),
    ("CHF 110'000 - 130'000 p.a.", 110000, 130000, "CHF", "year"),
    ("$25.50 an hour", 26, None, "USD", "hour"),
    ("ab 4.500 € im Monat", 4500, None, "EUR", "month"),
    ("R$ 8.000 a 10.000 por mês", 8000, 10000, "BRL", "month"),
    ("₹12,00,000 - ₹18,00,000 per annum", 1200000, 1800000, "INR", "year"),
    ("$150,000 USD", 150000, None, "USD", "year"),
    ("€600/day", 600, None, "EUR", "day"),
    ("40-50 Tsd. EUR", 40000, 50000, "EUR", "year"),
    ("¥6,000,000 - ¥8,000,000 per year", 6000000, 8000000, "JPY", "year"),
    ("US$95,000 to US$110,000 annually", 95000, 110000, "USD", "year"),
    ("CA$70,000–CA$85,000/yr", 70000, 85000, "CAD", "year"),
    ("A$140k - A$160k + super", 140000, 160000, "AUD", "year"),
    ("£30,000 - £35,000 a year", 30000, 35000, "GBP", "year"),
    ("£450 - £550 per day", 450, 550, "GBP", "day"),
    ("$1,200 - $1,500 per week", 1200, 1500, "USD", "week"),
    ("$1,234.56 weekly", 1235, None, "USD", "week"),
    ("1.234,56 € pro Woche", 1235, None, "EUR", "week"),
    ("€ 3.200 - € 3.800 bruto per maand", 3200, 3800, "EUR", "month"),
    ("60.000 - 75.000 EUR jährlich", 60000, 75000, "EUR", "year"),
    ("EUR 70k-90k", 70000, 90000, "EUR", "year"),
    ("Salary: $85,000.00 - $95,000.00", 85000, 95000, "USD", "year"),
    ("$22 - $28 hourly", 22, 28, "USD", "hour"),
    ("16,50 € pro Stunde", 16, None, "EUR", "hour"),  # 16.5 rounds to even
    ("35.000 - 42.000 € brutto", 35000, 42000, "EUR", "year"),
    ("PLN 15 000 - 20 000 miesięcznie (B2B) / month", 15000, 20000, "PLN", "month"),
    ("SEK 45 000 - 55 000 per month", 45000, 55000, "SEK", "month"),
    ("kr 600 000 - 700 000", 600000, 700000, "", "year"),
    ("$200K+", 200000, None, "USD", "year"),
    ("From €40k", 40000, None, "EUR", "year"),
    ("bis zu 80.000 €", None, 80000, "EUR", "year"),
    ("Competitive salary + equity", None, None, "", ""),
    ("DOE", None, None, "", ""),
    ("$3,500/mo", 3500, None, "USD", "month"),
    ("£12.21 per hour (London Living Wage)", 12, None, "GBP", "hour"),
    ("₪25,000 - ₪32,000 per month", 25000, 32000, "ILS", "month"),
]


@pytest.mark.parametrize(("text", "low", "high", "currency", "period"), SALARIES)
def test_salary_strings_are_read_as_min_max_currency_and_period(text, low, high, currency, period):
    salary = normalize_salary(text=text)
    if low is None and high is None:
        assert salary is None
        return
    assert (salary.min, salary.max, salary.currency, salary.period) == (low, high, currency, period)


def test_there_are_at_least_forty_salary_strings():
    assert len(SALARIES) >= 40


def test_structured_salary_wins_and_the_country_supplies_a_missing_currency():
    assert normalize_salary(minimum=70, maximum=85, period="per-hour-wage", country="DE").currency == "EUR"
    salary = normalize_salary(minimum=90000, maximum=120000, currency="eur", period="1 YEAR", text="$1")
    assert (salary.min, salary.currency, salary.period) == (90000, "EUR", "year")


@pytest.mark.parametrize("text", ["$90,000 per hour", "€5 per year", "$123456789"])
def test_absurd_salaries_are_refused(text):
    with pytest.raises(AbsurdSalary):
        normalize_salary(text=text)


# (text, city, region, country, remote, applicant countries)
LOCATIONS = [
    ("San Francisco, CA", "San Francisco", "California", "US", "onsite", []),
    ("New York, NY, United States", "New York City", "New York", "US", "onsite", []),
    ("Remote - US", "", "", "US", "remote", ["US"]),
    ("London, UK", "London", "", "GB", "onsite", []),
    ("Berlin, Germany", "Berlin", "", "DE", "onsite", []),
    ("München, Bayern, Deutschland", "Munich", "Bayern", "DE", "onsite", []),
    ("Paris, Île-de-France, France", "Paris", "Île-de-France", "FR", "onsite", []),
    ("Remote", "", "", "", "remote", []),
    ("Hybrid - Amsterdam", "Amsterdam", "", "NL", "hybrid", []),
    ("Toronto, ON, Canada", "Toronto", "Ontario", "CA", "onsite", []),
    ("Zürich, Schweiz", "Zürich", "", "CH", "onsite", []),
    ("São Paulo, Brasil", "São Paulo", "", "BR", "onsite", []),
    ("Bengaluru, Karnataka, India", "Bengaluru", "Karnātaka", "IN", "onsite", []),
    ("Bangalore", "Bengaluru", "", "IN", "onsite", []),
    ("Anywhere", "", "", "", "remote", []),
    ("US-Remote", "", "", "US", "remote", ["US"]),
    ("Austin, Texas", "Austin", "Texas", "US", "onsite", []),
    ("Madrid, España", "Madrid", "", "ES", "onsite", []),
    ("Wien, Österreich", "Vienna", "", "AT", "onsite", []),
    ("Warszawa, Polska", "Warsaw", "", "PL", "onsite", []),
    ("Remote in Germany", "", "", "DE", "remote", ["DE"]),
    ("Télétravail", "", "", "", "remote", []),
    ("NYC", "New York City", "", "US", "onsite", []),
    ("SF Bay Area", "San Francisco", "", "US", "onsite", []),
    ("Köln", "Köln", "", "DE", "onsite", []),
    ("Lisboa, Portugal", "Lisbon", "", "PT", "onsite", []),
    ("Remote, Worldwide", "", "", "", "remote", []),
    ("Remote (UTC-5 to UTC+1)", "", "", "", "remote", []),
    ("Dublin", "Dublin", "", "IE", "onsite", []),
    ("Hybrid (Berlin, DE)", "Berlin", "", "DE", "hybrid", []),
    ("Cambridge, MA", "Cambridge", "Massachusetts", "US", "onsite", []),
    ("Cambridge", "Cambridge", "", "GB", "onsite", []),
    ("Sydney NSW, Australia", "Sydney", "New South Wales", "AU", "onsite", []),
    ("Remote - Canada", "", "", "CA", "remote", ["CA"]),
    ("Mexico City, Mexico", "Mexico City", "", "MX", "onsite", []),
    ("Tokyo, Japan", "Tokyo", "", "JP", "onsite", []),
    ("Stockholm, Sverige", "Stockholm", "", "SE", "onsite", []),
    ("Home Office (DACH)", "", "", "", "remote", ["DE", "AT", "CH"]),
    ("Bad Homburg, Hessen, Deutschland", "Bad Homburg", "Hessen", "DE", "onsite", []),
    ("Vancouver, BC", "Vancouver", "British Columbia", "CA", "onsite", []),
    ("Portland, OR", "Portland", "Oregon", "US", "onsite", []),
    ("Lyon, France", "Lyon", "", "FR", "onsite", []),
    ("Remote (Europe)", "", "", "", "remote", None),  # None: checked below
    ("Milano, Italia", "Milan", "", "IT", "onsite", []),
    ("Praha, Česko", "Prague", "", "CZ", "onsite", []),
]


@pytest.mark.parametrize(("text", "city", "region", "country", "remote", "applicants"), LOCATIONS)
def test_location_strings_are_read_as_city_region_country_and_workplace(
    text, city, region, country, remote, applicants
):
    place = parse_location(text)
    assert (place.city, place.region, place.country, place.remote) == (city, region, country, remote)
    if applicants is not None:
        assert place.applicant_countries == applicants
    else:
        assert {"DE", "FR", "GB", "CH"} <= set(place.applicant_countries)


def test_there_are_at_least_forty_location_strings():
    assert len(LOCATIONS) >= 40


def test_a_structured_workplace_wins_over_the_words():
    assert parse_location("Berlin, Germany", workplace="remote").remote == "remote"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("URGENT!! Senior Python Developer - Berlin", "Senior Python Developer"),
        ("Software Engineer (Remote)", "Software Engineer"),
        ("Senior Dev | London", "Senior Dev"),
        ("Backend Engineer (m/w/d)", "Backend Engineer"),
        ("Data Scientist, New York", "Data Scientist"),
        ("SALES MANAGER DACH", "Sales Manager Dach"),
        ("Product Manager (Hybrid - Amsterdam)", "Product Manager"),
        ("Staff Engineer in Munich", "Staff Engineer"),
        ("Engineer - Platform", "Engineer - Platform"),
        ("*** HIRING NOW *** Forklift Driver!!!", "Forklift Driver"),
        ("Pflegefachkraft (w/m/d) - Hamburg", "Pflegefachkraft"),
    ],
)
def test_titles_lose_shouting_gender_markers_and_glued_locations(raw, clean):
    assert clean_title(raw) == clean


@pytest.mark.parametrize(
    ("words", "title", "expected"),
    [
        (("Full-time",), "", "full_time"),
        (("FullTime",), "", "full_time"),
        (("permanent",), "", "full_time"),
        (("Vollzeit",), "", "full_time"),
        (("PartTime",), "", "part_time"),
        (("Teilzeit",), "", "part_time"),
        (("Contractor",), "", "contract"),
        (("CONTRACTOR",), "", "contract"),
        (("Intern",), "", "internship"),
        (("temporary",), "", "temporary"),
        (("fulltime_permanent",), "", "full_time"),
        (("part-time",), "Werkstudent Marketing", "internship"),
        (("",), "", "full_time"),
    ],
)
def test_employment_types_in_many_spellings(words, title, expected):
    assert employment_type(*words, title=title) == expected


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        (1764064800000, "2025-11-25T10:00:00+00:00"),
        (1764064800, "2025-11-25T10:00:00+00:00"),
        ("2026-11-02T09:15:00-05:00", "2026-11-02T09:15:00-05:00"),
        ("2026-11-18T12:30:00.000Z", "2026-11-18T12:30:00+00:00"),
        ("2026-11-02 09:15:00 UTC", "2026-11-02T09:15:00+00:00"),
        ("Fri, 04 Dec 2026 12:00:00 GMT", "2026-12-04T12:00:00+00:00"),
        ("2026-11-20", "2026-11-20T00:00:00+00:00"),
    ],
)
def test_dates_in_every_format_sources_use(value, iso):
    assert parse_date(value).isoformat() == iso


def test_an_unreadable_date_is_none():
    assert parse_date("sometime soon") is None
