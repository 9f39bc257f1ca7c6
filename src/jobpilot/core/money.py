"""Pay in different currencies made comparable for ordering only.

The "Highest pay" sort ranks jobs by their guaranteed yearly pay; a USD 95,000 job must not rank above a EUR
100,000 one because 95,000 < 100,000 was never the question. Amounts are converted with approximate reference rates
(US dollars per unit, late 2026). They are never shown and never used to filter: a salary filter names its currency
and compares amounts in it. A currency not listed here has no comparable value (its jobs sort after every job whose
pay can be compared, with the jobs that publish no pay).
"""

USD_PER_UNIT = {
    "USD": 1.0,
    "EUR": 1.08,
    "GBP": 1.27,
    "CHF": 1.13,
    "CAD": 0.73,
    "AUD": 0.66,
    "NZD": 0.60,
    "SEK": 0.095,
    "NOK": 0.093,
    "DKK": 0.145,
    "PLN": 0.25,
    "CZK": 0.043,
    "HUF": 0.0027,
    "RON": 0.22,
    "INR": 0.012,
    "JPY": 0.0067,
    "CNY": 0.14,
    "HKD": 0.128,
    "SGD": 0.74,
    "BRL": 0.18,
    "MXN": 0.055,
    "ZAR": 0.055,
    "ILS": 0.27,
    "AED": 0.27,
}


def comparable_amount(amount: int | None, currency: str) -> int | None:
    """`amount` of `currency` in reference dollars, or None when it cannot be compared."""
    rate = USD_PER_UNIT.get((currency or "").upper())
    if amount is None or rate is None:
        return None
    return round(amount * rate)
